import { describe, expect, it } from "vitest";
import { ACRA_COLUMN_NAMES, HeaderError, mapHeader, normalizeHeaderName } from "./acra-columns";
import { parseAcraRecord } from "./acra-row";
import { isStrictIsoDate } from "./iso-date";

const mapping = mapHeader(ACRA_COLUMN_NAMES);
function record(values: Record<string, string>): string[] {
  return ACRA_COLUMN_NAMES.map((c) => values[c] ?? "na");
}
const base = { uen: "201912345k", entity_name: "ABC PTE. LTD.", entity_status_description: "Live Company" };

describe("ACRA header", () => {
  it("has the 94 real columns", () => {
    expect(ACRA_COLUMN_NAMES).toHaveLength(94);
    expect(new Set(ACRA_COLUMN_NAMES).size).toBe(94);
    expect(ACRA_COLUMN_NAMES.at(-1)).toBe("name_of_audit_firm5");
  });

  it("normalizes names and refuses duplicates and missing required columns", () => {
    expect(normalizeHeaderName("\uFEFF Entity Name ")).toBe("entity_name");
    expect(normalizeHeaderName("_id")).toBe("_id");
    expect(() => mapHeader(["uen", "entity_name", "UEN", "entity_status_description"])).toThrow(/names column "uen" twice/);
    expect(() => mapHeader(["uen", "name"])).toThrow(HeaderError);
    expect(() => mapHeader(["uen", "name"])).toThrow(/required columns entity_name, entity_status_description missing/);
  });
});

describe("parseAcraRecord", () => {
  it("normalizes na, empty, UEN case, postal codes that lost their leading zero, and amounts with commas", () => {
    const result = parseAcraRecord(record({ ...base, postal_code: "18956", building_name: " ", paid_up_capital1_ordinary: "1,000" }), mapping);
    if (!result.ok) throw new Error(result.reason);
    const value = (c: string) => result.row.values[ACRA_COLUMN_NAMES.indexOf(c)];
    expect(result.row.uen).toBe("201912345K");
    expect(value("postal_code")).toBe("018956");
    expect(value("building_name")).toBeNull();
    expect(value("paid_up_capital1_ordinary")).toBe("1000");
  });

  it("parses dates strictly", () => {
    expect(isStrictIsoDate("2024-02-29")).toBe(true);
    for (const bad of ["2023-02-29", "2024-13-01", "24-01-01", "2024/01/01", "01/02/2024", "2024-1-1", "1700-01-01"])
      expect(isStrictIsoDate(bad), bad).toBe(false);
    const result = parseAcraRecord(record({ ...base, uen_issue_date: "2019-02-29" }), mapping);
    expect(result).toEqual({ ok: false, reason: 'uen_issue_date: not a date (YYYY-MM-DD): "2019-02-29"' });
  });
});
