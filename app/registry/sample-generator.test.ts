import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ACRA_COLUMN_NAMES, mapHeader } from "./acra-columns";
import { parseAcraRecord } from "./acra-row";
import { generateAcraSampleLines } from "./sample-generator";
import { DEMO_COMPANIES } from "./sample-vocabulary";
import { ssicTitle } from "./ssic-2020";

const text = (options: Parameters<typeof generateAcraSampleLines>[0]) => [...generateAcraSampleLines(options)].join("");

describe("ACRA sample generator", () => {
  it("is deterministic by seed", () => {
    expect(text({ rows: 300, seed: 5 })).toBe(text({ rows: 300, seed: 5 }));
    expect(text({ rows: 300, seed: 5 })).not.toBe(text({ rows: 300, seed: 6 }));
  });

  it("writes realistic rows in the real format, demo companies first", () => {
    const records: string[][] = parse(text({ rows: 2000, seed: 3, malformedRate: 0, duplicateRate: 0 }), { relax_column_count: true });
    expect(records[0]).toEqual([...ACRA_COLUMN_NAMES]);
    const mapping = mapHeader(records[0]!);
    const rows = records.slice(1).map((r) => parseAcraRecord(r, mapping));
    expect(rows.every((r) => r.ok)).toBe(true);
    const get = (r: string[], c: string) => r[ACRA_COLUMN_NAMES.indexOf(c)]!;
    expect(records.slice(1, 1 + DEMO_COMPANIES.length).map((r) => get(r, "entity_name"))).toEqual(DEMO_COMPANIES.map((d) => d.name));
    expect(get(records[1]!, "entity_name")).toBe("CODIGO PTE. LTD.");
    const body = records.slice(1);
    const statuses = new Set(body.map((r) => get(r, "entity_status_description")));
    for (const s of ["Live Company", "Live", "Struck Off", "Cancelled"]) expect(statuses).toContain(s);
    const uens = body.map((r) => get(r, "uen"));
    expect(new Set(uens).size).toBe(uens.length);
    expect(uens.every((u) => /^(\d{9}[A-Z]|\d{8}[A-Z]|[ST]\d{2}[A-Z]{2}\d{4}[A-Z])$/.test(u))).toBe(true);
    for (const r of body) {
      const code = get(r, "primary_ssic_code");
      expect(get(r, "primary_ssic_description")).toBe(ssicTitle(code));
      const postal = get(r, "postal_code");
      expect(postal === "na" || /^\d{6}$/.test(postal)).toBe(true);
    }
    const prefixes = new Set(body.map((r) => get(r, "primary_ssic_code").slice(0, 2)));
    for (const division of ["62", "46", "56", "41", "52", "70", "64", "25"]) expect(prefixes).toContain(division);
    expect(body.filter((r) => get(r, "former_entity_name1") === "na").length).toBeGreaterThan(body.length * 0.8);
  });

  it("adds a few malformed rows and duplicate UENs unless told not to", () => {
    const records: string[][] = parse(text({ rows: 3000, seed: 4, malformedRate: 0.01, duplicateRate: 0.01 }), { relax_column_count: true });
    const mapping = mapHeader(records[0]!);
    const bad = records.slice(1).filter((r) => !parseAcraRecord(r, mapping).ok);
    expect(bad.length).toBeGreaterThan(10);
    expect(bad.length).toBeLessThan(60);
    const uens = records.slice(1).map((r) => r[1]);
    expect(new Set(uens).size).toBeLessThan(uens.length);
  });

  it("writes the 53-column layout on request", () => {
    const [header] = text({ rows: 1, layout: "current" }).split("\n");
    expect(header!.split(",")).toHaveLength(53);
    expect(header).not.toContain("paid_up_capital");
  });
});
