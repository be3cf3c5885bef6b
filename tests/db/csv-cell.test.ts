import { describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { neutraliseFormula } from "~/exports/csv";

/**
 * COPY exports write each cell through the database's `csv_cell`; it must
 * keep exactly the text the application's own CSV writer keeps, formula guard
 * and empty NULL included.
 */
const CASES = [
  'The "best" co',
  "a,b\nc",
  '=HYPERLINK("http://evil")',
  "+65 6123 4567",
  "-1+2",
  "@SUM(A1)",
  "\tcmd",
  "\rcmd",
  "a=b",
  "jane@acme.sg",
  " =1",
  "",
  "72.5",
  "-3",
  "ümlaut",
  // One-character cells and a first character beyond ASCII: the guard reads the first code point.
  "=",
  "-",
  "😀=1",
  "é+1",
];

describe("csv_cell", () => {
  it("keeps the same text as the application's CSV writer, for every guard case", async () => {
    const rows = await platformDb.$queryRaw<
      Array<{ cell: string }>
    >`SELECT csv_cell(v) AS cell FROM unnest(${CASES}::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n`;
    expect(rows.map((r) => r.cell)).toEqual(CASES.map(neutraliseFormula));
  });

  it("writes NULL as empty, and is immutable so a plan may fold it", async () => {
    const [row] = await platformDb.$queryRaw<Array<{ cell: string; volatility: string }>>`
      SELECT csv_cell(NULL) AS cell, (SELECT provolatile::text FROM pg_proc WHERE proname = 'csv_cell') AS volatility`;
    expect(row).toEqual({ cell: "", volatility: "i" });
  });
});
