import { z } from "zod";
import { log } from "~/logger.server";
import { exponentialDelayMs, withRetries } from "~/vendors/retry.server";

/**
 * JSON-RPC client for Odoo 17/18 (`POST /jsonrpc`, services common, object
 * and db), as documented at
 * https://www.odoo.com/documentation/17.0/developer/reference/external_api.html;
 * the contract tests in tests/contracts/ hold the documented exchanges.
 *
 * Retries: only transport failures are retried, never an RPC error (Odoo
 * rolled the call back and will answer the same again). Reads are retried on
 * any transport failure; writes only when the connection was never made, so
 * a retry can never apply a write twice.
 */

export type OdooService = "common" | "object" | "db";
export type OdooContext = Record<string, unknown>;
export type OdooDomainLeaf = [string, string, unknown];
export type OdooDomain = Array<OdooDomainLeaf | "&" | "|" | "!">;

// ---------------------------------------------------------------- errors

export class OdooError extends Error {}

export type OdooErrorData = {
  name: string;
  message: string;
  arguments: unknown[];
  context: Record<string, unknown>;
  debug?: string;
};

/** An exception Odoo raised and reported as a JSON-RPC error (HTTP 200). */
export class OdooServerError extends OdooError {
  readonly odooName: string;
  readonly odooMessage: string;
  readonly arguments: unknown[];
  readonly code: number;
  readonly debug: string | undefined;

  constructor(code: number, envelopeMessage: string, data: OdooErrorData) {
    super(`${data.name}: ${data.message || envelopeMessage}`);
    this.name = new.target.name;
    this.odooName = data.name;
    this.odooMessage = data.message;
    this.arguments = data.arguments;
    this.code = code;
    this.debug = data.debug;
  }
}

/** Python `odoo.exceptions.UserError` and, as in Odoo, the parent of the access/validation errors. */
export class OdooUserError extends OdooServerError {}
/** Wrong password / API key / master password. */
export class OdooAccessDenied extends OdooUserError {}
/** ACL or record-rule refusal, or a private method called remotely. */
export class OdooAccessError extends OdooUserError {}
export class OdooValidationError extends OdooUserError {}
export class OdooMissingError extends OdooUserError {}
export class OdooDatabaseExists extends OdooServerError {}

const ERROR_CLASSES: Record<string, typeof OdooServerError> = {
  "odoo.exceptions.UserError": OdooUserError,
  "odoo.exceptions.AccessDenied": OdooAccessDenied,
  "odoo.exceptions.AccessError": OdooAccessError,
  "odoo.exceptions.ValidationError": OdooValidationError,
  "odoo.exceptions.MissingError": OdooMissingError,
  "odoo.service.db.DatabaseExists": OdooDatabaseExists,
};

export type OdooTransportErrorKind = "network" | "timeout" | "aborted" | "http" | "invalid_response";

/** The call did not produce a JSON-RPC answer: nothing is known about whether it ran. */
export class OdooTransportError extends OdooError {
  readonly kind: OdooTransportErrorKind;
  readonly status: number | undefined;
  /** Node's system error code (ECONNREFUSED…) when there is one. */
  readonly code: string | undefined;

  constructor(kind: OdooTransportErrorKind, message: string, extra: { status?: number; code?: string; cause?: unknown } = {}) {
    super(message, { cause: extra.cause });
    this.name = "OdooTransportError";
    this.kind = kind;
    this.status = extra.status;
    this.code = extra.code;
  }

  /** True when the request provably never reached the server (no TCP connection was made). */
  get neverSent(): boolean {
    return this.kind === "network" && this.code !== undefined && NOT_CONNECTED_CODES.has(this.code);
  }
}

const NOT_CONNECTED_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_CONNECT_TIMEOUT"]);
const RETRYABLE_GATEWAY_STATUS = new Set([502, 503, 504]);

// ---------------------------------------------------------------- wire schemas

const errorDataSchema = z
  .object({
    name: z.string(),
    message: z.string().default(""),
    arguments: z.array(z.unknown()).default([]),
    context: z.record(z.string(), z.unknown()).default({}),
    debug: z.string().optional(),
  })
  .loose();

const envelopeSchema = z
  .object({
    jsonrpc: z.literal("2.0").optional(),
    id: z.union([z.number(), z.string(), z.null()]).optional(),
    result: z.unknown().optional(),
    error: z
      .object({
        code: z.number(),
        message: z.string(),
        data: errorDataSchema.optional(),
      })
      .optional(),
  })
  .loose();

export const odooVersionSchema = z.object({
  server_version: z.string(),
  server_version_info: z.array(z.union([z.number(), z.string()])),
  server_serie: z.string(),
  protocol_version: z.number(),
});
export type OdooVersion = z.infer<typeof odooVersionSchema>;

// ---------------------------------------------------------------- client

export type OdooClientConfig = {
  baseUrl: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** For calls that run an install (create_database, button_immediate_install). */
  slowCallTimeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
};

export type RpcOptions = {
  /** Safe to repeat after an unknown outcome (reads). Defaults to false. */
  idempotent?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** For logs only. */
  model?: string;
};

/** Methods of `object.execute_kw` that never change data, so their retries are harmless. */
const READ_METHODS = new Set([
  "search",
  "search_read",
  "search_count",
  "read",
  "fields_get",
  "name_search",
  "check_object_reference",
  "get_param",
  "exists",
  "read_group",
  "default_get",
]);

const READ_SERVICE_METHODS = new Set(["common.version", "common.login", "common.authenticate", "db.db_exist", "db.list", "db.server_version", "db.list_lang"]);

export class OdooClient {
  readonly baseUrl: string;
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  readonly slowCallTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private nextId = 1;

  constructor(config: OdooClientConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, "");
    this.endpoint = `${this.baseUrl}/jsonrpc`;
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.slowCallTimeoutMs = config.slowCallTimeoutMs ?? 600_000;
    this.maxRetries = config.maxRetries ?? 2;
    this.retryBaseDelayMs = config.retryBaseDelayMs ?? 200;
  }

  /** One JSON-RPC call with the retry policy above. Resolves `null` when Odoo returned None. */
  async rpc(service: OdooService, method: string, args: unknown[], options: RpcOptions = {}): Promise<unknown> {
    const idempotent = options.idempotent ?? READ_SERVICE_METHODS.has(`${service}.${method}`);
    let last = { attempt: 0, started: Date.now() };
    const context = () => ({ service, method, model: options.model, attempt: last.attempt, ms: Date.now() - last.started });
    try {
      return await withRetries(
        async (attempt) => {
          last = { attempt, started: Date.now() };
          const result = await this.send(service, method, args, options);
          log().debug({ odoo: context() }, "odoo rpc");
          return result;
        },
        {
          retries: this.maxRetries,
          shouldRetry: (error) => error instanceof OdooTransportError && isRetryable(error, idempotent),
          delayMs: (_error, attempt) => exponentialDelayMs(this.retryBaseDelayMs, attempt, { jitter: true }),
          sleep: (ms) => sleep(ms, options.signal),
          onRetry: (error) => log().warn({ odoo: context(), error: describeError(error) }, "odoo rpc failed, retrying"),
        },
      );
    } catch (error) {
      log().debug({ odoo: context(), error: describeError(error) }, "odoo rpc failed");
      throw error;
    }
  }

  private async send(service: OdooService, method: string, args: unknown[], options: RpcOptions): Promise<unknown> {
    const id = this.nextId++;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service, method, args }, id }),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw new OdooTransportError("aborted", "Odoo call aborted", { cause: error });
      if (timeout.aborted) {
        throw new OdooTransportError("timeout", `Odoo did not answer ${service}.${method} in time`, { cause: error });
      }
      const code = systemErrorCode(error);
      throw new OdooTransportError("network", `Odoo unreachable at ${this.baseUrl} (${code ?? "network error"})`, {
        code,
        cause: error,
      });
    }
    if (response.status !== 200) {
      throw new OdooTransportError("http", `Odoo answered HTTP ${response.status} to ${service}.${method}`, {
        status: response.status,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new OdooTransportError("invalid_response", `Odoo answered ${service}.${method} with invalid JSON`, {
        status: 200,
        cause: error,
      });
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success || (envelope.data.id !== undefined && envelope.data.id !== id)) {
      throw new OdooTransportError("invalid_response", `Odoo answered ${service}.${method} with an unexpected JSON-RPC envelope`, {
        status: 200,
      });
    }
    const { error, result } = envelope.data;
    if (error) throw toServerError(error.code, error.message, error.data);
    // Odoo omits `result` when the method returned None.
    return result === undefined ? null : result;
  }

  // ------------------------------------------------------------ common

  async version(options?: RpcOptions): Promise<OdooVersion> {
    return odooVersionSchema.parse(await this.rpc("common", "version", [], options));
  }

  /** The uid, or false when Odoo refused the credentials (password or API key). */
  async authenticate(db: string, login: string, secret: string, options?: RpcOptions): Promise<number | false> {
    return z.union([z.number().int(), z.literal(false)]).parse(await this.rpc("common", "authenticate", [db, login, secret, {}], options));
  }

  async login(db: string, login: string, secret: string, options?: RpcOptions): Promise<number | false> {
    return z.union([z.number().int(), z.literal(false)]).parse(await this.rpc("common", "login", [db, login, secret], options));
  }

  // ------------------------------------------------------------ object

  async executeKw(
    credentials: OdooCredentials,
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    options: RpcOptions = {},
  ): Promise<unknown> {
    return this.rpc("object", "execute_kw", [credentials.db, credentials.uid, credentials.secret, model, method, args, kwargs], {
      idempotent: READ_METHODS.has(method),
      model,
      ...options,
    });
  }

  // ------------------------------------------------------------ db

  readonly db = {
    createDatabase: async (
      masterPassword: string,
      input: { name: string; demo?: boolean; lang?: string; adminPassword: string; adminLogin?: string; countryCode?: string | null; phone?: string | null },
      options?: RpcOptions,
    ): Promise<boolean> =>
      z.boolean().parse(
        await this.rpc(
          "db",
          "create_database",
          [
            masterPassword,
            input.name,
            input.demo ?? false,
            input.lang ?? "en_US",
            input.adminPassword,
            input.adminLogin ?? "admin",
            input.countryCode ?? null,
            input.phone ?? null,
          ],
          // Creating a database runs the whole base install: far slower than a normal call.
          { timeoutMs: this.slowCallTimeoutMs, ...options },
        ),
      ),
    /**
     * Odoo's exp_duplicate_database(db_original_name, db_name, neutralize_database): a
     * CREATE DATABASE … TEMPLATE copy, seconds where create_database installs base for
     * minutes. The third argument exists since 16.0; the copy keeps the template's users.
     */
    duplicateDatabase: async (masterPassword: string, source: string, target: string, options?: RpcOptions & { neutralize?: boolean }): Promise<boolean> =>
      z.boolean().parse(
        await this.rpc("db", "duplicate_database", [masterPassword, source, target, options?.neutralize ?? false], {
          timeoutMs: this.slowCallTimeoutMs,
          ...options,
        }),
      ),
    exists: async (name: string, options?: RpcOptions): Promise<boolean> => z.boolean().parse(await this.rpc("db", "db_exist", [name], options)),
    list: async (options?: RpcOptions): Promise<string[]> => z.array(z.string()).parse(await this.rpc("db", "list", [], options)),
    drop: async (masterPassword: string, name: string, options?: RpcOptions): Promise<boolean> =>
      z.boolean().parse(await this.rpc("db", "drop", [masterPassword, name], options)),
    serverVersion: async (options?: RpcOptions): Promise<string> => z.string().parse(await this.rpc("db", "server_version", [], options)),
    /** Odoo's exp_dump(db_name, backup_format): the database (zip: with its filestore) as base64. */
    dump: async (masterPassword: string, name: string, format: "zip" | "dump", options?: RpcOptions): Promise<Buffer> =>
      Buffer.from(z.string().parse(await this.rpc("db", "dump", [masterPassword, name, format], { timeoutMs: this.slowCallTimeoutMs, ...options })), "base64"),
    /** Odoo's exp_restore(db_name, data, copy): creates the database from a dump (it must not exist yet). */
    restore: async (masterPassword: string, name: string, archive: Buffer, options?: RpcOptions): Promise<boolean> =>
      z
        .boolean()
        .parse(await this.rpc("db", "restore", [masterPassword, name, archive.toString("base64"), false], { timeoutMs: this.slowCallTimeoutMs, ...options })),
  };

  /** A session bound to one database and user. */
  session(credentials: OdooCredentials): OdooSession {
    return new OdooSession(this, credentials);
  }

  /** Authenticates and binds a session; throws OdooAccessDenied when Odoo refuses the credentials. */
  async connect(db: string, login: string, secret: string, options?: RpcOptions): Promise<OdooSession> {
    const uid = await this.authenticate(db, login, secret, options);
    if (uid === false) throw accessDenied();
    return this.session({ db, uid, secret });
  }
}

// ---------------------------------------------------------------- session

export type OdooCredentials = { db: string; uid: number; secret: string };

export type CallOptions = { context?: OdooContext; signal?: AbortSignal; timeoutMs?: number };
export type SearchOptions = CallOptions & { offset?: number; limit?: number; order?: string };
export type OdooRecord = { id: number } & Record<string, unknown>;

const idSchema = z.number().int().positive();
const recordSchema = z.object({ id: idSchema }).loose();

/** ORM calls for one database and user; every call accepts a `context`. */
export class OdooSession {
  constructor(
    readonly client: OdooClient,
    private readonly credentials: OdooCredentials,
  ) {}

  get db(): string {
    return this.credentials.db;
  }

  get uid(): number {
    return this.credentials.uid;
  }

  /** `execute_kw` with the context placed in kwargs, where Odoo's `split_context` looks for it. */
  call(model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}, options: CallOptions = {}): Promise<unknown> {
    const kw = options.context ? { ...kwargs, context: options.context } : kwargs;
    return this.client.executeKw(this.credentials, model, method, args, kw, { signal: options.signal, timeoutMs: options.timeoutMs });
  }

  async search(model: string, domain: OdooDomain, options: SearchOptions = {}): Promise<number[]> {
    const result = await this.call(model, "search", [domain], pagination(options), options);
    return z.array(idSchema).parse(result);
  }

  async searchCount(model: string, domain: OdooDomain, options: CallOptions = {}): Promise<number> {
    return z
      .number()
      .int()
      .nonnegative()
      .parse(await this.call(model, "search_count", [domain], {}, options));
  }

  searchRead(model: string, domain: OdooDomain, options?: SearchOptions & { fields?: string[] }): Promise<OdooRecord[]>;
  searchRead<T extends { id: number }>(model: string, domain: OdooDomain, options: SearchOptions & { fields?: string[]; schema: z.ZodType<T> }): Promise<T[]>;
  async searchRead(model: string, domain: OdooDomain, options: SearchOptions & { fields?: string[]; schema?: z.ZodType } = {}): Promise<unknown[]> {
    const kwargs: Record<string, unknown> = { ...pagination(options) };
    if (options.fields) kwargs.fields = options.fields;
    const result = await this.call(model, "search_read", [domain], kwargs, options);
    return z.array(options.schema ?? recordSchema).parse(result);
  }

  read(model: string, ids: number[], fields?: string[], options?: CallOptions): Promise<OdooRecord[]>;
  read<T extends { id: number }>(model: string, ids: number[], fields: string[], options: CallOptions & { schema: z.ZodType<T> }): Promise<T[]>;
  async read(model: string, ids: number[], fields?: string[], options: CallOptions & { schema?: z.ZodType } = {}): Promise<unknown[]> {
    if (ids.length === 0) return [];
    const result = await this.call(model, "read", [ids], fields ? { fields } : {}, options);
    return z.array(options.schema ?? recordSchema).parse(result);
  }

  create(model: string, values: Record<string, unknown>, options?: CallOptions): Promise<number>;
  create(model: string, values: Record<string, unknown>[], options?: CallOptions): Promise<number[]>;
  async create(model: string, values: Record<string, unknown> | Record<string, unknown>[], options: CallOptions = {}): Promise<number | number[]> {
    if (Array.isArray(values)) {
      if (values.length === 0) return [];
      const ids = z.array(idSchema).parse(await this.call(model, "create", [values], {}, options));
      if (ids.length !== values.length) throw new OdooError(`Odoo created ${ids.length} ${model} records for ${values.length} values`);
      return ids;
    }
    return idSchema.parse(await this.call(model, "create", [values], {}, options));
  }

  async write(model: string, ids: number[], values: Record<string, unknown>, options: CallOptions = {}): Promise<void> {
    if (ids.length === 0) return;
    z.literal(true).parse(await this.call(model, "write", [ids, values], {}, options));
  }

  async unlink(model: string, ids: number[], options: CallOptions = {}): Promise<void> {
    if (ids.length === 0) return;
    z.literal(true).parse(await this.call(model, "unlink", [ids], {}, options));
  }

  /** `module.name` → database id, through ir.model.data (works for any user who can read it). */
  async xmlIdToResId(xmlId: string, options: CallOptions = {}): Promise<number> {
    const resolved = await this.resolveXmlIds([xmlId], options);
    return resolved.get(xmlId)!;
  }

  /** Several XML ids in one call; throws OdooMissingXmlIdError naming every one that does not exist. */
  async resolveXmlIds(xmlIds: string[], options: CallOptions = {}): Promise<Map<string, number>> {
    const unique = [...new Set(xmlIds)];
    if (unique.length === 0) return new Map();
    const parts = unique.map(splitXmlId);
    const domain: OdooDomain = [];
    parts.forEach(([module, name], i) => {
      if (i < parts.length - 1) domain.push("|");
      domain.push("&", ["module", "=", module], ["name", "=", name]);
    });
    const rows = await this.searchRead("ir.model.data", domain, {
      ...options,
      fields: ["module", "name", "res_id"],
      schema: z.object({ id: idSchema, module: z.string(), name: z.string(), res_id: z.number().int() }),
    });
    const found = new Map(rows.map((r) => [`${r.module}.${r.name}`, r.res_id]));
    const missing = unique.filter((x) => !found.has(x));
    if (missing.length) throw new OdooMissingXmlIdError(missing);
    return found;
  }
}

export class OdooMissingXmlIdError extends OdooError {
  constructor(readonly xmlIds: string[]) {
    super(`Odoo has no record for ${xmlIds.join(", ")} (is the module that defines it installed?)`);
    this.name = "OdooMissingXmlIdError";
  }
}

// ---------------------------------------------------------------- helpers

function splitXmlId(xmlId: string): [string, string] {
  const dot = xmlId.indexOf(".");
  if (dot <= 0 || dot === xmlId.length - 1) throw new OdooError(`"${xmlId}" is not a module.name XML id`);
  return [xmlId.slice(0, dot), xmlId.slice(dot + 1)];
}

function pagination(options: SearchOptions): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  if (options.offset !== undefined) kwargs.offset = options.offset;
  if (options.limit !== undefined) kwargs.limit = options.limit;
  if (options.order !== undefined) kwargs.order = options.order;
  return kwargs;
}

function toServerError(code: number, message: string, data: OdooErrorData | undefined): OdooServerError {
  const payload: OdooErrorData = data ?? { name: "unknown", message, arguments: [], context: {} };
  const ErrorClass = ERROR_CLASSES[payload.name] ?? OdooServerError;
  return new ErrorClass(code, message, payload);
}

function accessDenied(): OdooAccessDenied {
  return new OdooAccessDenied(200, "Odoo Server Error", {
    name: "odoo.exceptions.AccessDenied",
    message: "Access Denied",
    arguments: ["Access Denied"],
    context: {},
  });
}

function isRetryable(error: OdooTransportError, idempotent: boolean): boolean {
  if (error.kind === "aborted" || error.kind === "invalid_response") return false;
  if (!idempotent) return error.neverSent;
  if (error.kind === "http") return RETRYABLE_GATEWAY_STATUS.has(error.status ?? 0);
  return true;
}

function systemErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const candidate = e as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof candidate.code === "string") return candidate.code;
    const nested = candidate.errors?.find((x) => typeof (x as { code?: unknown }).code === "string") as { code: string } | undefined;
    if (nested) return nested.code;
    e = candidate.cause;
  }
  return undefined;
}

function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof OdooServerError) return { name: error.odooName, message: error.odooMessage };
  if (error instanceof OdooTransportError) return { kind: error.kind, status: error.status, code: error.code, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new OdooTransportError("aborted", "Odoo call aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new OdooTransportError("aborted", "Odoo call aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
