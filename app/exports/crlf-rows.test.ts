import { describe, expect, it } from "vitest";
import { CrlfRows } from "./crlf-rows";
import { csvRow } from "./csv";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** COPY's way of writing the rows: every field quoted, inner quotes doubled, rows ending in a bare LF. */
const copyRow = (cells: string[]) => csvRow(cells).replace(/\r\n$/, "\n");

function throughScanner(text: string, cut: number[]): string {
  const scanner = new CrlfRows();
  const bytes = encoder.encode(text);
  const bounds = [0, ...cut, bytes.length];
  return bounds
    .slice(1)
    .map((end, i) => decoder.decode(scanner.push(bytes.subarray(bounds[i], end)), { stream: true }))
    .join("");
}

describe("CrlfRows", () => {
  const rows = [
    ["1", "Acme", 'He said "hi"\n', "line\nbreak"],
    ["2", '""', "", '"\n"'],
    ["3", "plain", "ümlaut", "end"],
  ];
  const copied = rows.map(copyRow).join("");
  const expected = rows.map((cells) => csvRow(cells)).join("");

  it("ends each row with CRLF and leaves line breaks inside fields alone", () => {
    expect(throughScanner(copied, [])).toBe(expected);
  });

  it("gives the same bytes wherever the chunks are cut, a doubled quote or a multi-byte character included", () => {
    const length = encoder.encode(copied).length;
    for (let cut = 1; cut < length; cut++) expect(throughScanner(copied, [cut])).toBe(expected);
    expect(throughScanner(copied, [3, 4, 5, 17, 18, 19, 40])).toBe(expected);
  });

  it("hands a chunk without a row end on as it is", () => {
    const chunk = encoder.encode('"a","b');
    expect(new CrlfRows().push(chunk)).toBe(chunk);
  });
});
