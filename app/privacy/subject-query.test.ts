import { describe, expect, it } from "vitest";
import { parseSubjectQuery, redactText, snippetAround } from "./subject-query";

describe("parseSubjectQuery", () => {
  it("reads an address, lower-cased and without mailto:", () => {
    expect(parseSubjectQuery(" mailto:Jane.Tan@Codigo.SG ")).toEqual({ ok: true, query: { kind: "email", value: "jane.tan@codigo.sg" } });
  });

  it("reads a LinkedIn profile URL in any of its spellings as one URL", () => {
    for (const raw of ["linkedin.com/in/Jane-Tan", "http://sg.linkedin.com/in/jane-tan/", "https://www.linkedin.com/in/jane-tan?trk=x"]) {
      expect(parseSubjectQuery(raw)).toEqual({ ok: true, query: { kind: "linkedin", value: "https://www.linkedin.com/in/jane-tan" } });
    }
    expect(parseSubjectQuery("https://www.linkedin.com/company/codigo")).toMatchObject({ ok: false });
  });

  it("reads a full name with its spaces collapsed, and refuses a single word", () => {
    expect(parseSubjectQuery("  Jane   Tan ")).toEqual({ ok: true, query: { kind: "name", value: "Jane Tan" } });
    expect(parseSubjectQuery("Jane")).toEqual({ ok: false, reason: "Enter the person's full name (first and last name)" });
  });

  it("refuses an empty query, a bad address and an overlong one", () => {
    expect(parseSubjectQuery("   ")).toMatchObject({ ok: false });
    expect(parseSubjectQuery("jane@")).toMatchObject({ ok: false });
    expect(parseSubjectQuery(`${"a".repeat(250)}@x.sg`)).toMatchObject({ ok: false, reason: "At most 254 characters" });
  });
});

describe("redactText", () => {
  it("replaces every spelling of each identifier, longest first, and leaves the rest", () => {
    expect(redactText("Write to JANE.TAN@codigo.sg or ask Jane Tan (jane.tan@codigo.sg).", ["jane.tan@codigo.sg", "Jane Tan"])).toBe(
      "Write to [erased] or ask [erased] ([erased]).",
    );
  });

  it("takes regular-expression characters literally and ignores identifiers too short to mean anything", () => {
    expect(redactText("a+b@x.sg and axb@x.sg", ["a+b@x.sg", "ab"])).toBe("[erased] and axb@x.sg");
  });
});

describe("snippetAround", () => {
  it("cuts the text around the first mention", () => {
    const text = `${"x".repeat(200)} Contact Jane Tan today ${"y".repeat(200)}`;
    expect(snippetAround(text, ["Jane Tan"], 8)).toBe("…Contact Jane Tan today y…");
    expect(snippetAround("nothing here", ["Jane Tan"])).toBeNull();
  });
});
