import { AsyncLocalStorage } from "node:async_hooks";
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
 * - `$tenantRead` (a single-statement read) needs no transaction of Prisma's
 *   at all, whose bookkeeping costs as much as the read: its one statement is
 *   sent with the setting in front and no BEGIN, so the two run as one
 *   implicit transaction that ends at the Sync — a single round trip, and the
 *   setting dies with it. A second statement in the same read is refused
 *   rather than run without the tenant or outside that transaction.
 */

export type Statement = { text: string; values?: unknown[] };

/** What a tenant scope sets besides the tenant; a setting without a value stays out of the statement. */
export type TenantScope = {
  tenantId: string;
  /** Who acts (the IdP subject and email), for audit columns. */
  actorSub?: string | null;
  actorEmail?: string | null;
  requestId?: string | null;
  /** A web request's statement time limit; without one the connection's own stays. */
  statementTimeout?: string | null;
};

const OPTIONAL_SETTINGS = [
  ["actorSub", "app.actor_sub"],
  ["actorEmail", "app.actor_email"],
  ["requestId", "app.request_id"],
  ["statementTimeout", "statement_timeout"],
] as const;

/**
 * The tenant setting's text for each combination of the optional settings
 * (bit i: the i-th of OPTIONAL_SETTINGS is in it). Only what has a value is
 * set: each `set_config` costs the server time on every read, and an unset
 * `app.*` setting reads as empty like one set to '' (the audit defaults take
 * NULLIF(current_setting(…, true), '')), since nothing sets them beyond a
 * transaction. A closed set of texts, so each is one prepared statement per
 * connection.
 */
const TENANT_SCOPE_TEXTS = Array.from({ length: 1 << OPTIONAL_SETTINGS.length }, (_, mask) => {
  const names = ["app.tenant_id", ...OPTIONAL_SETTINGS.filter((_, bit) => mask & (1 << bit)).map(([, name]) => name)];
  return `SELECT ${names.map((name, i) => `set_config('${name}', $${i + 1}, true)`).join(", ")}`;
});
const TENANT_SCOPE_TEXT_SET = new Set(TENANT_SCOPE_TEXTS);

/** The statement that sets `scope` transaction-locally. */
export function tenantScopeStatement(scope: TenantScope): Statement {
  let mask = 0;
  const values: string[] = [scope.tenantId];
  for (let bit = 0; bit < OPTIONAL_SETTINGS.length; bit++) {
    const value = scope[OPTIONAL_SETTINGS[bit]![0]];
    if (value) {
      mask |= 1 << bit;
      values.push(value);
    }
  }
  return { text: TENANT_SCOPE_TEXTS[mask]!, values };
}

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

/** What a connection holds back: nothing, or a deferred transaction start. */
export type PipelineState = { kind: "idle" } | { kind: "deferred"; prelude: Statement[] };

/** What to do with one statement Prisma sends on a connection in `state`. */
export type PipelineStep = { action: "send"; prelude: Statement[]; next: PipelineState } | { action: "answer"; command: string; next: PipelineState };

const IDLE: PipelineState = { kind: "idle" };

/** The pure state machine behind the pool's connections. */
export function planStatement(state: PipelineState, statement: Statement): PipelineStep {
  const text = statement.text.trim();
  const command = text.split(/\s+/, 1)[0]!.toUpperCase();
  if (state.kind === "idle") {
    if (text.toUpperCase() === "BEGIN") return { action: "answer", command, next: { kind: "deferred", prelude: [{ text }] } };
    return { action: "send", prelude: [], next: IDLE };
  }
  // Nothing reached the server yet, so there is nothing to end either.
  if (command === "COMMIT" || command === "ROLLBACK") return { action: "answer", command, next: IDLE };
  if (/^SET\s+TRANSACTION\b/i.test(text)) return { action: "answer", command: "SET", next: { ...state, prelude: [...state.prelude, statement] } };
  if (TENANT_SCOPE_TEXT_SET.has(statement.text) || TRANSACTION_SETTING.test(statement.text)) {
    return { action: "answer", command: "SELECT", next: { ...state, prelude: [...state.prelude, statement] } };
  }
  return { action: "send", prelude: state.prelude, next: IDLE };
}

/** One `$tenantRead`: its setting, and whether its one statement has gone out. */
type TenantRead = { scope: Statement; sent: boolean };

const tenantReads = new AsyncLocalStorage<TenantRead>();

/**
 * Runs `fn` as a single-statement tenant read: the one statement it makes
 * through the application pool goes out behind `scope` (the tenant setting)
 * as one implicit transaction; any further statement, or a transaction, is
 * refused with SecondStatementInTenantReadError.
 */
export function runTenantRead<T>(scope: Statement, fn: () => Promise<T>): Promise<T> {
  // Its `then` called inside: a Prisma query starts only then, and must start in the read's context.
  return tenantReads.run({ scope, sent: false }, () => fn().then(started));
}

function started<T>(value: T): T {
  return value;
}

/**
 * The read a statement belongs to travels on its query config from the pool,
 * where it is still the caller's: pg-pool hands a waiting query its
 * connection from whichever callback released one, outside the caller's
 * async context.
 */
const TENANT_READ = Symbol("tenant read");
type ReadTagged = { [TENANT_READ]?: TenantRead | null };

/**
 * The prelude's statements as named prepared statements of one connection:
 * the server parses and plans each once per connection, and afterwards it
 * costs a Bind and an Execute (parsing and planning the tenant setting's
 * five `set_config` calls were most of what the setting cost the server).
 * The texts come from a closed set (BEGIN, SET TRANSACTION, the tenant setting and the
 * application settings the code names), so a connection holds a handful.
 * After an error the server skips everything up to the Sync, a Parse sent in
 * the same pipeline included, so every name is then in doubt and is closed
 * and parsed again on its next use (closing a name that does not exist is no
 * error), so no later statement is bound to a name the server never prepared.
 */
export class PreludeStatements {
  private readonly statements = new Map<string, { name: string; inDoubt: boolean }>();

  write(connection: PgConnection, statement: Statement) {
    let prepared = this.statements.get(statement.text);
    if (!prepared || prepared.inDoubt) {
      if (prepared) connection.close({ type: "S", name: prepared.name });
      else this.statements.set(statement.text, (prepared = { name: `nexius_prelude_${this.statements.size + 1}`, inDoubt: false }));
      connection.parse({ text: statement.text, name: prepared.name, types: [] });
      prepared.inDoubt = false;
    }
    connection.bind({ portal: "", statement: prepared.name, values: statement.values ?? [] });
    connection.execute({ portal: "", rows: 0 });
  }

  distrust() {
    for (const prepared of this.statements.values()) prepared.inDoubt = true;
  }
}

/**
 * A pg query that first executes `prelude` (Bind/Execute each of the
 * connection's prepared statements, no Describe) and then itself, all before
 * a single Sync. The prelude's rows and completions are swallowed; its errors
 * fail this query, and the server skips everything up to the Sync after an
 * error, so the statement never runs without its prelude.
 */
export class PipelinedQuery extends pg.Query {
  private preludeLeft: number;

  constructor(
    config: pg.QueryConfig,
    private readonly prelude: Statement[],
    private readonly statements: PreludeStatements,
    callback: (err: Error | null, result?: pg.QueryResult) => void,
  ) {
    // pg copies the config and sets the callback on the copy; its typings want the callback of a Submittable.
    super(config, undefined, callback as unknown as ConstructorParameters<typeof pg.Query>[2]);
    this.preludeLeft = prelude.length;
    // The pipeline needs the extended protocol even for a statement without parameters.
    (this as unknown as { queryMode: string }).queryMode = "extended";
  }

  prepare(connection: PgConnection) {
    for (const statement of this.prelude) this.statements.write(connection, statement);
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

  handleError(err: Error, connection: PgConnection) {
    this.statements.distrust();
    super.handleError(err, connection);
  }
}

type PgConnection = {
  parse(config: { text: string; name: string; types: unknown[] }): void;
  close(config: { type: "S"; name: string }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string; rows: number }): void;
};

declare module "pg" {
  interface Query {
    prepare(connection: unknown): void;
    handleDataRow(msg: unknown): void;
    handleCommandComplete(msg: unknown, connection: unknown): void;
    handleError(err: Error, connection: unknown): void;
  }
}

/** A pooled connection that holds BEGIN and the tenant setting back for the first statement. */
export class TenantScopePipelineClient extends pg.Client {
  private pipelineState: PipelineState = IDLE;
  private readonly preludeStatements = new PreludeStatements();

  /** Forgets anything held back: called when the pool takes the connection back. */
  resetPipeline() {
    this.pipelineState = IDLE;
  }

  // pg's overloads are many; Prisma's adapter only ever passes a config object, awaiting the promise or, through the pool, with a callback.

  query(config: any, values?: any, callback?: any): any {
    const isText = isTextQuery(config);
    const read: TenantRead | null | undefined = isText && TENANT_READ in config ? (config as ReadTagged)[TENANT_READ] : tenantReads.getStore();
    if (read) {
      // A read is one statement on an idle connection: no second one, no transaction of its own.
      if (read.sent || !isText || this.pipelineState.kind !== "idle" || /^\s*(BEGIN|START)\b/i.test(config.text)) return this.refuse(callback);
      read.sent = true;
      return this.pipelined(config, [read.scope], callback);
    }
    if (!isText) {
      if (this.pipelineState.kind !== "idle") return this.refuse(callback);
      return super.query(config, values, callback);
    }
    const step = planStatement(this.pipelineState, { text: config.text, values: config.values ?? values });
    this.pipelineState = step.next;
    if (step.action === "answer") return settle(callback, null, { command: step.command, rowCount: 0, rows: [], fields: [], oid: 0 });
    if (step.prelude.length === 0) return super.query(config as any, values, callback);
    return this.pipelined(config, step.prelude, callback);
  }

  private pipelined(config: pg.QueryConfig, prelude: Statement[], callback?: Callback) {
    if (callback) return void super.query(new PipelinedQuery(config, prelude, this.preludeStatements, callback));
    return new Promise((resolve, reject) => {
      super.query(new PipelinedQuery(config, prelude, this.preludeStatements, (err, result) => (err ? reject(err) : resolve(result))));
    });
  }

  private refuse(callback?: Callback) {
    return settle(callback, new SecondStatementInTenantReadError());
  }
}

function isTextQuery(config: unknown): config is pg.QueryConfig {
  return (
    typeof config === "object" &&
    config !== null &&
    typeof (config as { submit?: unknown }).submit !== "function" &&
    typeof (config as { text?: unknown }).text === "string"
  );
}

type Callback = (err: Error | null, result?: pg.QueryResult) => void;

/** Answers like pg does: through the callback when there is one, else as a promise. */
function settle(callback: Callback | undefined, err: Error | null, result?: unknown) {
  if (callback) return void process.nextTick(() => callback(err, result as pg.QueryResult));
  return err ? Promise.reject(err) : Promise.resolve(result);
}

/** The application role's pool: its connections pipeline the tenant scope. */
class TenantScopePool extends pg.Pool {
  query(config: any, values?: any, callback?: any): any {
    if (typeof config === "string") config = { text: config };
    if (isTextQuery(config)) config = { ...config, [TENANT_READ]: tenantReads.getStore() ?? null };
    return super.query(config, values, callback);
  }
}

export function createTenantScopePool(connectionString: string, max: number): pg.Pool {
  const pool = new TenantScopePool({ connectionString, max, Client: TenantScopePipelineClient });
  // A connection handed back mid-scope (an error before any statement) must not carry the held-back setting on.
  pool.on("release", (_err, client) => (client as unknown as TenantScopePipelineClient).resetPipeline());
  return pool;
}
