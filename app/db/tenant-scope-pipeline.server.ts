import pg from "pg";

/**
 * Tenant scope without extra round trips. Prisma's interactive transaction
 * costs BEGIN, the tenant's `set_config`, the statements and COMMIT, each a
 * round trip of its own. The application pool's connections hold BEGIN and
 * the tenant setting back and send them in front of the first real statement,
 * before one Sync (the extended protocol's pipeline), so:
 *
 * - `$withTenant` costs one round trip per statement plus COMMIT: BEGIN opens
 *   a real transaction block that outlives the Sync, so `set_config(…, true)`
 *   lasts until COMMIT and a failing `set_config` aborts the transaction
 *   before the statement runs.
 * - `$tenantRead` (the read-scope statement) drops BEGIN: the setting and the
 *   statement run as one implicit transaction that ends at the Sync, so the
 *   read costs a single round trip and the setting dies with it. Because the
 *   transaction is over after that statement, a second statement in the same
 *   read is refused rather than run without the tenant or outside one
 *   transaction.
 */

/** The tenant setting of `$withTenant`: tenant, actor subject, actor email, request id. */
export const TENANT_SCOPE_SQL =
  "SELECT set_config('app.tenant_id', $1, true), set_config('app.actor_sub', $2, true), " +
  "set_config('app.actor_email', $3, true), set_config('app.request_id', $4, true), " +
  // A web request's statement time limit; NULL (outside a request) keeps the current setting.
  "set_config('statement_timeout', COALESCE($5::text, current_setting('statement_timeout')), true)";

/** The same setting for a single-statement read; the comment is what tells the connection so. */
export const TENANT_READ_SCOPE_SQL = `/* tenant-read */ ${TENANT_SCOPE_SQL}`;

/**
 * A further transaction-local setting (`app.*`, its value the one parameter)
 * that `$withTenant` code makes before its first statement, such as the sales
 * hierarchy's scope: held back with the tenant's, so it costs no round trip
 * and, failing, aborts the transaction before the statement as the tenant's
 * setting would.
 */
export function transactionSettingSql(name: string): string {
  if (!/^app\.[a-z_]+$/.test(name)) throw new Error(`not an application setting: ${name}`);
  return `SELECT set_config('${name}', $1, true)`;
}
const TRANSACTION_SETTING = /^SELECT set_config\('app\.[a-z_]+', \$1, true\)$/;

export class SecondStatementInTenantReadError extends Error {
  constructor() {
    super("A single-statement tenant read ran a second statement; use $withTenant for several statements");
    this.name = "SecondStatementInTenantReadError";
  }
}

type Statement = { text: string; values?: unknown[] };

/** What a connection holds back: nothing, a deferred transaction start, or a spent single read. */
export type PipelineState = { kind: "idle" } | { kind: "deferred"; prelude: Statement[]; singleStatement: boolean } | { kind: "spent" };

/** What to do with one statement Prisma sends on a connection in `state`. */
export type PipelineStep =
  | { action: "send"; prelude: Statement[]; next: PipelineState }
  | { action: "answer"; command: string; next: PipelineState }
  | { action: "refuse"; next: PipelineState };

const IDLE: PipelineState = { kind: "idle" };

/** The pure state machine behind the pool's connections. */
export function planStatement(state: PipelineState, statement: Statement): PipelineStep {
  const text = statement.text.trim();
  const command = text.split(/\s+/, 1)[0]!.toUpperCase();
  const endsTransaction = command === "COMMIT" || command === "ROLLBACK";
  switch (state.kind) {
    case "idle":
      if (text.toUpperCase() === "BEGIN") {
        return { action: "answer", command, next: { kind: "deferred", prelude: [{ text }], singleStatement: false } };
      }
      return { action: "send", prelude: [], next: IDLE };
    case "spent":
      // The implicit transaction ended at the read's Sync: there is nothing left to end.
      if (endsTransaction) return { action: "answer", command, next: IDLE };
      return { action: "refuse", next: state };
    case "deferred":
      // Nothing reached the server yet, so there is nothing to end either.
      if (endsTransaction) return { action: "answer", command, next: IDLE };
      if (/^SET\s+TRANSACTION\b/i.test(text) && !state.singleStatement) {
        return { action: "answer", command: "SET", next: { ...state, prelude: [...state.prelude, statement] } };
      }
      if (statement.text === TENANT_SCOPE_SQL || (TRANSACTION_SETTING.test(statement.text) && !state.singleStatement)) {
        return { action: "answer", command: "SELECT", next: { ...state, prelude: [...state.prelude, statement] } };
      }
      if (statement.text === TENANT_READ_SCOPE_SQL) {
        // Without BEGIN the setting and the one statement form an implicit transaction.
        return { action: "answer", command: "SELECT", next: { kind: "deferred", prelude: [statement], singleStatement: true } };
      }
      return { action: "send", prelude: state.prelude, next: state.singleStatement ? { kind: "spent" } : IDLE };
  }
}

/**
 * A pg query that first executes `prelude` (Parse/Bind/Execute each, no
 * Describe) and then itself, all before a single Sync. The prelude's rows and
 * completions are swallowed; its errors fail this query, and the server skips
 * everything up to the Sync after an error, so the statement never runs
 * without its prelude.
 */
export class PipelinedQuery extends pg.Query {
  private preludeLeft: number;

  constructor(
    config: pg.QueryConfig,
    private readonly prelude: Statement[],
    callback: (err: Error | null, result?: pg.QueryResult) => void,
  ) {
    super({ ...config, callback } as pg.QueryConfig);
    this.preludeLeft = prelude.length;
    // The pipeline needs the extended protocol even for a statement without parameters.
    (this as unknown as { queryMode: string }).queryMode = "extended";
  }

  prepare(connection: PgConnection) {
    for (const statement of this.prelude) {
      connection.parse({ text: statement.text, name: "", types: [] });
      connection.bind({ portal: "", statement: "", values: statement.values ?? [] });
      connection.execute({ portal: "", rows: 0 });
    }
    super.prepare(connection);
  }

  handleDataRow(msg: unknown) {
    if (this.preludeLeft > 0) return;
    super.handleDataRow(msg);
  }

  handleCommandComplete(msg: unknown, connection: PgConnection) {
    if (this.preludeLeft > 0) {
      this.preludeLeft--;
      return;
    }
    super.handleCommandComplete(msg, connection);
  }
}

type PgConnection = {
  parse(config: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string; rows: number }): void;
};

declare module "pg" {
  interface Query {
    prepare(connection: unknown): void;
    handleDataRow(msg: unknown): void;
    handleCommandComplete(msg: unknown, connection: unknown): void;
  }
}

/** A pooled connection that holds BEGIN and the tenant setting back for the first statement. */
export class TenantScopePipelineClient extends pg.Client {
  private pipelineState: PipelineState = IDLE;

  /** Forgets anything held back: called when the pool takes the connection back. */
  resetPipeline() {
    this.pipelineState = IDLE;
  }

  // pg's overloads are many; Prisma's adapter only ever passes a config object and awaits the promise.

  query(config: any, values?: any, callback?: any): any {
    if (typeof config !== "object" || config === null || typeof config.submit === "function" || typeof config.text !== "string") {
      if (this.pipelineState.kind !== "idle") return this.refuse();
      return super.query(config, values, callback);
    }
    const step = planStatement(this.pipelineState, { text: config.text, values: config.values ?? values });
    this.pipelineState = step.next;
    switch (step.action) {
      case "answer":
        return Promise.resolve({ command: step.command, rowCount: 0, rows: [], fields: [], oid: 0 });
      case "refuse":
        return this.refuse();
      case "send":
        if (step.prelude.length === 0) return super.query(config, values, callback);
        return new Promise((resolve, reject) => {
          super.query(new PipelinedQuery(config, step.prelude, (err, result) => (err ? reject(err) : resolve(result))));
        });
    }
  }

  private refuse() {
    return Promise.reject(new SecondStatementInTenantReadError());
  }
}

/** The application role's pool: its connections pipeline the tenant scope. */
export function createTenantScopePool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, Client: TenantScopePipelineClient });
  // A connection handed back mid-scope (an error before any statement) must not carry the held-back setting on.
  pool.on("release", (_err, client) => (client as unknown as TenantScopePipelineClient).resetPipeline());
  return pool;
}
