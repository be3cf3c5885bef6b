import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";
import { ACRA_COLUMN_NAMES, LEGACY_ONLY_COLUMNS } from "../../app/registry/acra-columns";
import { ingestAcraFiles, IngestionError } from "../../app/registry/ingest.server";
import { ingestAcraSource } from "../../app/registry/registry.server";
import { csvField, generateAcraSampleLines } from "../../app/registry/sample-generator";
import { type SourceFile } from "../../app/registry/sources.server";

const owner = () => process.env.DATABASE_URL!;
let client: pg.Client;
let dir: string;

beforeAll(async () => {
  client = new pg.Client({ connectionString: owner() });
  await client.connect();
  dir = await mkdtemp(path.join(tmpdir(), "acra-test-"));
});
afterAll(async () => {
  await client.end();
});
beforeEach(async () => {
  await client.query("TRUNCATE staging_acra_companies, acra_ingestion_runs, acra_ingestion_rejects");
});

type Company = Partial<Record<string, string>>;

function company(uen: string, overrides: Company = {}): Company {
  return {
    issuance_agency_id: "ACRA",
    uen,
    entity_name: `COMPANY ${uen} PTE. LTD.`,
    entity_type_description: "Local Company",
    entity_status_description: "Live Company",
    registration_incorporation_date: "2019-04-01",
    primary_ssic_code: "62011",
    primary_ssic_description: "DEVELOPMENT OF SOFTWARE AND APPLICATIONS (EXCEPT GAMES AND CYBERSECURITY)",
    postal_code: "068914",
    no_of_officers: "3",
    ...overrides,
  };
}

function csv(columns: readonly string[], rows: Company[]): string {
  return [columns.join(","), ...rows.map((r) => columns.map((c) => csvField(r[c] ?? "na")).join(","))].join("\n") + "\n";
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

async function ingest(p: string) {
  return ingestAcraSource(p, { connectionString: owner() });
}

async function registryRow(uen: string) {
  const { rows } = await client.query("SELECT * FROM staging_acra_companies WHERE uen = $1", [uen]);
  return rows[0];
}

async function rejects() {
  const { rows } = await client.query("SELECT kind, file, line, uen, reason, raw_line FROM acra_ingestion_rejects ORDER BY kind, line");
  return rows;
}

describe("registry ingestion", () => {
  it("loads a 94-column file, turning na and empty values into NULL", async () => {
    const p = await file(
      "a.csv",
      csv(ACRA_COLUMN_NAMES, [company("201912345K", { building_name: "", unit_no: "NA", paid_up_capital1_ordinary: "1,000,000" })]),
    );
    const summary = await ingest(p);
    expect(summary).toMatchObject({ read: 1, inserted: 1, updated: 0, unchanged: 0, rejected: 0, duplicates: 0 });
    const row = await registryRow("201912345K");
    expect(row.building_name).toBeNull();
    expect(row.unit_no).toBeNull();
    expect(row.former_entity_name1).toBeNull();
    expect(row.no_of_officers).toBe(3);
    expect(row.paid_up_capital1_ordinary).toBe("1000000.00");
    expect(row.registration_incorporation_date).toEqual(new Date("2019-04-01T00:00:00Z"));
    const { rows: runs } = await client.query("SELECT status, rows_read, rows_inserted, files, source_version FROM acra_ingestion_runs");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "succeeded", rows_read: 1, rows_inserted: 1 });
    expect(runs[0].files[0]).toMatchObject({ name: "a.csv", rows: 1, bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(runs[0].source_version).toBe(`sha256:${runs[0].files[0].sha256}`);
  });

  it("accepts header variants: the 53-column layout, another order, spacing and case, a BOM, and unknown columns kept as extra", async () => {
    const current = ACRA_COLUMN_NAMES.filter((c) => !LEGACY_ONLY_COLUMNS.includes(c));
    const shuffled = [...current].reverse();
    const header = [...shuffled.map((c) => (c === "entity_name" ? " Entity Name " : c === "uen" ? "UEN" : c)), "_id"];
    const body = [company("201900001A"), company("201900002B")].map((r, i) => [...shuffled.map((c) => csvField(r[c] ?? "na")), String(i + 1)].join(","));
    const p = await file("variants.csv", `\uFEFF${header.join(",")}\r\n${body.join("\r\n")}\r\n`);
    const summary = await ingest(p);
    expect(summary).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
    expect(summary.files[0]).toMatchObject({ missingColumns: LEGACY_ONLY_COLUMNS.length, extraColumns: ["_id"] });
    const row = await registryRow("201900002B");
    expect(row.entity_name).toBe("COMPANY 201900002B PTE. LTD.");
    expect(row.extra).toEqual({ _id: "2" });
    expect(row.no_of_charges).toBeNull();
  });

  it("rejects a file without a required column, naming it, and leaves the registry as it was", async () => {
    await ingest(await file("good.csv", csv(ACRA_COLUMN_NAMES, [company("201911111A")])));
    const withoutStatus = ACRA_COLUMN_NAMES.filter((c) => c !== "entity_status_description");
    const bad = await file("bad.csv", csv(withoutStatus, [company("201922222B")]));
    await expect(ingest(bad)).rejects.toThrow(/bad\.csv: Not an ACRA entities file: required column entity_status_description missing/);
    const { rows } = await client.query("SELECT uen FROM staging_acra_companies");
    expect(rows.map((r) => r.uen)).toEqual(["201911111A"]);
    const { rows: runs } = await client.query("SELECT status, error FROM acra_ingestion_runs ORDER BY started_at");
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "failed"]);
    expect(runs[1].error).toMatch(/required column entity_status_description missing/);
  });

  it("rejects malformed rows with file, line, reason and raw line, and loads the rest", async () => {
    const rows = [
      company("201900001A"),
      company("201900002B", { registration_incorporation_date: "31/02/2019" }),
      company("201900003C", { account_due_date: "2024-02-30" }),
      company("na"),
      company("201900005E", { no_of_officers: "three" }),
      company("201900006F", { entity_name: "" }),
      company("201900007G"),
      company("201900008H"),
      company("201900009J", { street_name: "NUL\u0000ROAD" }),
      company("201900010K", { building_name: "BROKENBYTE" }),
    ];
    const lines = csv(ACRA_COLUMN_NAMES, rows).split("\n");
    lines[8] = lines[8]!.replace(/,na$/, "");
    const [before, after] = lines.join("\n").split("BROKENBYTE");
    const content = Buffer.concat([Buffer.from(`${before}BROKEN`), Buffer.from([0xc3, 0x28]), Buffer.from(`BYTE${after}`)]);
    const summary = await ingest(await file("mixed.csv", content));
    expect(summary).toMatchObject({ read: 10, inserted: 2, rejected: 8, duplicates: 0 });
    const found = await rejects();
    expect(found.map((r) => [r.line, r.uen, r.reason])).toEqual([
      [3, "201900002B", 'registration_incorporation_date: not a date (YYYY-MM-DD): "31/02/2019"'],
      [4, "201900003C", 'account_due_date: not a date (YYYY-MM-DD): "2024-02-30"'],
      [5, "na", "uen is missing"],
      [6, "201900005E", 'no_of_officers: not a whole number: "three"'],
      [7, "201900006F", "entity_name is missing"],
      [9, "201900008H", `expected ${ACRA_COLUMN_NAMES.length} fields, found ${ACRA_COLUMN_NAMES.length - 1}`],
      [10, "201900009J", "street_name: contains a NUL byte"],
      [11, "201900010K", "building_name: invalid UTF-8 byte sequence"],
    ]);
    expect(found.every((r) => r.kind === "invalid" && r.file === "mixed.csv")).toBe(true);
    expect(found[0].raw_line).toBe(lines[2]);
    expect(found[6].raw_line).toContain("NUL\u2400ROAD");
    expect(found[7].raw_line).toContain("BROKEN\uFFFD(BYTE");
    const { rows: loaded } = await client.query("SELECT uen FROM staging_acra_companies ORDER BY uen");
    expect(loaded.map((r) => r.uen)).toEqual(["201900001A", "201900007G"]);
  });

  it("numbers rejected rows by their line in the file across CRLF, blank lines and quoted line breaks", async () => {
    const header = ACRA_COLUMN_NAMES.join(",");
    const row = (r: Company) => ACRA_COLUMN_NAMES.map((c) => csvField(r[c] ?? "na")).join(",");
    const content = [
      header,
      row(company("201900001A", { street_name: "LINE ONE\r\nLINE TWO" })),
      "",
      "",
      row(company("201900002B", { no_of_officers: "three" })),
      row(company("201900003C")),
      `${row(company("201900004D")).replace(/,na$/, "")},"never closed`,
    ].join("\r\n");
    const summary = await ingest(await file("crlf.csv", content));
    expect(summary).toMatchObject({ read: 4, inserted: 2, rejected: 2 });
    const found = await rejects();
    expect(found.map((r) => [r.line, r.reason.slice(0, 29)])).toEqual([
      [6, "no_of_officers: not a whole n"],
      [8, "unreadable CSV: Quote Not Clo"],
    ]);
    expect(found[0].raw_line).toBe(row(company("201900002B", { no_of_officers: "three" })));
    expect((await registryRow("201900001A")).street_name).toBe("LINE ONE\r\nLINE TWO");
  });

  it("keeps the last line of a duplicated UEN and reports the others", async () => {
    const p = await file(
      "dups.csv",
      csv(ACRA_COLUMN_NAMES, [company("201900001A", { entity_name: "FIRST" }), company("201900002B"), company("201900001A", { entity_name: "SECOND" })]),
    );
    const summary = await ingest(p);
    expect(summary).toMatchObject({ read: 3, inserted: 2, duplicates: 1, rejected: 0 });
    expect((await registryRow("201900001A")).entity_name).toBe("SECOND");
    expect(await rejects()).toEqual([
      { kind: "duplicate", file: "dups.csv", line: 2, uen: "201900001A", reason: "duplicate UEN 201900001A: superseded by dups.csv line 4", raw_line: null },
    ]);
  });

  it("changes nothing when the same file is loaded again, and only what changed after an edit", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => company(`2019${String(i).padStart(5, "0")}A`));
    const p = await file("same.csv", csv(ACRA_COLUMN_NAMES, rows));
    expect(await ingest(p)).toMatchObject({ inserted: 50, updated: 0, unchanged: 0 });
    const before = await registryRow("201900007A");
    expect(await ingest(p)).toMatchObject({ read: 50, inserted: 0, updated: 0, unchanged: 50, rejected: 0 });
    expect((await registryRow("201900007A")).updated_at).toEqual(before.updated_at);
    rows[7] = company("201900007A", { entity_status_description: "Struck Off" });
    expect(await ingest(await file("same.csv", csv(ACRA_COLUMN_NAMES, rows)))).toMatchObject({ inserted: 0, updated: 1, unchanged: 49 });
    expect((await registryRow("201900007A")).entity_status_description).toBe("Struck Off");
  });

  it("recognises the rows the registry holds while reading a reload, and still reports their duplicates", async () => {
    const [a, b, c] = ["201900001A", "201900002B", "201900003C"].map((uen) => company(uen));
    await ingest(await file("held.csv", csv(ACRA_COLUMN_NAMES, [a!, b!, c!])));
    const before = await registryRow("201900002B");
    const reload = csv(ACRA_COLUMN_NAMES, [a!, company("201900002B", { entity_name: "RENAMED" }), c!, a!, b!, company("201900004D")]);
    const summary = await ingest(await file("held.csv", reload));
    // Lines 2, 4, 5 and 6 are rows the registry holds byte for byte: not copied, not checked again.
    expect(summary.files[0]).toMatchObject({ rows: 6, held: 4 });
    expect(summary).toMatchObject({ read: 6, inserted: 1, updated: 0, unchanged: 3, rejected: 0, duplicates: 2 });
    expect(await rejects()).toEqual([
      { kind: "duplicate", file: "held.csv", line: 2, uen: "201900001A", reason: "duplicate UEN 201900001A: superseded by held.csv line 5", raw_line: null },
      { kind: "duplicate", file: "held.csv", line: 3, uen: "201900002B", reason: "duplicate UEN 201900002B: superseded by held.csv line 6", raw_line: null },
    ]);
    expect(await registryRow("201900002B")).toEqual(before);
    expect((await registryRow("201900004D")).entity_name).toBe("COMPANY 201900004D PTE. LTD.");
  });

  it("reloads while a vacuum of the registry runs (it takes no lock that would wait for one)", async () => {
    const p = await file("vacuumed.csv", csv(ACRA_COLUMN_NAMES, [company("201900001A"), company("201900002B")]));
    await ingest(p);
    const vacuum = new pg.Client({ connectionString: owner() });
    await vacuum.connect();
    try {
      // The lock a (auto)vacuum or ANALYZE holds on the table while it runs.
      await vacuum.query("BEGIN; LOCK TABLE staging_acra_companies IN SHARE UPDATE EXCLUSIVE MODE");
      expect(await ingest(p)).toMatchObject({ unchanged: 2, inserted: 0, updated: 0 });
    } finally {
      await vacuum.query("ROLLBACK");
      await vacuum.end();
    }
  });

  it("leaves the previous registry intact when a load dies halfway", async () => {
    await ingest(await file("base.csv", csv(ACRA_COLUMN_NAMES, [company("201900001A"), company("201900002B")])));
    const next = csv(ACRA_COLUMN_NAMES, [
      company("201900001A", { entity_name: "RENAMED" }),
      ...Array.from({ length: 2000 }, (_, i) => company(`2020${String(i).padStart(5, "0")}Z`)),
    ]);
    const dying: SourceFile = {
      name: "dying.csv",
      open: async () => ({
        stream: Readable.from(
          (async function* () {
            yield Buffer.from(next.slice(0, Math.floor(next.length / 2)));
            await new Promise((r) => setTimeout(r, 20));
            throw new Error("connection reset by peer");
          })(),
        ),
      }),
    };
    await expect(ingestAcraFiles({ connectionString: owner(), source: "dying", files: [dying] })).rejects.toThrow(IngestionError);
    const { rows } = await client.query("SELECT uen, entity_name FROM staging_acra_companies ORDER BY uen");
    expect(rows).toEqual([
      { uen: "201900001A", entity_name: "COMPANY 201900001A PTE. LTD." },
      { uen: "201900002B", entity_name: "COMPANY 201900002B PTE. LTD." },
    ]);
    const { rows: runs } = await client.query("SELECT status, error FROM acra_ingestion_runs WHERE source = 'dying'");
    expect(runs[0]).toMatchObject({ status: "failed", error: expect.stringContaining("connection reset by peer") });
  });

  it("loads a folder of files in name order; across files the last line still wins", async () => {
    const folder = await mkdtemp(path.join(dir, "folder-"));
    await writeFile(
      path.join(folder, "ACRA Information on Corporate Entities ('A').csv"),
      csv(ACRA_COLUMN_NAMES, [company("201900001A", { entity_name: "FROM A" })]),
    );
    await writeFile(
      path.join(folder, "ACRA Information on Corporate Entities ('B').csv"),
      csv(ACRA_COLUMN_NAMES, [company("201900001A", { entity_name: "FROM B" }), company("201900002B")]),
    );
    await writeFile(path.join(folder, "notes.txt"), "not a csv");
    const summary = await ingest(folder);
    expect(summary).toMatchObject({ read: 3, inserted: 2, duplicates: 1 });
    expect(summary.files.map((f) => f.name)).toEqual(["ACRA Information on Corporate Entities ('A').csv", "ACRA Information on Corporate Entities ('B').csv"]);
    expect((await registryRow("201900001A")).entity_name).toBe("FROM B");
  });

  it("ingests the generated sample, reporting its malformed rows and duplicates", async () => {
    const text = [...generateAcraSampleLines({ rows: 3000, seed: 7, malformedRate: 0.01, duplicateRate: 0.005 })].join("");
    const summary = await ingest(await file("sample.csv", text));
    expect(summary.read).toBe(3000);
    expect(summary.rejected).toBeGreaterThan(5);
    expect(summary.duplicates).toBeGreaterThan(3);
    expect(summary.inserted + summary.rejected + summary.duplicates).toBe(3000);
    expect((await registryRow("201190001C")).entity_name).toBe("CODIGO PTE. LTD.");
  });

  it("sets up the demo registry once", async () => {
    const first = await ensureDemoRegistry({ connectionString: owner(), rows: 500 });
    expect(first.loaded).toBe(true);
    const again = await ensureDemoRegistry({ connectionString: owner(), rows: 500 });
    expect(again).toEqual({ loaded: false, companies: first.loaded ? first.summary.inserted : -1 });
    const codigo = await registryRow("201190001C");
    expect(codigo).toMatchObject({ entity_name: "CODIGO PTE. LTD.", entity_status_description: "Live Company", primary_ssic_code: "62011" });
  });

  it("is read-only for the application role", async () => {
    await ingest(await file("registry.csv", csv(ACRA_COLUMN_NAMES, [company("201900001A"), company("201900002B", { entity_name: "READABLE PTE. LTD." })])));
    const app = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
    await app.connect();
    try {
      const { rows } = await app.query("SELECT uen, entity_name FROM staging_acra_companies ORDER BY uen");
      expect(rows).toEqual([
        { uen: "201900001A", entity_name: "COMPANY 201900001A PTE. LTD." },
        { uen: "201900002B", entity_name: "READABLE PTE. LTD." },
      ]);
      await expect(
        app.query("INSERT INTO staging_acra_companies (uen, entity_name, entity_status_description, content_hash) VALUES ('X', 'X', 'X', 'X')"),
      ).rejects.toThrow(/permission denied/);
      await expect(app.query("DELETE FROM acra_ingestion_runs")).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });

  /** The registry's indexes and key as Postgres would recreate them. */
  async function registryIndexes() {
    const { rows } = await client.query(
      `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition, pg_get_constraintdef(c.oid) AS constraint_definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid
       WHERE x.indrelid = 'staging_acra_companies'::regclass ORDER BY i.relname`,
    );
    return rows;
  }

  it("builds the indexes of an empty registry after loading it, as they were, and searches by name with the trigram index", async () => {
    const before = await registryIndexes();
    expect(before.map((r) => r.name)).toEqual(["staging_acra_companies_entity_name_trgm", "staging_acra_companies_pkey"]);
    const summary = await ingest(
      await file("first.csv", csv(ACRA_COLUMN_NAMES, [company("201900001A", { entity_name: "HARBOURFRONT ROBOTICS PTE. LTD." }), company("201900002B")])),
    );
    expect(summary).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect(await registryIndexes()).toEqual(before);
    await client.query("BEGIN");
    try {
      await client.query("SET LOCAL enable_seqscan = off");
      const search = "SELECT uen FROM staging_acra_companies WHERE 'harbourfront robotic' <% entity_name";
      const { rows: plan } = await client.query(`EXPLAIN ${search}`);
      expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("staging_acra_companies_entity_name_trgm");
      expect((await client.query(search)).rows).toEqual([{ uen: "201900001A" }]);
    } finally {
      await client.query("ROLLBACK");
    }
    // The key is back: a reload of a changed row updates it in place.
    const again = await ingest(await file("second.csv", csv(ACRA_COLUMN_NAMES, [company("201900001A", { entity_name: "RENAMED PTE. LTD." })])));
    expect(again).toMatchObject({ inserted: 0, updated: 1 });
  });

  it("supersedes repeated UENs in a first load once the key's build finds them, keeping the rejects and the indexes as they were", async () => {
    const before = await registryIndexes();
    const rows = [company("201900001A", { entity_name: "FIRST" }), company("201900002B", { no_of_officers: "three" }), company("201900001A")];
    const summary = await ingest(await file("first-dups.csv", csv(ACRA_COLUMN_NAMES, [...rows, company("201900003C")])));
    expect(summary).toMatchObject({ read: 4, inserted: 2, updated: 0, unchanged: 0, rejected: 1, duplicates: 1 });
    expect(await registryIndexes()).toEqual(before);
    expect((await registryRow("201900001A")).entity_name).not.toBe("FIRST");
    expect((await rejects()).map((r) => [r.kind, r.line, r.reason])).toEqual([
      ["duplicate", 2, "duplicate UEN 201900001A: superseded by first-dups.csv line 4"],
      ["invalid", 3, 'no_of_officers: not a whole number: "three"'],
    ]);
  });

  it("stores a first load's sound records straight into the registry, as the checks store them when the registry holds rows", async () => {
    const edges: Company[] = [
      company("201900001A", { entity_name: "PLAIN PTE. LTD.", paid_up_capital1_ordinary: "-12.50", no_of_charges: "007", account_due_date: "2024-02-29" }),
      company("201900002B", { entity_name: '"QUOTED", A\nB', paid_up_capital1_currency: "SINGAPORE, DOLLARS", building_name: "nA" }),
      company("201900003c", { postal_code: "18956", street_name: " 1 ROAD ", block: "N/A", level_no: "Na", unit_no: "" }),
      company("201900004D", { paid_up_capital1_ordinary: "1,000", uen_issue_date: " 2019-01-02", no_of_officers: "7 " }),
      company("201900005E", { registration_incorporation_date: "2023-02-29" }),
      company("201900006F", { entity_name: "na" }),
      company("201900001A", { entity_name: "PLAIN AGAIN PTE. LTD." }),
      company("201900004D", { entity_name: "PADDED AGAIN", street_name: " 2 ROAD " }),
      company("201900003C"),
      company("201900007G"),
      company("201900007G"),
    ];
    const text =
      csv(ACRA_COLUMN_NAMES, edges) + [...generateAcraSampleLines({ rows: 400, seed: 5, malformedRate: 0.05, duplicateRate: 0.05 })].slice(1).join("");
    const p = await file("edges.csv", text);
    const snapshot = async () => {
      const { rows } = await client.query("SELECT * FROM staging_acra_companies WHERE uen <> '199900000Z' ORDER BY uen");
      const registry = rows.map(({ first_run_id: _f, last_run_id: _l, created_at: _c, updated_at: _u, ...row }) => row);
      const { rows: reported } = await client.query("SELECT kind, line, uen, reason, raw_line FROM acra_ingestion_rejects ORDER BY kind, line");
      return { registry, reported };
    };
    const first = await ingest(p);
    expect(first.files[0]).toMatchObject({ rows: 411, stored: 389 });
    const stored = await snapshot();
    await client.query("TRUNCATE staging_acra_companies, acra_ingestion_runs, acra_ingestion_rejects");
    await ingest(await file("other.csv", csv(ACRA_COLUMN_NAMES, [company("199900000Z")])));
    await client.query("TRUNCATE acra_ingestion_rejects");
    const checked = await ingest(p);
    expect(checked.files[0]).toMatchObject({ rows: 411, stored: 0 });
    expect(await snapshot()).toEqual(stored);
    expect([first.inserted, first.rejected, first.duplicates]).toEqual([checked.inserted, checked.rejected, checked.duplicates]);
    expect((await registryRow("201900001A")).entity_name).toBe("PLAIN AGAIN PTE. LTD.");
    expect((await registryRow("201900004D")).street_name).toBe("2 ROAD");
  });

  it("records a first load's run on the rows it COPYs straight in, and reports the load's phases", async () => {
    const summary = await ingest(await file("run.csv", csv(ACRA_COLUMN_NAMES, [company("201900001A"), company("201900002B"), company("201900003C")])));
    expect(summary.files[0]).toMatchObject({ rows: 3, stored: 3 });
    const { rows } = await client.query("SELECT first_run_id, last_run_id, count(*)::int AS n FROM staging_acra_companies GROUP BY 1, 2");
    expect(rows).toEqual([{ first_run_id: summary.runId, last_run_id: summary.runId, n: 3 }]);
    expect(Object.keys(summary.phases)).toEqual(["reading", "merging", "indexing", "analyzing"]);
    // Three rows are too few to ANALYZE.
    expect(summary.phases.analyzing).toBe(0);
  });

  it("leaves an empty registry, its indexes and no raw table behind when a first load dies halfway", async () => {
    const before = await registryIndexes();
    const text = csv(ACRA_COLUMN_NAMES, [
      company("201900001A", { entity_name: " PADDED " }),
      ...Array.from({ length: 2000 }, (_, i) => company(`2020${String(i).padStart(5, "0")}Z`)),
    ]);
    const dying: SourceFile = {
      name: "dying-first.csv",
      open: async () => ({
        stream: Readable.from(
          (async function* () {
            yield Buffer.from(text.slice(0, Math.floor(text.length / 2)));
            await new Promise((r) => setTimeout(r, 20));
            throw new Error("connection reset by peer");
          })(),
        ),
      }),
    };
    await expect(ingestAcraFiles({ connectionString: owner(), source: "dying-first", files: [dying] })).rejects.toThrow(/connection reset by peer/);
    expect(await registryIndexes()).toEqual(before);
    const { rows } = await client.query(
      "SELECT (SELECT count(*)::int FROM staging_acra_companies) AS companies, (SELECT count(*)::int FROM pg_tables WHERE tablename LIKE 'acra_load%') AS raw_tables",
    );
    expect(rows).toEqual([{ companies: 0, raw_tables: 0 }]);
  });

  it("keeps the indexes of an empty registry when its first load fails after dropping them", async () => {
    const before = await registryIndexes();
    // Fails the insert itself, after the indexes were dropped.
    await client.query(`CREATE FUNCTION refuse_company() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.entity_name = 'REFUSED PTE. LTD.' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await client.query("CREATE TRIGGER refuse_company BEFORE INSERT ON staging_acra_companies FOR EACH ROW EXECUTE FUNCTION refuse_company()");
    try {
      const p = await file("refused.csv", csv(ACRA_COLUMN_NAMES, [company("201900001A"), company("201900002B", { entity_name: "REFUSED PTE. LTD." })]));
      await expect(ingest(p)).rejects.toThrow(/refused by the test/);
    } finally {
      await client.query("DROP TRIGGER refuse_company ON staging_acra_companies; DROP FUNCTION refuse_company()");
    }
    expect(await registryIndexes()).toEqual(before);
    expect((await client.query("SELECT count(*)::int AS n FROM staging_acra_companies")).rows).toEqual([{ n: 0 }]);
  });
});
