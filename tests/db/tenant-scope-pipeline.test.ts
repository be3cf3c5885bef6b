import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SecondStatementInTenantReadError, tenantScopeStatement, transactionSettingSql } from "~/db/tenant-scope-pipeline.server";
import { BatchedTenantReadError, createScopedClientFor, InvalidTenantIdError, platformDb, type AppDb } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { withStatementTimeout } from "~/http/statement-timeout.server";
import { withLogContext } from "~/logger.server";

/**
 * The tenant scope travels with the first statement (one Sync) instead of
 * costing round trips of its own — and stays exactly as strict: the setting
 * dies with its transaction, a failing setting stops the statement, and
 * several statements share one transaction.
 */
let tenantA: string;
let tenantB: string;
let single: AppDb;
let roundTrips = 0;

beforeAll(async () => {
  tenantA = (await platformDb.tenant.create({ data: { slug: "pipe-a", name: "Pipe A", status: "active" } })).id;
  tenantB = (await platformDb.tenant.create({ data: { slug: "pipe-b", name: "Pipe B", status: "active" } })).id;
  for (const tenantId of [tenantA, tenantB]) {
    await platformDb.icpRule.create({ data: { tenantId, version: 1, rules: {} } });
  }
  // Every Sync the server answers ends in ReadyForQuery: counting them counts round trips.
  const clientProto = pg.Client.prototype as unknown as { _handleReadyForQuery(msg: unknown): void };
  const original = clientProto._handleReadyForQuery;
  vi.spyOn(clientProto, "_handleReadyForQuery").mockImplementation(function (this: unknown, msg: unknown) {
    roundTrips++;
    return original.call(this, msg);
  });
  // One connection, so every check below reuses the connection the scope ran on.
  single = createScopedClientFor(process.env.APP_DATABASE_URL!, 1);
  await single.$queryRaw`SELECT 1`;
});

afterEach(async () => {
  await platformDb.auditLog.deleteMany({ where: { action: "pipe.test" } });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await single.$disconnect();
  await platformDb.tenant.deleteMany({ where: { id: { in: [tenantA, tenantB] } } });
});

async function countRoundTrips<T>(fn: () => Promise<T>) {
  roundTrips = 0;
  const result = await fn();
  return { result, roundTrips };
}

async function settingAndBackend() {
  const [row] = await single.$queryRaw<Array<{ tenant: string | null; pid: number }>>`
    SELECT current_setting('app.tenant_id', true) AS tenant, pg_backend_pid() AS pid`;
  return row!;
}

/** Runs `fn` on a fresh one-connection client, with the texts of the Parses sent so far (each prepared text once per connection). */
async function onFreshConnection(fn: (fresh: AppDb, parsedTexts: () => string[]) => Promise<void>) {
  const connectionProto = pg.Connection.prototype as unknown as { parse(config: { text: string }): void };
  const parse = vi.spyOn(connectionProto, "parse");
  const fresh = createScopedClientFor(process.env.APP_DATABASE_URL!, 1);
  try {
    await fn(fresh, () => parse.mock.calls.map(([config]) => config.text));
  } finally {
    parse.mockRestore();
    await fresh.$disconnect();
  }
}

describe("a single-statement tenant read", () => {
  it("costs one round trip, runs as the application role and sees only its tenant", async () => {
    const { result, roundTrips } = await countRoundTrips(() =>
      single.$tenantRead(
        tenantA,
        (tx) =>
          tx.$queryRaw<Array<{ role: string; tenant: string; tenants: string[] }>>`
          SELECT current_user AS role, current_setting('app.tenant_id') AS tenant,
                 (SELECT array_agg(tenant_id::text) FROM icp_rules) AS tenants`,
      ),
    );
    expect(roundTrips).toBe(1);
    expect(result[0]!.role).toBe(new URL(process.env.APP_DATABASE_URL!).username);
    expect(result[0]!.tenant).toBe(tenantA);
    expect(result[0]!.tenants).toEqual([tenantA]);
  });

  it("leaves the setting empty on the same pooled connection afterwards", async () => {
    const before = await settingAndBackend();
    const rules = await single.$tenantRead(tenantB, (tx) => tx.icpRule.findMany());
    expect(rules.map((r) => r.tenantId)).toEqual([tenantB]);
    const after = await settingAndBackend();
    expect(after.pid).toBe(before.pid);
    expect(after.tenant ?? "").toBe("");
    expect(await single.icpRule.count()).toBe(0);
  });

  it("does not run its statement when setting the tenant fails", async () => {
    // Postgres refuses a NUL byte in a text value, so the actor email makes set_config fail.
    await expect(
      single.$tenantRead(tenantA, (tx) => tx.$executeRaw`INSERT INTO audit_log (action) VALUES ('pipe.test')`, {
        actor: { sub: "sub-a", email: "a\u0000@example.com" },
      }),
    ).rejects.toThrow();
    expect(await platformDb.auditLog.count({ where: { action: "pipe.test" } })).toBe(0);
    expect((await settingAndBackend()).tenant ?? "").toBe("");
  });

  it("answers a tenant id that is not one with a rejection, before anything runs", async () => {
    const fn = vi.fn(async () => 1);
    // Called outside `expect`: a throw instead of a rejected promise fails the test here.
    const read = single.$tenantRead("not-a-tenant", fn);
    const write = single.$tenantWrite("", fn);
    await expect(read).rejects.toThrow(InvalidTenantIdError);
    await expect(write).rejects.toThrow(InvalidTenantIdError);
    expect(fn).not.toHaveBeenCalled();
  });

  it("refuses a second statement instead of running it outside the tenant's transaction", async () => {
    await expect(
      single.$tenantRead(tenantA, async (tx) => {
        await tx.icpRule.count();
        return tx.$executeRaw`INSERT INTO audit_log (action) VALUES ('pipe.test')`;
      }),
    ).rejects.toThrow(SecondStatementInTenantReadError);
    expect(await platformDb.auditLog.count({ where: { action: "pipe.test" } })).toBe(0);
    expect(await single.$tenantRead(tenantA, (tx) => tx.icpRule.count())).toBe(1);
  });
  it("refuses a transaction of its own inside the read", async () => {
    await expect(
      single.$tenantRead(tenantA, () => single.$withTenant(tenantA, (tx) => tx.$executeRaw`INSERT INTO audit_log (action) VALUES ('pipe.test')`)),
    ).rejects.toThrow();
    expect(await platformDb.auditLog.count({ where: { action: "pipe.test" } })).toBe(0);
    expect((await settingAndBackend()).tenant ?? "").toBe("");
  });

  it("refuses findUnique, which Prisma would batch with other callers' lookups into one statement under one tenant", async () => {
    await expect(
      single.$tenantRead(tenantA, (tx) => tx.icpRule.findUnique({ where: { tenantId_version: { tenantId: tenantB, version: 1 } } })),
    ).rejects.toThrow(BatchedTenantReadError);
    // The lookups Prisma cannot batch keep each read to its own tenant, however many share a tick.
    const lookups = await Promise.all(
      [tenantA, tenantB, tenantA, tenantB].map((tenantId) =>
        single.$tenantRead(tenantId, (tx) => tx.icpRule.findFirst({ where: { tenantId: tenantB, version: 1 } })),
      ),
    );
    expect(lookups.map((rule) => rule?.tenantId ?? null)).toEqual([null, tenantB, null, tenantB]);
  });

  it("keeps its tenant while it waits for a connection another read hands back", async () => {
    // One connection and 30 reads at once: all but the first wait in the pool's queue,
    // and each is given the connection from inside another read's callback.
    const reads = Array.from({ length: 30 }, (_, i) => {
      const tenantId = i % 3 === 0 ? tenantB : tenantA;
      return single
        .$tenantRead(
          tenantId,
          (tx) => tx.$queryRaw<Array<{ tenant: string; tenants: string[] }>>`
          SELECT current_setting('app.tenant_id') AS tenant, (SELECT array_agg(tenant_id::text) FROM icp_rules) AS tenants`,
        )
        .then((rows) => ({ asked: tenantId, seen: rows[0] }));
    });
    for (const { asked, seen } of await Promise.all(reads)) expect(seen).toEqual({ tenant: asked, tenants: [asked] });
    expect((await settingAndBackend()).tenant ?? "").toBe("");
  });
});

describe("a raw tenant statement on the pool's own connection", () => {
  it("costs one round trip, runs as the application role and sees only its tenant", async () => {
    const { result, roundTrips } = await countRoundTrips(() =>
      single.$tenantSql<{ role: string; tenant: string; tenants: string[] }>(
        tenantA,
        Prisma.sql`SELECT current_user AS role, current_setting('app.tenant_id') AS tenant,
                 (SELECT array_agg(tenant_id::text) FROM icp_rules) AS tenants`,
      ),
    );
    expect(roundTrips).toBe(1);
    expect(result.rows).toEqual([{ role: new URL(process.env.APP_DATABASE_URL!).username, tenant: tenantA, tenants: [tenantA] }]);
  });

  it("commits a write by itself, for its tenant only, and leaves the setting empty on the same connection", async () => {
    const before = await settingAndBackend();
    const written = await single.$tenantSql(tenantB, Prisma.sql`INSERT INTO audit_log (action) VALUES (${"pipe.test"})`);
    expect(written.rowCount).toBe(1);
    const after = await settingAndBackend();
    expect(after.pid).toBe(before.pid);
    expect(after.tenant ?? "").toBe("");
    expect(await platformDb.auditLog.findMany({ where: { action: "pipe.test" }, select: { tenantId: true } })).toEqual([{ tenantId: tenantB }]);
    // Another tenant does not see it.
    const seen = await single.$tenantSql<{ n: number }>(tenantA, Prisma.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'pipe.test'`);
    expect(seen.rows).toEqual([{ n: 0 }]);
  });

  it("answers a tenant id that is not one with a rejection, and keeps its tenant while it waits for a connection", async () => {
    const refused = single.$tenantSql("not-a-tenant", Prisma.sql`SELECT 1`);
    await expect(refused).rejects.toThrow(InvalidTenantIdError);
    const reads = Array.from({ length: 12 }, (_, i) => {
      const tenantId = i % 3 === 0 ? tenantB : tenantA;
      return single
        .$tenantSql<{ tenant: string }>(tenantId, Prisma.sql`SELECT current_setting('app.tenant_id') AS tenant`)
        .then(({ rows }) => ({ asked: tenantId, seen: rows[0]!.tenant }));
    });
    for (const { asked, seen } of await Promise.all(reads)) expect(seen).toBe(asked);
    expect((await settingAndBackend()).tenant ?? "").toBe("");
  });

  it("drops an idle connection the server closed, where it threw it, when only raw statements have used the pool", async () => {
    const fresh = createScopedClientFor(process.env.APP_DATABASE_URL!, 1);
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    try {
      const first = await fresh.$tenantSql<{ pid: number }>(tenantA, Prisma.sql`SELECT pg_backend_pid() AS pid`);
      const pid = first.rows[0]!.pid;
      await platformDb.$queryRaw`SELECT pg_terminate_backend(${pid})`;
      await vi.waitFor(async () => {
        const [gone] = await platformDb.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid}`;
        expect(gone!.n).toBe(0);
      });
      // The backend wrote its goodbye before it left pg_stat_activity, so the closed socket is readable by now, but its
      // callback may come after this one in the same poll phase; a check-phase turn lets the pool drop the connection.
      await new Promise((resolve) => setImmediate(resolve));
      const next = await fresh.$tenantSql<{ pid: number }>(tenantA, Prisma.sql`SELECT pg_backend_pid() AS pid`);
      expect(next.rows[0]!.pid).not.toBe(pid);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", record);
      await fresh.$disconnect();
    }
  });
});

describe("the tenant setting as a prepared statement", () => {
  it("is parsed once per connection and only bound afterwards", async () => {
    await onFreshConnection(async (fresh, parsedTexts) => {
      await fresh.$tenantRead(tenantA, (tx) => tx.icpRule.findMany());
      await fresh.$tenantRead(tenantB, (tx) => tx.icpRule.findMany());
      await fresh.$withTenant(tenantA, (tx) => tx.icpRule.findMany());
      const setting = tenantScopeStatement({ tenantId: tenantA }).text;
      expect(parsedTexts().filter((text) => text === setting)).toHaveLength(1);
      const prepared = await fresh.$queryRaw<Array<{ from_sql: boolean }>>`
        SELECT from_sql FROM pg_prepared_statements WHERE statement = ${setting}`;
      expect(prepared).toEqual([{ from_sql: false }]);
    });
  });

  it("is prepared again after an error made the server skip its first Parse", async () => {
    const setting = transactionSettingSql("app.lake_owner_ids");
    const fresh = createScopedClientFor(process.env.APP_DATABASE_URL!, 1);
    try {
      // The tenant setting fails (a NUL byte) in front of the further setting's first Parse, which the server then skips.
      await expect(
        fresh.$withTenant(
          tenantA,
          async (tx) => {
            await tx.$executeRawUnsafe(setting, "*");
            return tx.icpRule.count();
          },
          { actor: { sub: "sub-a", email: "a\u0000@example.com" } },
        ),
      ).rejects.toThrow();
      const seen = await fresh.$withTenant(tenantA, async (tx) => {
        await tx.$executeRawUnsafe(setting, "*");
        return tx.$queryRaw<Array<{ owners: string; tenant: string }>>`
          SELECT current_setting('app.lake_owner_ids') AS owners, current_setting('app.tenant_id') AS tenant`;
      });
      expect(seen).toEqual([{ owners: "*", tenant: tenantA }]);
    } finally {
      await fresh.$disconnect();
    }
  });
});

describe("the settings a scope carries", () => {
  it("are only those with a value, and one left out reads as empty right after a scope that set it on the same connection", async () => {
    // A fresh connection prepares each setting text once: its Parses show which texts the scopes sent.
    await onFreshConnection(async (fresh, parsedTexts) => {
      await withLogContext({ requestId: "req-1" }, () =>
        fresh.$withTenant(tenantA, (tx) => tx.$executeRaw`INSERT INTO audit_log (action, target) VALUES ('pipe.test', 'with actor')`, {
          actor: { sub: "sub-a", email: "a@example.com" },
        }),
      );
      await fresh.$tenantWrite(tenantA, (tx) => tx.$executeRaw`INSERT INTO audit_log (action, target) VALUES ('pipe.test', 'without')`);
      const [seen] = await fresh.$tenantRead(
        tenantA,
        (tx) => tx.$queryRaw<Array<{ sub: string | null; email: string | null; request: string | null }>>`
          SELECT current_setting('app.actor_sub', true) AS sub, current_setting('app.actor_email', true) AS email,
                 current_setting('app.request_id', true) AS request`,
      );
      expect([seen!.sub ?? "", seen!.email ?? "", seen!.request ?? ""]).toEqual(["", "", ""]);
      const audit = await platformDb.auditLog.findMany({
        where: { action: "pipe.test" },
        orderBy: { id: "asc" },
        select: { tenantId: true, target: true, actorSub: true, actorEmail: true, requestId: true },
      });
      expect(audit).toEqual([
        { tenantId: tenantA, target: "with actor", actorSub: "sub-a", actorEmail: "a@example.com", requestId: "req-1" },
        { tenantId: tenantA, target: "without", actorSub: null, actorEmail: null, requestId: null },
      ]);
      const settingTexts = parsedTexts().filter((text) => text.includes("set_config('app.tenant_id'"));
      expect(settingTexts).toEqual([
        tenantScopeStatement({ tenantId: tenantA, actorSub: "sub-a", actorEmail: "a@example.com", requestId: "req-1" }).text,
        "SELECT set_config('app.tenant_id', $1, true)",
      ]);
    });
  });

  it("include a web request's statement time limit, which ends with the scope", async () => {
    const limitIn = (rows: Array<{ limit: string }>) => rows[0]!.limit;
    const read = await withStatementTimeout(1234, () =>
      single.$tenantRead(tenantA, (tx) => tx.$queryRaw<Array<{ limit: string }>>`SELECT current_setting('statement_timeout') AS limit`),
    );
    const transaction = await withStatementTimeout(2345, () =>
      single.$withTenant(tenantA, (tx) => tx.$queryRaw<Array<{ limit: string }>>`SELECT current_setting('statement_timeout') AS limit`),
    );
    const outside = await single.$tenantRead(tenantA, (tx) => tx.$queryRaw<Array<{ limit: string }>>`SELECT current_setting('statement_timeout') AS limit`);
    expect([limitIn(read), limitIn(transaction)]).toEqual(["1234ms", "2345ms"]);
    expect(limitIn(outside)).toBe("0");
  });
});

describe("the client a tenant read is given", () => {
  it("refuses findUnique and findUniqueOrThrow on every model and runs the other reads", async () => {
    for (const name of Object.values(Prisma.ModelName)) {
      const key = name.charAt(0).toLowerCase() + name.slice(1);
      type Model = { findUnique(args: unknown): Promise<unknown>; findUniqueOrThrow(args: unknown): Promise<unknown> };
      const model = (tx: unknown) => (tx as Record<string, Model>)[key]!;
      await expect(
        single.$tenantRead(tenantA, (tx) => model(tx).findUnique({ where: {} })),
        name,
      ).rejects.toThrow(BatchedTenantReadError);
      await expect(
        single.$tenantRead(tenantA, (tx) => model(tx).findUniqueOrThrow({ where: {} })),
        name,
      ).rejects.toThrow(BatchedTenantReadError);
    }
    expect(await single.$tenantRead(tenantA, (tx) => tx.icpRule.count())).toBe(1);
  });
});

describe("an interactive tenant transaction", () => {
  it("sends BEGIN and the setting with its first statement: one round trip per statement plus COMMIT", async () => {
    const { result, roundTrips } = await countRoundTrips(() => single.$withTenant(tenantA, async (tx) => [await tx.icpRule.count(), await tx.icpRule.count()]));
    expect(result).toEqual([1, 1]);
    expect(roundTrips).toBe(3);
    expect((await settingAndBackend()).tenant ?? "").toBe("");
  });

  it("keeps several statements, and Prisma operations compiling to several, in one transaction with the tenant", async () => {
    const seen = await single.$withTenant(tenantA, async (tx) => {
      const first = await tx.$queryRaw<Array<{ xid: string }>>`SELECT txid_current()::text AS xid`;
      await tx.auditLog.createMany({ data: [{ action: "pipe.test" }, { action: "pipe.test" }] });
      const upserted = await tx.icpRule.upsert({
        where: { tenantId_version: { tenantId: tenantA, version: 1 } },
        update: { rules: { touched: true } },
        create: { version: 1, rules: {} },
        include: { tenant: true },
      });
      const last = await tx.$queryRaw<Array<{ xid: string; tenant: string }>>`
        SELECT txid_current()::text AS xid, current_setting('app.tenant_id') AS tenant`;
      return { first: first[0]!.xid, last: last[0]!, tenant: upserted.tenant.id };
    });
    expect(seen.last.xid).toBe(seen.first);
    expect(seen.last.tenant).toBe(tenantA);
    expect(seen.tenant).toBe(tenantA);
    const audit = await platformDb.auditLog.findMany({ where: { action: "pipe.test" } });
    expect(audit.map((a) => a.tenantId)).toEqual([tenantA, tenantA]);
  });

  it("rolls the whole transaction back when setting the tenant fails", async () => {
    await expect(
      single.$withTenant(tenantA, (tx) => tx.auditLog.create({ data: { action: "pipe.test" } }), {
        actor: { sub: "sub-a", email: "a\u0000@example.com" },
      }),
    ).rejects.toThrow();
    expect(await platformDb.auditLog.count({ where: { action: "pipe.test" } })).toBe(0);
    expect((await settingAndBackend()).tenant ?? "").toBe("");
  });

  it("sends a further application setting with the tenant's, and aborts the statement when that setting fails", async () => {
    const setting = transactionSettingSql("app.lake_owner_ids");
    const { result, roundTrips } = await countRoundTrips(() =>
      single.$withTenant(tenantA, async (tx) => {
        await tx.$executeRawUnsafe(setting, "*");
        return tx.$queryRaw<Array<{ owners: string; tenant: string }>>`
          SELECT current_setting('app.lake_owner_ids') AS owners, current_setting('app.tenant_id') AS tenant`;
      }),
    );
    expect(result[0]).toEqual({ owners: "*", tenant: tenantA });
    expect(roundTrips).toBe(2);
    const after = await single.$queryRaw<Array<{ owners: string | null }>>`SELECT current_setting('app.lake_owner_ids', true) AS owners`;
    expect(after[0]!.owners ?? "").toBe("");
    // A NUL byte makes set_config fail: the insert behind it never runs.
    await expect(
      single.$withTenant(tenantA, async (tx) => {
        await tx.$executeRawUnsafe(setting, "bad\u0000value");
        return tx.$executeRaw`INSERT INTO audit_log (action) VALUES ('pipe.test')`;
      }),
    ).rejects.toThrow();
    expect(await platformDb.auditLog.count({ where: { action: "pipe.test" } })).toBe(0);
  });

  it("sends nothing when it makes no statement, and the connection stays clean", async () => {
    const { roundTrips } = await countRoundTrips(() => single.$withTenant(tenantA, async () => "nothing"));
    expect(roundTrips).toBe(0);
    expect((await settingAndBackend()).tenant ?? "").toBe("");
  });

  it("never mixes tenants across interleaved scopes on a shared pool", async () => {
    const pair = createScopedClientFor(process.env.APP_DATABASE_URL!, 2);
    try {
      const checks = Array.from({ length: 40 }, async (_, i) => {
        const tenantId = i % 2 === 0 ? tenantA : tenantB;
        const rules =
          i % 4 < 2 ? await pair.$tenantRead(tenantId, (tx) => tx.icpRule.findMany()) : await pair.$withTenant(tenantId, (tx) => tx.icpRule.findMany());
        return rules.every((r) => r.tenantId === tenantId) && rules.length === 1;
      });
      expect(await Promise.all(checks)).toEqual(Array(40).fill(true));
    } finally {
      await pair.$disconnect();
    }
  });
});
