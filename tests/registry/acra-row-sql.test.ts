import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACRA_COLUMN_NAMES, LEGACY_ONLY_COLUMNS, mapHeader, type HeaderMapping } from "../../app/registry/acra-columns";
import { parseAcraRecord } from "../../app/registry/acra-row";
import { checkedRowsSql, rawTableSql } from "../../app/registry/acra-row-sql";
import { splitCsvRecord } from "../../app/registry/csv-lines";
import { generateAcraSampleLines } from "../../app/registry/sample-generator";

/** The set-based checks give what the per-row parser gives: the same values, the same reasons. */
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

async function checkInSql(header: readonly string[], records: string[][]) {
  const mapping = mapHeader(header);
  await client.query("DROP TABLE IF EXISTS acra_test_raw");
  await client.query(rawTableSql("acra_test_raw", header.length));
  // As COPY with NULL 'na' reads an unquoted na.
  await client.query(
    `INSERT INTO acra_test_raw SELECT ordinality::int, 'h', ${header.map((_, j) => `NULLIF(r[${j + 1}], 'na')`).join(", ")}
     FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(j, ordinality), LATERAL (SELECT array(SELECT jsonb_array_elements_text(j)) AS r) x`,
    [records.map((r) => JSON.stringify(r))],
  );
  const { rows } = await client.query(`${checkedRowsSql("acra_test_raw", 0, mapping)} ORDER BY line_no`);
  return { rows, mapping };
}

function expectSame(rows: Array<Record<string, unknown>>, records: string[][], mapping: HeaderMapping) {
  records.forEach((record, i) => {
    const js = parseAcraRecord(record, mapping);
    const sql = rows[i]!;
    if (js.ok) {
      expect(sql.problem, JSON.stringify(record)).toBeNull();
      expect(ACRA_COLUMN_NAMES.map((_, k) => sql[`v${k}`])).toEqual(js.row.values);
      expect(sql.extra).toEqual(js.row.extra ?? {});
    } else {
      expect((sql.problem as string[] | null)?.[0], JSON.stringify(record)).toBe(js.reason);
    }
  });
}

const base: Record<string, string> = { uen: "201912345k", entity_name: "ABC PTE. LTD.", entity_status_description: "Live Company" };
const record = (values: Record<string, string>) => ACRA_COLUMN_NAMES.map((c) => values[c] ?? "na");

describe("checkedRowsSql", () => {
  it("normalises and rejects exactly as parseAcraRecord does", async () => {
    const records = [
      record({
        ...base,
        postal_code: "18956",
        building_name: " ",
        paid_up_capital1_ordinary: "1,000",
        unit_no: "N/A",
        level_no: "Na",
        street_name: " 1 ROAD ",
      }),
      record({ ...base, uen_issue_date: "2019-02-29" }),
      record({ ...base, registration_incorporation_date: "2024-02-29", account_due_date: "2100-02-29" }),
      record({ ...base, registration_incorporation_date: "1700-01-01" }),
      record({ ...base, uen: "na" }),
      record({ ...base, uen: "TOO-LONG-UEN-1" }),
      record({ ...base, entity_name: "" }),
      record({ ...base, no_of_officers: "three", no_of_charges: "-1", paid_up_capital2_others: "1.2.3", uen: "x" }),
      record({ ...base, paid_up_capital1_ordinary: "-12.50", no_of_officers: "007" }),
      record({ ...base, annual_return_date: 'say "soon"\\' }),
    ];
    const { rows, mapping } = await checkInSql(ACRA_COLUMN_NAMES, records);
    expect(rows.map((r) => (r.problem ? r.problem[0] : null))).toEqual([
      null,
      'uen_issue_date: not a date (YYYY-MM-DD): "2019-02-29"',
      'account_due_date: not a date (YYYY-MM-DD): "2100-02-29"',
      'registration_incorporation_date: not a date (YYYY-MM-DD): "1700-01-01"',
      "uen is missing",
      'uen: not a UEN: "TOO-LONG-UEN-1"',
      "entity_name is missing",
      'no_of_charges: not a whole number: "-1"; no_of_officers: not a whole number: "three"; paid_up_capital2_others: not an amount: "1.2.3"',
      null,
      'annual_return_date: not a date (YYYY-MM-DD): "say \\"soon\\"\\\\"',
    ]);
    expectSame(rows, records, mapping);
    expect(rows[4].problem.slice(1)).toEqual([records[4]!.join(","), "na"]);
  });

  it("agrees with parseAcraRecord on the edges of the calendar", async () => {
    const dates = ["1800-01-01", "1799-12-31", "2200-12-31", "2201-01-01", "2000-02-29", "1900-02-29", "2023-02-28", "2023-02-30"];
    dates.push("2023-04-30", "2023-04-31", "2023-12-31", "2023-12-32", "2023-00-10", "2023-13-01", "2023-01-00", "2023-1-01", "02023-01-01");
    const records = dates.map((d) => record({ ...base, registration_incorporation_date: d }));
    const { rows, mapping } = await checkInSql(ACRA_COLUMN_NAMES, records);
    expect(rows.filter((r) => r.problem === null)).toHaveLength(6);
    expectSame(rows, records, mapping);
  });

  it("agrees with parseAcraRecord on values that pass only once normalised, and on short or padded ones", async () => {
    // The combined test takes a field as written when it passes so; these take the other way.
    const records = [
      record({ ...base, uen: " 201912345K ", registration_incorporation_date: " 2019-01-02", no_of_officers: "7 " }),
      record({ ...base, paid_up_capital1_ordinary: "1,000,000.50", paid_up_capital1_others: " -3 ", no_of_charges: " N/A " }),
      record({ ...base, uen_issue_date: " na ", account_due_date: "Na", annual_return_date: "n/a", no_of_officers: "" }),
      record({ ...base, entity_name: " N/A ", uen: "ab" }),
      record({ ...base, entity_status_description: "   ", no_of_officers: " 1 2 " }),
      record({ ...base, entity_name: "ÉÉ", street_name: "  Ü  ", block: "ab", paid_up_capital2_ordinary: "1,2,3" }),
      record({ ...base, paid_up_capital3_preference: "1,000.", uen_issue_date: "2019-01-02 x", no_of_charges: "1,0" }),
    ];
    const { rows, mapping } = await checkInSql(ACRA_COLUMN_NAMES, records);
    expect(rows.map((r) => r.problem === null)).toEqual([true, true, true, false, false, true, false]);
    expectSame(rows, records, mapping);
  });

  it("agrees with parseAcraRecord on a generated sample with malformed rows, in the 53-column layout with an extra column", async () => {
    const lines = [...generateAcraSampleLines({ rows: 1500, seed: 11, malformedRate: 0.05, layout: "current" })];
    const header = [...splitCsvRecord(lines[0]!.trimEnd()), "_id"];
    expect(header).toHaveLength(ACRA_COLUMN_NAMES.length - LEGACY_ONLY_COLUMNS.length + 1);
    const records = lines
      .slice(1)
      .map((l, i) => [...splitCsvRecord(l.replace(/\n$/, "")), i % 3 ? String(i) : "na"])
      .filter((r) => r.length === header.length);
    const { rows, mapping } = await checkInSql(header, records);
    expect(rows.filter((r) => r.problem).length).toBeGreaterThan(20);
    expectSame(rows, records, mapping);
  });
});
