import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScopedClientFor, db, platformDb } from "~/db.server";

/**
 * Row-level security, exercised through the real application role: the
 * tenant-scoped client must never see, change or create another tenant's rows.
 */
let tenantA: string;
let tenantB: string;

beforeAll(async () => {
  const a = await platformDb.tenant.create({ data: { slug: "tenant-a", name: "Tenant A", status: "active" } });
  const b = await platformDb.tenant.create({ data: { slug: "tenant-b", name: "Tenant B", status: "active" } });
  tenantA = a.id;
  tenantB = b.id;
  for (const [tenantId, prefix] of [
    [tenantA, "a"],
    [tenantB, "b"],
  ] as const) {
    await platformDb.icpRule.create({ data: { tenantId, version: 1, rules: { industries: [`${prefix}-software`] } } });
    await platformDb.auditLog.create({ data: { tenantId, action: `${prefix}.created` } });
    const user = await platformDb.user.create({ data: { sub: `sub-${prefix}`, email: `${prefix}@example.com` } });
    await platformDb.tenantUser.create({ data: { tenantId, userId: user.id, roles: ["admin"] } });
  }
});

describe("the tenant-scoped client", () => {
  it("reads only its own tenant's rows", async () => {
    const rules = await db.$withTenant(tenantA, (tx) => tx.icpRule.findMany());
    expect(rules.map((r) => r.tenantId)).toEqual([tenantA]);
    const tenants = await db.$withTenant(tenantA, (tx) => tx.tenant.findMany());
    expect(tenants.map((t) => t.slug)).toEqual(["tenant-a"]);
    const users = await db.$withTenant(tenantA, (tx) => tx.user.findMany());
    expect(users.map((u) => u.email)).toEqual(["a@example.com"]);
  });

  it("cannot read another tenant's row even by its key", async () => {
    const found = await db.$withTenant(tenantA, (tx) => tx.icpRule.findUnique({ where: { tenantId_version: { tenantId: tenantB, version: 1 } } }));
    expect(found).toBeNull();
  });

  it("cannot update or delete another tenant's rows", async () => {
    const updated = await db.$withTenant(tenantA, (tx) => tx.icpRule.updateMany({ where: { tenantId: tenantB }, data: { rules: { hijacked: true } } }));
    expect(updated.count).toBe(0);
    const deleted = await db.$withTenant(tenantA, (tx) => tx.icpRule.deleteMany({ where: { tenantId: tenantB } }));
    expect(deleted.count).toBe(0);
    const stillThere = await platformDb.icpRule.findUnique({ where: { tenantId_version: { tenantId: tenantB, version: 1 } } });
    expect(stillThere?.rules).toEqual({ industries: ["b-software"] });
  });

  it("cannot insert a row carrying another tenant's id", async () => {
    await expect(db.$withTenant(tenantA, (tx) => tx.icpRule.create({ data: { tenantId: tenantB, version: 2, rules: {} } }))).rejects.toThrow(
      /row-level security/,
    );
    expect(await platformDb.icpRule.count({ where: { tenantId: tenantB } })).toBe(1);
  });

  it("fills tenant_id from the scope when the caller leaves it out", async () => {
    const entry = await db.$withTenant(
      tenantA,
      (tx) => tx.$queryRaw<Array<{ tenant_id: string }>>`INSERT INTO audit_log (action) VALUES ('implicit') RETURNING tenant_id`,
    );
    expect(entry[0]!.tenant_id).toBe(tenantA);
  });

  it("rolls back everything in the scope when the callback throws", async () => {
    await expect(
      db.$withTenant(tenantA, async (tx) => {
        await tx.auditLog.create({ data: { tenantId: tenantA, action: "rolled.back" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await platformDb.auditLog.count({ where: { action: "rolled.back" } })).toBe(0);
  });

  it("refuses a tenant id that is not a UUID", async () => {
    await expect(db.$withTenant("'; DROP TABLE tenants; --", async () => 1)).rejects.toThrow(/Not a tenant id/);
  });
});

describe("the application role without a tenant", () => {
  // Platform tables the app role may not read at all (the control plane's operations) see even less than zero rows.
  const tenantTables = async () => {
    const rows = await platformDb.$queryRaw<Array<{ table_name: string }>>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'tenant_id'
        AND has_table_privilege('nexius_app', to_regclass(format('public.%I', table_name))::oid, 'SELECT')
      ORDER BY table_name`;
    return [...rows.map((r) => r.table_name), "tenants", "users"];
  };

  it("sees zero rows in every tenant table", async () => {
    for (const table of await tenantTables()) {
      const rows = await db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table}"`);
      expect(Number(rows[0]!.n), table).toBe(0);
    }
  });

  it("sees zero rows on a pooled connection that earlier ran a tenant transaction", async () => {
    // One connection, so the second query necessarily reuses the first's.
    const single = createScopedClientFor(process.env.APP_DATABASE_URL!, 1);
    try {
      const inside = await single.$withTenant(tenantA, (tx) => tx.icpRule.count());
      expect(inside).toBe(1);
      const backend = await single.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
      for (const table of await tenantTables()) {
        const rows = await single.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table}"`);
        expect(Number(rows[0]!.n), table).toBe(0);
      }
      const again = await single.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
      expect(again[0]!.pid).toBe(backend[0]!.pid);
    } finally {
      await single.$disconnect();
    }
  });

  it("sees zero rows on a plain connection of its own", async () => {
    const client = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT count(*)::int AS n FROM icp_rules");
      expect(rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });
});

afterAll(async () => {
  await platformDb.$disconnect();
});
