import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { type SourceConnector, type SourceMapper, type SourcePage, type SourceRecord } from "./pipeline";
import { replayLake } from "./replay.server";
import { requestSyncIn } from "./sync-requests.server";
import { runSync, type SourceKit } from "./sync-runner.server";

/**
 * The engine against an in-memory source whose records carry a change
 * sequence (as Odoo's write_date): full sync, then changes, archives and
 * deletions, then incremental; canonical must equal the source each time.
 */

type Company = { id: number; name: string; uen: string | null; website: string | null; active: boolean; seq: number };
type Person = { id: number; name: string; email: string | null; company: number | null; active: boolean; seq: number };

class MemorySource {
  seq = 0;
  companies = new Map<number, Company>();
  people = new Map<number, Person>();
  /** What check() reports missing (a module not installed). */
  missing: string[] = [];
  /** Throw after this many pages have been served (a killed sync). */
  failAfterPages: number | null = null;
  served = 0;

  company(c: Omit<Company, "seq" | "active"> & { active?: boolean }) {
    this.companies.set(c.id, { active: true, ...c, seq: ++this.seq });
  }
  person(p: Omit<Person, "seq" | "active"> & { active?: boolean }) {
    this.people.set(p.id, { active: true, ...p, seq: ++this.seq });
  }

  kit(pageSize = 2, entities = ["companies", "people"]): SourceKit {
    const table = (entity: string): Array<Company | Person> => [...(entity === "companies" ? this.companies : this.people).values()];
    const connector: SourceConnector = {
      source: "odoo",
      entities,
      check: async () => ({ missing: this.missing }),
      pages: (entity, from) => {
        const after = from.mode === "full" || from.cursor === null ? 0 : Number(from.cursor);
        const rows = table(entity)
          .filter((r) => r.seq > after)
          .sort((a, b) => a.seq - b.seq);

        const source = this;
        return (async function* (): AsyncGenerator<SourcePage> {
          for (let i = 0; i < rows.length; i += pageSize) {
            if (source.failAfterPages !== null && source.served >= source.failAfterPages) throw new Error("connection reset by the source");
            source.served++;
            const slice = rows.slice(i, i + pageSize);
            yield {
              records: slice.map((r): SourceRecord => ({ entity, sourceId: String(r.id), version: String(r.seq), payload: { ...r } })),
              cursor: String(slice.at(-1)!.seq),
            };
          }
        })();
      },
      liveIds: async (entity) => new Set(table(entity).map((r) => String(r.id))),
    };
    const mapper: SourceMapper = {
      source: "odoo",
      map(record) {
        const ref = { source: "odoo" as const, entity: record.entity, sourceId: record.sourceId };
        const p = record.payload;
        if (!p.name) return { mapped: [], rejected: [{ ref, reason: "has no name" }] };
        if (record.entity === "companies") {
          const c = p as unknown as Company;
          return {
            mapped: [
              {
                ref,
                draft: {
                  kind: "account",
                  name: c.name,
                  uen: c.uen,
                  vat: null,
                  website: c.website,
                  email: null,
                  phone: null,
                  countryCode: "sg",
                  tags: [],
                  active: c.active,
                },
              },
            ],
            rejected: [],
          };
        }
        const person = p as unknown as Person;
        const account = person.company === null ? null : { source: "odoo" as const, entity: "companies", sourceId: String(person.company) };
        return {
          mapped: [
            {
              ref,
              draft: {
                kind: "contact",
                name: person.name,
                email: person.email,
                phone: null,
                jobTitle: null,
                account,
                companyName: null,
                active: person.active,
              },
            },
          ],
          rejected: [],
        };
      },
    };
    return { connector, mapper };
  }
}

let tenantId: string;
let source: MemorySource;

beforeEach(async () => {
  const tenant = await platformDb.tenant.create({ data: { slug: `lake-${randomUUID().slice(0, 8)}`, name: "Lake Co", status: "active" } });
  tenantId = tenant.id;
  source = new MemorySource();
  source.company({ id: 1, name: "Codigo Pte. Ltd.", uen: "201912345A", website: "https://www.codigo.co/" });
  source.company({ id: 2, name: "Kopi Co", uen: null, website: "kopi.sg" });
  source.person({ id: 10, name: "Ann Tan", email: "ANN@codigo.co", company: 1 });
  source.person({ id: 11, name: "Ben Lim", email: "ben@kopi.sg", company: 2 });
  source.person({ id: 12, name: "Cai Ng", email: null, company: null });
});

async function sync(mode: "full" | "incremental", kit = source.kit()) {
  const { syncRunId } = await db.$withTenant(tenantId, (tx) => requestSyncIn(tx, tenantId, { source: "odoo", mode, trigger: "cli" }));
  return runSync(tenantId, syncRunId, kit);
}

/** Canonical as the source says it should be, computed here without the engine. */
function expectedCanonical() {
  return {
    accounts: [...source.companies.values()].map((c) => ({ name: c.name, uen: c.uen, active: c.active, deleted: false })),
    contacts: [...source.people.values()].map((p) => ({
      name: p.name,
      email: p.email?.toLowerCase() ?? null,
      account: p.company === null ? null : source.companies.get(p.company)!.name,
      active: p.active,
      deleted: false,
    })),
  };
}

async function canonical() {
  return db.$withTenant(tenantId, async (tx) => {
    const accounts = await tx.lakeAccount.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" } });
    const contacts = await tx.lakeContact.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" } });
    const names = new Map(accounts.map((a) => [a.id, a.name]));
    return {
      accounts: accounts.map((a) => ({ name: a.name, uen: a.uen, active: a.active, deleted: false })),
      contacts: contacts.map((c) => ({
        name: c.name,
        email: c.email,
        account: c.accountId ? (names.get(c.accountId) ?? "?") : null,
        active: c.active,
        deleted: false,
      })),
    };
  });
}

const byName = <T extends { name: string }>(rows: T[]) => [...rows].sort((a, b) => a.name.localeCompare(b.name));

async function expectLakeEqualsSource() {
  const want = expectedCanonical();
  const got = await canonical();
  expect(got.accounts).toEqual(byName(want.accounts));
  expect(got.contacts).toEqual(byName(want.contacts));
}

describe("runSync", () => {
  it("loads a full sync, then an incremental one with changes, archives and deletions, and canonical equals the source", async () => {
    const full = await sync("full");
    expect(full).toMatchObject({ status: "succeeded", fetched: 5, raw_inserted: 5, inserted: 5, updated: 0, deleted: 0, rejected: 0 });
    await expectLakeEqualsSource();

    source.company({ id: 2, name: "Kopi Company", uen: null, website: "kopi.sg" });
    source.person({ id: 11, name: "Ben Lim", email: "ben@kopi.sg", company: 2, active: false });
    source.person({ id: 13, name: "Dee Ong", email: "dee@codigo.co", company: 1 });
    const incremental = await sync("incremental");
    expect(incremental).toMatchObject({ status: "succeeded", fetched: 3, raw_inserted: 3, inserted: 1, updated: 2, deleted: 0 });
    await expectLakeEqualsSource();

    const unchanged = await sync("incremental");
    expect(unchanged).toMatchObject({ fetched: 0, raw_inserted: 0 });

    source.people.delete(12);
    const reconcile = await sync("full");
    expect(reconcile).toMatchObject({ status: "succeeded", fetched: 5, raw_inserted: 1, deleted: 1, inserted: 0, updated: 0 });
    await expectLakeEqualsSource();
    const raw = await db.$withTenant(tenantId, (tx) => tx.lakeRawRecord.findMany({ where: { entity: "people", sourceId: "12" }, orderBy: { id: "asc" } }));
    expect(raw.map((r) => r.removed)).toEqual([false, true]);
  });

  it("normalises what it loads: emails lower-cased, domains from websites, UENs recognised", async () => {
    await sync("full");
    const accounts = await db.$withTenant(tenantId, (tx) => tx.lakeAccount.findMany({ orderBy: { name: "asc" } }));
    expect(accounts.map((a) => [a.name, a.domain, a.uen, a.countryCode])).toEqual([
      ["Codigo Pte. Ltd.", "codigo.co", "201912345A", "SG"],
      ["Kopi Co", "kopi.sg", null, "SG"],
    ]);
  });

  it("resumes a sync killed midway from its cursor, without duplicates", async () => {
    source.failAfterPages = 1;
    const { syncRunId } = await db.$withTenant(tenantId, (tx) => requestSyncIn(tx, tenantId, { source: "odoo", mode: "full", trigger: "cli" }));
    await expect(runSync(tenantId, syncRunId, source.kit())).rejects.toThrow("connection reset");
    source.failAfterPages = null;
    const resumed = await runSync(tenantId, syncRunId, source.kit());
    expect(resumed).toMatchObject({ status: "succeeded", fetched: 5, raw_inserted: 5, inserted: 5 });
    const raw = await db.$withTenant(tenantId, (tx) => tx.lakeRawRecord.count());
    expect(raw).toBe(5);
    await expectLakeEqualsSource();
  });

  it("links a person fetched before their company once the company arrives", async () => {
    await sync("full", source.kit(2, ["people", "companies"]));
    await expectLakeEqualsSource();
    const pending = await db.$withTenant(tenantId, (tx) => tx.lakePendingLink.count());
    expect(pending).toBe(0);
  });

  it("rejects a record it cannot map, with the reason, and marks the run partial", async () => {
    source.company({ id: 4, name: "", uen: null, website: null });
    const run = await sync("full");
    expect(run).toMatchObject({ status: "partial", rejected: 1 });
    const rejects = await db.$withTenant(tenantId, (tx) => tx.lakeSyncReject.findMany());
    expect(rejects.map((r) => [r.entity, r.sourceId, r.reason])).toEqual([["companies", "4", "has no name"]]);
  });

  it("rebuilds the same canonical rows from the raw zone alone", async () => {
    await sync("full", source.kit(2, ["people", "companies"]));
    source.company({ id: 1, name: "Codigo Pte Ltd", uen: "201912345A", website: "codigo.co" });
    source.person({ id: 10, name: "Ann Tan-Lee", email: "ann@codigo.co", company: 2 });
    await sync("incremental");
    source.people.delete(11);
    await sync("full");
    const snapshot = async () =>
      db.$withTenant(tenantId, async (tx) => {
        // Timestamps say when a row was written, which a replay changes by design.
        const strip = <T extends { createdAt: Date; updatedAt: Date; deletedAt: Date | null }>(row: T) => {
          const { createdAt: _created, updatedAt: _updated, deletedAt, ...rest } = row;
          return { ...rest, deleted: deletedAt !== null };
        };
        return {
          accounts: (await tx.lakeAccount.findMany({ orderBy: { id: "asc" } })).map(strip),
          contacts: (await tx.lakeContact.findMany({ orderBy: { id: "asc" } })).map(strip),
          heads: await tx.lakeSourceRecord.findMany({ orderBy: [{ entity: "asc" }, { sourceId: "asc" }], omit: { seenAt: true, removedAt: true } }),
        };
      });
    const before = await snapshot();
    expect(before.contacts.filter((c) => c.deleted)).toHaveLength(1);

    const { mapper } = source.kit();
    const replay = await replayLake(tenantId, { odoo: mapper, m365: mapper });
    expect(replay.records).toBe(await db.$withTenant(tenantId, (tx) => tx.lakeRawRecord.count()));
    expect(await snapshot()).toEqual(before);
  });

  it("fails at once, naming what the source lacks, instead of retrying reads that cannot work", async () => {
    source.missing = ["crm.lead: the model does not exist in this Odoo (is CRM (crm) installed?)"];
    const run = await sync("full");
    expect(run).toMatchObject({ status: "failed", fetched: 0 });
    const stored = await db.$withTenant(tenantId, (tx) => tx.lakeSyncRun.findFirstOrThrow({ orderBy: { createdAt: "desc" } }));
    expect(stored.error).toBe("The source lacks what the sync reads: crm.lead: the model does not exist in this Odoo (is CRM (crm) installed?)");
    expect(stored.missingFields).toEqual(source.missing);
    expect(await db.$withTenant(tenantId, (tx) => tx.lakeRawRecord.count())).toBe(0);
  });

  it("keeps two tenants' lakes apart", async () => {
    await sync("full");
    const other = await platformDb.tenant.create({ data: { slug: `lake-${randomUUID().slice(0, 8)}`, name: "Other", status: "active" } });
    const seen = await db.$withTenant(other.id, async (tx) => ({
      raw: await tx.lakeRawRecord.count(),
      accounts: await tx.lakeAccount.count(),
      heads: await tx.lakeSourceRecord.count(),
      runs: await tx.lakeSyncRun.count(),
    }));
    expect(seen).toEqual({ raw: 0, accounts: 0, heads: 0, runs: 0 });
  });
});
