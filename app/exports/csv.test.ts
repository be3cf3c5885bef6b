import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvRow, neutraliseFormula } from "./csv";

describe("csvCell", () => {
  it("quotes every field and doubles inner quotes", () => {
    expect(csvCell("Codigo")).toBe('"Codigo"');
    expect(csvCell('The "best" co')).toBe('"The ""best"" co"');
    expect(csvCell("a,b\nc")).toBe('"a,b\nc"');
  });

  it("writes empty for null and undefined, text for numbers", () => {
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
    expect(csvCell(72.5)).toBe('"72.5"');
    expect(csvCell(0)).toBe('"0"');
  });

  it.each([
    ['=HYPERLINK("http://evil")', '\'=HYPERLINK(""http://evil"")'],
    ["+65 6123 4567", "'+65 6123 4567"],
    ["-1+2", "'-1+2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", "'\rcmd"],
  ])("neutralises a cell starting a formula: %j", (input, inner) => {
    expect(csvCell(input)).toBe(`"${inner}"`);
  });

  it("leaves cells that only contain formula characters later on", () => {
    expect(neutraliseFormula("a=b")).toBe("a=b");
    expect(neutraliseFormula("jane@acme.sg")).toBe("jane@acme.sg");
    expect(neutraliseFormula(" =1")).toBe(" =1");
  });
});

describe("csvRow", () => {
  it("ends with CRLF and reads back with a CSV parser", () => {
    const row = csvRow(["1", 'He said "hi"', null, "=1+1", "line\r\nbreak"]);
    expect(row.endsWith("\r\n")).toBe(true);
    expect(parse(row + csvRow(["x"]), { relax_column_count: true })).toEqual([["1", 'He said "hi"', "", "'=1+1", "line\r\nbreak"], ["x"]]);
  });
});
