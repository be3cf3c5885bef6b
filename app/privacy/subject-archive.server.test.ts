import { describe, expect, it } from "vitest";
import { tableCsv } from "./subject-archive.server";

describe("tableCsv", () => {
  it("writes a header and a row per record, spreadsheet-safe, dates as ISO and objects as JSON", () => {
    const csv = tableCsv([
      { name: '=HYPERLINK("x")', at: new Date("2026-12-05T01:02:03Z"), verified: false, note: null, extra: { a: 1 } },
      { name: "Jane Tan", at: new Date("2026-12-06T00:00:00Z"), verified: true, note: "-5", extra: [] },
    ]);
    expect(csv).toBe(
      [
        '"name","at","verified","note","extra"',
        '"\'=HYPERLINK(""x"")","2026-12-05T01:02:03.000Z","false","","{""a"":1}"',
        '"Jane Tan","2026-12-06T00:00:00.000Z","true","\'-5","[]"',
        "",
      ].join("\r\n"),
    );
  });

  it("is empty for a table without rows", () => {
    expect(tableCsv([])).toBe("");
  });
});
