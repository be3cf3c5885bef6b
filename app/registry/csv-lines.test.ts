import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { LineCounter, rawRecord } from "./csv-lines";

describe("rawRecord", () => {
  it("counts CRLF, CR and LF once each and separates skipped empty lines", () => {
    expect(rawRecord("a,b\n")).toEqual({ leading: 0, breaks: 1, text: "a,b\n" });
    expect(rawRecord("\r\n\r\nc,d\r\n")).toEqual({ leading: 2, breaks: 3, text: "c,d\r\n" });
    expect(rawRecord("\"x\r\ny\",z\r")).toEqual({ leading: 0, breaks: 2, text: "\"x\r\ny\",z\r" });
    expect(rawRecord("last,line")).toEqual({ leading: 0, breaks: 0, text: "last,line" });
  });
});

describe("LineCounter", () => {
  const linesOf = (input: string) => {
    const counter = new LineCounter();
    const records = parse(input, { raw: true, skip_empty_lines: true, relax_quotes: true }) as unknown as Array<{ raw: string; record: string[] }>;
    return records.map((r) => [counter.next(r.raw).line, r.record[0]]);
  };

  it("numbers records by the line they start on, across blank lines and quoted line breaks", () => {
    for (const eol of ["\n", "\r\n"]) {
      const input = ["h1,h2", "a,b", "", "", "c,d", '"x', 'y",z', "e,f"].join(eol);
      expect(linesOf(input)).toEqual([
        [1, "h1"],
        [2, "a"],
        [5, "c"],
        [6, `x${eol}y`],
        [8, "e"],
      ]);
    }
  });
});
