import { describe, expect, it } from "vitest";
import {
  cleanReason,
  detectKind,
  normalizeSuppressedDomain,
  normalizeSuppressedEmail,
  normalizeLinkedinUrl,
  normalizeSuppression,
  normalizeSuppressedUen,
  parsePastedList,
} from "./suppression";
import { parseSuppressionCsv } from "./suppression-csv.server";

describe("cleanReason", () => {
  it("turns control characters, NUL among them, into single spaces", () => {
    expect(cleanReason(" left\u0000by\u0007 sales\r\n ")).toBe("left by sales");
    expect(cleanReason("\u0000")).toBeNull();
  });
});

describe("normalising suppression values", () => {
  it.each([
    ["https://www.Example.com/contact?x=1", "example.com"],
    ["http://shop.example.com.sg:8080/", "shop.example.com.sg"],
    ["WWW.ACME.SG.", "acme.sg"],
    ["@acme.sg", "acme.sg"],
    ["  xn--bcher-kva.example ", "xn--bcher-kva.example"],
  ])("domain %j → %j", (raw, value) => {
    expect(normalizeSuppressedDomain(raw)).toEqual({ ok: true, kind: "domain", value });
  });

  it.each(["localhost", "acme", "-acme.com", "acme..com", "acme.c", "jane@acme.sg", "acme .com", ""])("refuses the domain %j", (raw) => {
    expect(normalizeSuppressedDomain(raw).ok).toBe(false);
  });

  it("lower-cases emails and keeps plus-addressing", () => {
    expect(normalizeSuppressedEmail(" Jane.Tan+news@Acme.SG ")).toEqual({ ok: true, kind: "email", value: "jane.tan+news@acme.sg" });
    expect(normalizeSuppressedEmail("mailto:Ops@Acme.sg")).toEqual({ ok: true, kind: "email", value: "ops@acme.sg" });
  });

  it.each(["jane", "@acme.sg", "jane@", "jane@acme", "ja ne@acme.sg", ".jane@acme.sg", "jane..tan@acme.sg", "a@b@acme.sg"])("refuses the email %j", (raw) => {
    expect(normalizeSuppressedEmail(raw).ok).toBe(false);
  });

  it.each([
    ["201912345k", "201912345K"],
    ["53123456A", "53123456A"],
    [" t19ll1234a ", "T19LL1234A"],
  ])("UEN %j → %j", (raw, value) => {
    expect(normalizeSuppressedUen(raw)).toEqual({ ok: true, kind: "uen", value });
  });

  it.each(["2019123K", "2019123456K", "X19LL1234A", "201912345", "UEN201912345K"])("refuses the UEN %j with the expected formats", (raw) => {
    const result = normalizeSuppressedUen(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain("201912345K");
  });

  it("detects the kind of a bare value", () => {
    expect(detectKind("jane@acme.sg")).toBe("email");
    expect(detectKind("201912345K")).toBe("uen");
    expect(detectKind("acme.sg")).toBe("domain");
    expect(detectKind("@acme.sg")).toBe("domain");
    expect(normalizeSuppression("auto", "https://www.acme.sg")).toEqual({ ok: true, kind: "domain", value: "acme.sg" });
  });
});

describe("a pasted list", () => {
  it("keeps good lines once, reports bad ones by line number, skips blanks and comments", () => {
    const parsed = parsePastedList(
      ["jane@acme.sg", "", "# from the March complaint", "not an email", "JANE@acme.sg", "ops@acme.sg"].join("\n"),
      "email",
      "asked to stop",
    );
    expect(parsed.rows).toEqual([
      { kind: "email", value: "jane@acme.sg", reason: "asked to stop" },
      { kind: "email", value: "ops@acme.sg", reason: "asked to stop" },
    ]);
    expect(parsed.errors).toEqual([{ line: 4, value: "not an email", reason: 'not an email address: "not an email"' }]);
  });

  it("detects each line's kind on auto and understands Windows line ends", () => {
    const parsed = parsePastedList("jane@acme.sg\r\nwww.globex.com\r\n201912345K\r\n", "auto");
    expect(parsed.rows.map((r) => `${r.kind}:${r.value}`)).toEqual(["email:jane@acme.sg", "domain:globex.com", "uen:201912345K"]);
    expect(parsed.errors).toEqual([]);
  });
});

describe("a suppression CSV", () => {
  it("reads kind,value,reason by header in any order, with row errors by line", () => {
    const csv = [
      "value,Kind,reason",
      "jane@acme.sg,email,unsubscribed",
      "https://www.globex.com/,domain,competitor",
      "2019X,uen,typo",
      "someone@,email,",
      "ops@acme.sg,phone,wrong kind",
      '201912345k,uen,"closed, per owner"',
    ].join("\n");
    const parsed = parseSuppressionCsv(csv, "auto");
    expect(parsed.rows).toEqual([
      { kind: "email", value: "jane@acme.sg", reason: "unsubscribed" },
      { kind: "domain", value: "globex.com", reason: "competitor" },
      { kind: "uen", value: "201912345K", reason: "closed, per owner" },
    ]);
    expect(parsed.errors.map((e) => [e.line, e.reason])).toEqual([
      [4, expect.stringContaining("not a UEN")],
      [5, expect.stringContaining("not an email address")],
      [6, 'unknown kind "phone" (use email, domain or uen)'],
    ]);
  });

  it("takes a one-kind header such as `email` as that kind's column", () => {
    const parsed = parseSuppressionCsv("\uFEFFEmail,reason\r\nA@Acme.sg,bounced\r\n\r\nb@acme.sg\r\n", "domain");
    expect(parsed.rows).toEqual([
      { kind: "email", value: "a@acme.sg", reason: "bounced" },
      { kind: "email", value: "b@acme.sg", reason: null },
    ]);
  });

  it("reads a file without a header as value[,reason] of the form's kind", () => {
    const parsed = parseSuppressionCsv("acme.sg,ours\nglobex.com\n", "domain");
    expect(parsed.rows.map((r) => r.value)).toEqual(["acme.sg", "globex.com"]);
    expect(parsed.rows[0]!.reason).toBe("ours");
  });

  it("reports a broken quote on its own line and keeps reading the next ones", () => {
    const parsed = parseSuppressionCsv('kind,value\nemail,"jane@acme.sg\nemail,ops@acme.sg\n', "auto");
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(2);
    expect(parsed.errors[0]!.reason).toMatch(/^unreadable CSV/);
    expect(parsed.rows).toEqual([{ kind: "email", value: "ops@acme.sg", reason: null }]);
  });
});

describe("LinkedIn profiles", () => {
  it("decodes the profile slug and refuses other pages", () => {
    expect(normalizeLinkedinUrl("https://www.linkedin.com/in/j%C3%A9r%C3%B4me-lim")).toBe("https://www.linkedin.com/in/jérôme-lim");
    expect(normalizeLinkedinUrl("https://example.com/in/jane")).toBeNull();
    expect(normalizeSuppression("auto", "sg.linkedin.com/in/Jane-Tan/")).toEqual({ ok: true, kind: "linkedin", value: "https://www.linkedin.com/in/jane-tan" });
    expect(normalizeSuppression("linkedin", "linkedin.com/company/codigo")).toMatchObject({ ok: false });
  });
});
