import { describe, expect, it } from "vitest";
import { ACRA_COLUMN_NAMES, mapHeader } from "./acra-columns";
import { judgeSuspect, RAW_LINE_MAX, storableText } from "./ingest-rejects.server";

const mapping = mapHeader(ACRA_COLUMN_NAMES);
const line = (values: Record<string, string>) => ACRA_COLUMN_NAMES.map((c) => values[c] ?? "na").join(",");
const suspect = (text: string, unreadable?: string) => ({ line: 7, raw: Buffer.from(text, "utf8"), fieldCount: 0, ...(unreadable ? { unreadable } : {}) });

describe("judgeSuspect", () => {
  it("forwards a sound record re-quoted, and rejects a bad one with the per-row parser's reason and its UEN", () => {
    const sound = judgeSuspect(suspect(line({ uen: "201912345K", entity_name: "ABC PTE. LTD.", entity_status_description: "Live Company" })), mapping);
    expect("forward" in sound && sound.forward.toString("utf8").startsWith("na,201912345K,ABC PTE. LTD.,")).toBe(true);
    expect(judgeSuspect(suspect(line({ uen: "201912345K", entity_name: "", entity_status_description: "Live Company" })), mapping)).toEqual({
      reject: expect.stringMatching(/entity_name/),
      uen: "201912345K",
    });
  });

  it("rejects an unreadable record with the framer's reason and no UEN", () => {
    expect(judgeSuspect(suspect('"open quote', "unterminated quote"), mapping)).toEqual({ reject: "unterminated quote", uen: null });
  });
});

describe("storableText", () => {
  it("drops the line break, shows NUL as a symbol and shortens runaway lines", () => {
    expect(storableText("a\u0000b\r\n")).toBe("a\u2400b");
    expect(storableText("x".repeat(RAW_LINE_MAX + 5))).toBe(`${"x".repeat(RAW_LINE_MAX)}…`);
  });
});
