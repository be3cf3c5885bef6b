import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createTenantScopePool, runTenantRead, tenantScopeStatement } from "./db/tenant-scope-pipeline.server";
import { env } from "./env.server";
import { Prisma, PrismaClient } from "./generated/prisma/client";
import { requestStatementTimeout } from "./http/statement-timeout.server";
import { orderedStatements, type Statements } from "./job-order.server";
import { currentLogContext, log } from "./logger.server";
import { watchPool } from "./metrics/registry.server";
import { singleton } from "./singleton.server";

/** A Prisma transaction in which row-level security sees exactly one tenant. */
export type TenantTx = Prisma.TransactionClient;

export type TenantScopeOptions = {
  /** Who acts, for audit columns and triggers: the IdP subject and email. */
  actor?: { sub: string; email?: string | null };
  timeout?: number;
  maxWait?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
};

/** A single-statement read runs in an implicit transaction: no isolation level or transaction limits to choose. */
export type TenantReadOptions = Pick<TenantScopeOptions, "actor">;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvalidTenantIdError extends Error {
  constructor(value: unknown) {
    super(`Not a tenant id: ${JSON.stringify(value)}`);
    this.name = "InvalidTenantIdError";
  }
}

function assertTenantId(tenantId: unknown): asserts tenantId is string {
  if (typeof tenantId !== "string" || !UUID.test(tenantId)) throw new InvalidTenantIdError(tenantId);
}

/** The tenant setting of a scope: the tenant, who acts, the request and its statement time limit. */
function tenantScope(tenantId: string, actor: TenantScopeOptions["actor"]) {
  // Inside a web request its statement time limit applies; elsewhere the setting stays as it is.
  const statementTimeout = requestStatementTimeout();
  return tenantScopeStatement({
    tenantId,
    actorSub: actor?.sub,
    actorEmail: actor?.email,
    requestId: currentLogContext().requestId,
    statementTimeout: statementTimeout === null ? null : String(statementTimeout),
  });
}

export class BatchedTenantReadError extends Error {
  constructor() {
    super("findUnique is batched across callers outside a transaction, so a tenant read cannot run it; use findFirst");
    this.name = "BatchedTenantReadError";
  }
}

async function refuseBatchedRead(): Promise<never> {
  throw new BatchedTenantReadError();
}

/**
 * The client a tenant read's `fn` is given: the plain client with each
 * model's findUnique refused. Not a `$extends` client: with any extension,
 * Prisma walks every row of every result looking for result extensions, which
 * costs a read of 50 rows as much as the tenant setting does. The proxies'
 * targets are empty objects, not Prisma's own proxies: after every trap a
 * proxy asks its target for the property's descriptor, and Prisma's client
 * and models answer that through traps of their own on every property read.
 */
function tenantReadClient(base: PrismaClient): TenantTx {
  const client = base as unknown as Record<string | symbol, unknown>;
  const models = new Map<string, object>();
  for (const name of Object.values(Prisma.ModelName)) {
    const key = name.charAt(0).toLowerCase() + name.slice(1);
    const model = client[key] as Record<string | symbol, unknown>;
    models.set(key, new Proxy({}, { get: (_, action) => (action === "findUnique" || action === "findUniqueOrThrow" ? refuseBatchedRead : model[action]) }));
  }
  return new Proxy({}, { get: (_, property) => (typeof property === "string" && models.get(property)) || client[property] }) as TenantTx;
}

/**
 * How long a transaction may wait for one of the pool's connections. A web
 * request gives up after 5 s and says so. A job waits its turn: a worker runs
 * far more jobs than it has connections (WORKER_CONCURRENCY against
 * DB_POOL_SIZE), and on a busy machine the queue for them outlasts 5 s; a job
 * that gave up would repeat its company's vendor calls on its next attempt,
 * and on its last one leave the company unsettled and the run unfinished.
 */
export const REQUEST_CONNECTION_WAIT_MS = 5_000;
export const JOB_CONNECTION_WAIT_MS = 10 * 60_000;

function connectionWaitMs(): number {
  return currentLogContext().jobId === undefined ? REQUEST_CONNECTION_WAIT_MS : JOB_CONNECTION_WAIT_MS;
}

function createAppClient(connectionString: string, max: number, poolName?: string) {
  // The pool's connections send the held-back BEGIN and tenant setting with the first statement
  // (see tenant-scope-pipeline.server.ts), which is why the setting goes through its exact SQL text.
  const pool = createTenantScopePool(connectionString, max);
  // Prisma listens for a closed idle connection only once it has connected; `$tenantSql` may use the pool first.
  pool.on("error", (error) => log().warn({ err: error }, "an idle tenant connection was closed"));
  if (poolName) watchPool(poolName, pool);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const base = new PrismaClient({ adapter });
  const reader = tenantReadClient(base);
  /**
   * `$tenantRead` and `$tenantWrite`: not async functions, whose own promise
   * and the await of Prisma's would each cost the read another turn of the
   * microtask queue; a bad tenant id is still a rejection, not a throw.
   */
  function tenantStatement<T>(tenantId: string, actor: TenantScopeOptions["actor"], fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    try {
      assertTenantId(tenantId);
      return runTenantRead(tenantScope(tenantId, actor), () => fn(reader));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  function tenantSql<R extends pg.QueryResultRow>(tenantId: string, statement: Prisma.Sql): Promise<pg.QueryResult<R>> {
    try {
      assertTenantId(tenantId);
      return runTenantRead(tenantScope(tenantId, undefined), () => pool.query<R>({ text: statement.text, values: statement.values }));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return base.$extends({
    name: "tenant-scope",
    client: {
      /**
       * Runs `fn` in one interactive transaction whose first statement sets the
       * tenant (transaction-local, so it cannot leak through the pool). Every
       * query made through `tx` is filtered and checked by RLS policies.
       */
      async $withTenant<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>, options: TenantScopeOptions = {}): Promise<T> {
        assertTenantId(tenantId);
        const { actor, ...txOptions } = options;
        const scope = tenantScope(tenantId, actor);
        // The plain client's transaction: an extended client's would walk every result for result extensions.
        return base.$transaction(
          async (tx) => {
            await tx.$executeRawUnsafe(scope.text, ...scope.values!);
            return fn(tx);
          },
          { timeout: 15_000, maxWait: connectionWaitMs(), ...txOptions },
        );
      },

      /**
       * Runs `fn`, which must make exactly one statement (one Prisma read that
       * compiles to a single query), with the tenant set — in one round trip
       * and without Prisma's transaction bookkeeping: the setting and the
       * statement share an implicit transaction that ends with the statement.
       * A second statement is refused; use `$withTenant`. So is `findUnique`,
       * which Prisma batches with other callers' outside a transaction: use
       * `findFirst`.
       */
      $tenantRead<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>, options: TenantReadOptions = {}): Promise<T> {
        return tenantStatement(tenantId, options.actor, fn);
      },

      /**
       * Runs `fn`'s one statement, a write, the way `$tenantRead` runs a
       * read: the tenant set in front of it, both committed by the server at
       * the Sync. For rows every job of a tenant updates (a daily cap, the
       * token budget, a run's counters): the row stays locked only while the
       * server runs the statement, not until a COMMIT that a process short
       * of CPU sends a round trip later while every other writer waits.
       */
      $tenantWrite<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
        return tenantStatement(tenantId, undefined, fn);
      },

      /**
       * One raw statement, read or write, sent as `$tenantRead` and
       * `$tenantWrite` send theirs (the tenant set in front, one implicit
       * transaction ending at the Sync) but straight on the pool's pg
       * connection: none of Prisma's per-query work (its query plan and the
       * mapping of every argument and result), which cost a worker as much
       * CPU as the driver itself on the statements every company makes.
       * Rows come as pg reads them: int8 and numeric as strings, json as
       * objects, timestamps as Dates.
       */
      $tenantSql<R extends pg.QueryResultRow = Record<string, unknown>>(tenantId: string, statement: Prisma.Sql): Promise<pg.QueryResult<R>> {
        return tenantSql<R>(tenantId, statement);
      },
    },
  });
}

export type AppDb = ReturnType<typeof createAppClient>;

/**
 * The application client: connects as the RLS-bound application role. Outside
 * `$withTenant` it sees no tenant-owned row at all.
 */
export const db: AppDb = singleton("db:app", () => createAppClient(env().APP_DATABASE_URL, env().DB_POOL_SIZE, "app"));

/**
 * Shortlist exports' own small pool (app role, RLS like `db`): however many
 * downloads are open and however slowly they are read, the app's pool stays free.
 */
export const exportDb: AppDb = singleton("db:export", () => createAppClient(env().APP_DATABASE_URL, env().EXPORT_POOL_SIZE, "export"));

/**
 * Plain connections as the application role (RLS like `db`) for exports that
 * stream through COPY, which Prisma cannot run; the caller sets the tenant in
 * the transaction itself. As many as the export pool: the exports gate admits
 * no more downloads than that at once.
 */
export const exportCopyPool: pg.Pool = singleton("pool:export-copy", () => {
  const pool = new pg.Pool({ connectionString: env().APP_DATABASE_URL, max: env().EXPORT_POOL_SIZE });
  // An idle connection the server closes (a restart, a dropped database) is replaced on the next connect, not a crash.
  pool.on("error", (error) => log().warn({ err: error }, "an idle export connection was closed"));
  watchPool("export-copy", pool);
  return pool;
});

/** The platform client's connections: every process's share of Postgres's max_connections (README, "Running several workers"). */
const PLATFORM_CONNECTIONS = 5;

/**
 * The platform client: cross-tenant access for the control plane, schedulers
 * and migrations only. Every use is a deliberate decision to see all tenants.
 */
export const platformDb: PrismaClient = singleton(
  "db:platform",
  () => new PrismaClient({ adapter: new PrismaPg(platformPool(), { disposeExternalPool: true }) }),
);

/** The platform client's connections (`platformDb`'s too). */
export function platformPool(): pg.Pool {
  return singleton("pool:platform", () => {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: PLATFORM_CONNECTIONS });
    pool.on("error", (error) => log().warn({ err: error }, "an idle platform connection was closed"));
    return pool;
  });
}

/**
 * The raw statements on platform data that every company's work makes (the
 * shared vendor limits and host gates, a job's tenant check): sent through pg
 * itself, they cost none of Prisma's per-query work; a thousand jobs' worth
 * wait for the platform connections in the job queue's order (job-order.server.ts).
 */
export function platformStatements(): Statements {
  return singleton("statements:platform", () => orderedStatements(platformPool(), PLATFORM_CONNECTIONS));
}

/** One raw statement on platform data through `platformStatements`; its rows as pg reads them. */
export async function platformSql<R extends pg.QueryResultRow>(statement: Prisma.Sql): Promise<R[]> {
  return (await platformStatements().query<R>(statement.text, statement.values)).rows;
}

export function createScopedClientFor(connectionString: string, max = 5): AppDb {
  return createAppClient(connectionString, max);
}
