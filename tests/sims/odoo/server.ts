import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, type Socket } from "node:net";
import { databaseToDump, dumpDatabase, duplicateDatabase, restoreDatabase } from "./db-backup";
import {
  accessDenied,
  accessError,
  attributeError,
  databaseExists,
  keyError,
  nameError,
  operationalError,
  plainException,
  PyException,
  typeError,
  userError,
  validationError,
} from "./errors";
import { type MethodDef, type ModelDef } from "./models";
import { clearModuleFaults, failModuleInstall } from "./modules";
import { SimDatabase, type Env } from "./orm";

/**
 * Odoo 17/18 `/jsonrpc` simulator, after Odoo's external API
 * (https://www.odoo.com/documentation/17.0/developer/reference/external_api.html).
 * Speaks the real envelope — HTTP 200 errors with `data.name`, 400 for
 * malformed bodies, no `result` key for None — over node:http.
 */

export type OdooServiceName = "common" | "object" | "db";
export type FaultKind = "AccessDenied" | "UserError" | "ValidationError" | "network" | "timeout" | "http500" | "initFailure";

export type FaultSpec = {
  service?: OdooServiceName;
  /** The ORM method for `object` calls (create, search_read…), the service method otherwise. */
  method?: string;
  model?: string;
  db?: string;
  times?: number;
  /** Let this many matching calls through first (to hit the n-th create, say). */
  skip?: number;
  error: FaultKind;
  /**
   * network/timeout/http500 only: run the call before failing, so the
   * change is committed but the answer is lost. Default false.
   */
  applied?: boolean;
};

export type ModuleInstallFault = { db: string; module: string; companyId?: number; message?: string };

export type RecordedCall = { service: string; method: string; model?: string; db?: string; fault?: FaultKind };

export type SimDatabaseOptions = {
  name: string;
  adminLogin?: string;
  adminPassword?: string;
  lang?: string;
  countryCode?: string | null;
  /** Installed on top of base/web, with their dependencies. */
  modules?: string[];
};

export type OdooSimulatorOptions = {
  port?: number;
  host?: string;
  masterPassword?: string;
  version?: "17.0" | "18.0";
  latencyMs?: number | [number, number];
  /** Extra delay for particular calls on top of `latencyMs` (e.g. create_database taking seconds, as in Odoo). */
  callLatencyMs?: (call: RecordedCall) => number;
  /** Odoo's `list_db`; false makes db.list and every management call AccessDenied. */
  listDb?: boolean;
  databases?: SimDatabaseOptions[];
  /**
   * Load the databases from this JSON file at start (when it exists) and save
   * them after every call, so a restarted dev simulator keeps its tenants.
   */
  statePath?: string;
  /** Runs after every call that may have changed a database (the dev simulator fills new companies with demo CRM data here). */
  afterWrite?: (db: SimDatabase) => void;
};

export class SimState {
  readonly databases = new Map<string, SimDatabase>();
  readonly calls: RecordedCall[] = [];

  /** A database as create_database would leave it, plus the listed modules. */
  createDatabase(options: SimDatabaseOptions): SimDatabase {
    const db = SimDatabase.initialise(options.name, {
      adminLogin: options.adminLogin ?? "admin",
      adminPassword: options.adminPassword ?? "admin",
      lang: options.lang ?? "en_US",
      countryCode: options.countryCode ?? null,
      phone: null,
    });
    if (options.modules?.length) db.install(options.modules);
    this.databases.set(options.name, db);
    return db;
  }

  database(name: string): SimDatabase {
    const db = this.databases.get(name);
    if (!db) throw new Error(`simulator has no database ${name}`);
    return db;
  }

  countCalls(filter: Partial<Omit<RecordedCall, "fault">> = {}): number {
    return this.calls.filter((c) => Object.entries(filter).every(([k, v]) => c[k as keyof RecordedCall] === v)).length;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }
}

export type OdooSimulator = {
  url: string;
  port: number;
  state: SimState;
  faults: {
    failNext(spec: FaultSpec): void;
    clear(): void;
    pending(): FaultSpec[];
    setLatency(latency: number | [number, number]): void;
    /** Installing `module` in `db` fails for `companyId` (every company when omitted) until cleared. */
    failModuleInstall(spec: ModuleInstallFault): void;
    /** Stops accepting connections (clients get ECONNREFUSED) and comes back after `ms`, or when `comeBack` is called. */
    goOffline(ms?: number): Promise<{ comeBack(): void }>;
  };
  stop(): Promise<void>;
};

/** The simulator's control path for module install failures (POST adds one, DELETE clears a database's). */
export const MODULE_FAULTS_PATH = "/simulator/module-install-faults";

type Parsed = { service: string; method: string; args: unknown[] };

export async function startOdooSimulator(options: OdooSimulatorOptions = {}): Promise<OdooSimulator> {
  const version = options.version ?? "17.0";
  const major = Number(version.split(".")[0]);
  const host = options.host ?? "127.0.0.1";
  let masterPassword = options.masterPassword ?? "admin";
  let latency = options.latencyMs ?? 0;
  const listDb = options.listDb ?? true;
  const state = new SimState();
  if (options.statePath && existsSync(options.statePath)) {
    const saved = JSON.parse(readFileSync(options.statePath, "utf8")) as Array<Parameters<typeof SimDatabase.restore>[0]>;
    for (const db of saved) state.databases.set(db.name, SimDatabase.restore(db));
  }
  for (const db of options.databases ?? []) if (!state.databases.has(db.name)) state.createDatabase(db);
  const save = () => {
    if (!options.statePath) return;
    writeFileSync(`${options.statePath}.tmp`, JSON.stringify([...state.databases.values()].map((db) => db.dump())));
    renameSync(`${options.statePath}.tmp`, options.statePath);
  };
  save();
  const faults: Array<FaultSpec & { remaining: number }> = [];
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let stopped = false;

  // ---------------------------------------------------------- services

  function registry(name: unknown): SimDatabase {
    const db = typeof name === "string" ? state.databases.get(name) : undefined;
    if (!db) {
      throw operationalError(`connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(name)}" does not exist\n`);
    }
    if (!db.initialized) throw keyError("res.users");
    return db;
  }

  function common(method: string, args: unknown[]): unknown {
    switch (method) {
      case "version":
        return {
          server_version: version,
          server_version_info: [major, 0, 0, "final", 0, ""],
          server_serie: version,
          protocol_version: 1,
        };
      case "about":
        return args[0] ? ["See http://openerp.com", version] : "See http://openerp.com";
      case "login":
      case "authenticate": {
        const [dbName, login, password] = args;
        const db = registry(dbName);
        const uid = db.authenticate(login, password);
        if (uid !== false) db.get("res.users", uid)!.login_date = timestamp();
        return uid;
      }
      default:
        throw plainException(`Method not found: ${method}`);
    }
  }

  function object(method: string, args: unknown[]): unknown {
    if (method !== "execute" && method !== "execute_kw") throw nameError(`Method not available ${method}`);
    const [dbName, uidRaw, password, modelName, ormMethod, ...rest] = args;
    const db = registry(dbName);
    const uid = Number(uidRaw) || 0;
    if (!db.checkCredentials(uid, password)) throw accessDenied();
    if (typeof modelName !== "string" || typeof ormMethod !== "string") throw typeError("execute_kw() missing required positional arguments");
    if (/^(_.*|init)$/.test(ormMethod)) throw accessError(`Private methods (such as ${ormMethod}) cannot be called remotely.`);
    const def = db.modelDef(modelName);
    if (!def) throw userError(`Object ${modelName} doesn't exist`);
    let callArgs: unknown[];
    let kwargs: Record<string, unknown>;
    if (method === "execute_kw") {
      callArgs = Array.isArray(rest[0]) ? (rest[0] as unknown[]) : [];
      kwargs = rest[1] && typeof rest[1] === "object" && !Array.isArray(rest[1]) ? { ...(rest[1] as Record<string, unknown>) } : {};
    } else {
      callArgs = rest;
      kwargs = {};
    }
    const impl = def.methods?.[ormMethod] ?? GENERIC_METHODS[ormMethod];
    if (!impl) throw attributeError(`The method '${ormMethod}' does not exist on the model '${modelName}'`);
    const context = kwargs.context && typeof kwargs.context === "object" ? (kwargs.context as Record<string, unknown>) : {};
    delete kwargs.context;
    const env: Env = { db, uid, su: false, context, now: timestamp() };
    // A read changes nothing, so it needs no rollback snapshot (which costs a copy of the whole database).
    if (!def.methods?.[ormMethod] && READ_ONLY_METHODS.has(ormMethod)) return callKw(env, def, ormMethod, impl, callArgs, kwargs);
    const result = db.transaction(() => callKw(env, def, ormMethod, impl, callArgs, kwargs));
    options.afterWrite?.(db);
    return result;
  }

  function dbService(method: string, args: unknown[], fault: FaultSpec | undefined): unknown {
    const open = new Set(["db_exist", "list", "list_lang", "server_version"]);
    let params = args;
    if (!open.has(method)) {
      if (!KNOWN_DB_METHODS.has(method)) throw keyError(`Method not found: ${method}`);
      const [passwd, ...others] = args;
      if (!passwd || passwd !== masterPassword) throw accessDenied();
      if (!listDb) throw accessDenied();
      params = others;
    }
    switch (method) {
      case "db_exist":
        return state.databases.has(String(params[0]));
      case "list":
        if (!listDb) throw accessDenied();
        return [...state.databases.keys()].sort();
      case "list_lang":
        return [["en_US", "English (US)"]];
      case "server_version":
        return version;
      case "change_admin_password":
        masterPassword = String(params[0]);
        return true;
      case "create_database": {
        const [name, , lang, userPassword = "admin", login = "admin", countryCode = null, phone = null] = params;
        if (typeof name !== "string" || !name) throw typeError("exp_create_database() missing required argument: 'db_name'");
        if (state.databases.has(name)) throw databaseExists(name);
        if (fault?.error === "initFailure") {
          // _initialize_db swallows every exception and create_database still returns True
          state.databases.set(name, new SimDatabase(name, false));
          return true;
        }
        const db = SimDatabase.initialise(name, {
          adminLogin: String(login || "admin"),
          adminPassword: String(userPassword),
          lang: typeof lang === "string" && lang ? lang : "en_US",
          countryCode: typeof countryCode === "string" ? countryCode : null,
          phone: typeof phone === "string" ? phone : null,
        });
        state.databases.set(name, db);
        return true;
      }
      case "duplicate_database":
        return duplicateDatabase(state.databases, params[0], params[1]);
      case "drop": {
        const name = String(params[0]);
        if (!state.databases.has(name)) return false;
        state.databases.delete(name);
        return true;
      }
      case "dump":
        return dumpDatabase(databaseToDump(state.databases, params[0]), params[1], version);
      case "restore":
        return restoreDatabase(state.databases, params[0], params[1]);
      default:
        throw keyError(`Method not found: ${method}`);
    }
  }

  function dispatch(parsed: Parsed, fault: FaultSpec | undefined): unknown {
    switch (parsed.service) {
      case "common":
        return common(parsed.method, parsed.args);
      case "object":
        return object(parsed.method, parsed.args);
      case "db":
        return dbService(parsed.method, parsed.args, fault);
      default:
        throw keyError(parsed.service);
    }
  }

  // ---------------------------------------------------------- HTTP

  function takeFault(call: RecordedCall): FaultSpec | undefined {
    const index = faults.findIndex(
      (f) =>
        (!f.service || f.service === call.service) &&
        (!f.method || f.method === call.method) &&
        (!f.model || f.model === call.model) &&
        (!f.db || f.db === call.db),
    );
    if (index < 0) return undefined;
    const fault = faults[index]!;
    if (fault.skip) {
      fault.skip--;
      return undefined;
    }
    if (--fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const delay = Array.isArray(latency) ? latency[0] + Math.random() * (latency[1] - latency[0]) : latency;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const path = (req.url ?? "/").split("?")[0];
    // The simulator's own control path (not Odoo's): a journey in another process injects module install failures here.
    if (path === MODULE_FAULTS_PATH) return moduleFaultsControl(req.method ?? "GET", body, res);
    if (path !== "/jsonrpc")
      return sendHtml(
        res,
        404,
        "Not Found",
        "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
      );
    const mimetype = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (mimetype !== "application/json" && mimetype !== "application/json-rpc") {
      return sendHtml(res, 400, "Bad Request", "Request inferred type is compatible with ['http'] but 'json' was expected");
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return sendHtml(res, 400, "Bad Request", "Invalid JSON data");
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) return sendHtml(res, 400, "Bad Request", "Invalid JSON-RPC data");
    const envelope = json as Record<string, unknown>;
    const id = envelope.id ?? null;
    const params = envelope.params ?? {};
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      return sendJson(res, errorEnvelope(id, typeError("'params' must be an object")));
    }
    const { service, method, args = [] } = params as Record<string, unknown>;
    if (typeof service !== "string" || typeof method !== "string") {
      return sendJson(res, errorEnvelope(id, typeError("RPC.jsonrpc() missing required positional arguments: 'service' and 'method'")));
    }
    const parsed: Parsed = { service, method, args: Array.isArray(args) ? args : [] };
    const call = describeCall(parsed);
    const extra = options.callLatencyMs?.(call) ?? 0;
    if (extra > 0) await new Promise((r) => setTimeout(r, extra));
    const fault = takeFault(call);
    state.calls.push(fault ? { ...call, fault: fault.error } : call);

    const run = () => {
      try {
        return { ok: true as const, result: dispatch(parsed, fault) };
      } catch (error) {
        return { ok: false as const, error };
      } finally {
        if (!(call.service === "object" && READ_ONLY_METHODS.has(call.method))) save();
      }
    };

    switch (fault?.error) {
      case "AccessDenied":
        return sendJson(res, errorEnvelope(id, accessDenied()));
      case "UserError":
        return sendJson(res, errorEnvelope(id, userError("Simulated failure (fault injection)")));
      case "ValidationError":
        return sendJson(res, errorEnvelope(id, validationError("Simulated failure (fault injection)")));
      case "http500":
        if (fault.applied) run();
        return sendHtml(res, 500, "Internal Server Error", "The server encountered an internal error and was unable to complete your request.");
      case "network":
        if (fault.applied) run();
        req.socket.destroy();
        return;
      case "timeout":
        if (fault.applied) run();
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
    }
    const outcome = run();
    sendJson(res, outcome.ok ? resultEnvelope(id, outcome.result) : errorEnvelope(id, outcome.error));
  }

  function moduleFaultsControl(method: string, body: string, res: ServerResponse): void {
    try {
      const spec = JSON.parse(body || "{}") as ModuleInstallFault;
      if (method === "DELETE") clearModuleFaults(state.database(spec.db));
      else if (method === "POST") failModuleInstall(state.database(spec.db), spec);
      else return sendJson(res, { error: "POST or DELETE" }, 405);
      save();
      sendJson(res, { ok: true });
    } catch (error) {
      sendJson(res, { error: error instanceof Error ? error.message : String(error) }, 400);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, errorEnvelope(null, error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const port = (server.address() as AddressInfo).port;

  const closeListener = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
    });

  return {
    url: `http://${host}:${port}`,
    port,
    state,
    faults: {
      failNext(spec) {
        faults.push({ ...spec, remaining: spec.times ?? 1 });
      },
      clear() {
        faults.length = 0;
      },
      pending() {
        return faults.map(({ remaining, ...spec }) => ({ ...spec, times: remaining }));
      },
      failModuleInstall(spec) {
        failModuleInstall(state.database(spec.db), spec);
      },
      setLatency(value) {
        latency = value;
      },
      async goOffline(ms) {
        await closeListener();
        // let clients notice their pooled connections closed before the caller sends again
        await new Promise((r) => setTimeout(r, 20));
        let back = false;
        const comeBack = () => {
          if (back || stopped) return;
          back = true;
          clearTimeout(timer);
          server.listen(port, host);
        };
        const timer = ms === undefined ? undefined : setTimeout(comeBack, ms);
        return { comeBack };
      },
    },
    async stop() {
      stopped = true;
      if (server.listening) await closeListener();
    },
  };
}

const KNOWN_DB_METHODS = new Set(["create_database", "duplicate_database", "drop", "change_admin_password", "dump", "restore"]);
const READ_ONLY_METHODS = new Set(["search", "search_read", "search_count", "read", "fields_get"]);

// ------------------------------------------------------------------ ORM method binding

const GENERIC_METHODS: Record<string, MethodDef> = {
  search: {
    apiModel: true,
    params: ["domain", "offset", "limit", "order"],
    run: (env, def, _ids, a) => env.db.search(env, def, a.domain, a),
  },
  search_read: {
    apiModel: true,
    params: ["domain", "fields", "offset", "limit", "order", "load"],
    run: (env, def, _ids, a) => env.db.read(env, def, env.db.search(env, def, a.domain, a), a.fields),
  },
  search_count: {
    apiModel: true,
    params: ["domain", "limit"],
    run: (env, def, _ids, a) => env.db.search(env, def, a.domain, { limit: a.limit }).length,
  },
  read: { apiModel: false, params: ["fields", "load"], run: (env, def, ids, a) => env.db.read(env, def, ids, a.fields) },
  create: {
    apiModel: true,
    params: ["vals_list"],
    run: (env, def, _ids, a) => {
      const single = !Array.isArray(a.vals_list);
      const ids = env.db.create(env, def, (single ? [a.vals_list] : a.vals_list) as Record<string, unknown>[]);
      return single ? ids[0] : ids;
    },
  },
  write: { apiModel: false, params: ["vals"], run: (env, def, ids, a) => env.db.write(env, def, ids, a.vals) },
  unlink: { apiModel: false, params: [], run: (env, def, ids) => env.db.unlink(env, def, ids) },
  fields_get: {
    apiModel: true,
    params: ["allfields", "attributes"],
    run: (env, def, _ids, a) => env.db.fieldsGet(env, def, a.allfields, a.attributes),
  },
};

/** `odoo.api.call_kw`: ids come from args[0] unless the method is `@api.model`; Python-style binding. */
function callKw(env: Env, def: ModelDef, name: string, impl: MethodDef, args: unknown[], kwargs: Record<string, unknown>): unknown {
  let positional = args;
  let ids: number[] = [];
  if (!impl.apiModel) {
    const [first, ...restArgs] = args;
    positional = restArgs;
    const list = Array.isArray(first) ? first : first === undefined || first === null || first === false ? [] : [first];
    if (!list.every((id) => typeof id === "number" && Number.isInteger(id))) throw typeError(`${name}() expects a list of record ids`);
    ids = list as number[];
  }
  if (positional.length > impl.params.length) {
    throw typeError(`${def.name.replace(/\./g, "")}.${name}() takes ${impl.params.length + 1} positional arguments but ${positional.length + 1} were given`);
  }
  const bound: Record<string, unknown> = {};
  impl.params.forEach((p, i) => {
    if (i < positional.length) bound[p] = positional[i];
  });
  for (const [key, value] of Object.entries(kwargs)) {
    if (!impl.params.includes(key)) throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
    if (key in bound) throw typeError(`${name}() got multiple values for argument '${key}'`);
    bound[key] = value;
  }
  return impl.run(env, def, ids, bound);
}

// ------------------------------------------------------------------ wire helpers

function describeCall(parsed: Parsed): RecordedCall {
  if (parsed.service === "object") {
    const [db, , , model, method] = parsed.args;
    return {
      service: "object",
      method: typeof method === "string" ? method : parsed.method,
      model: typeof model === "string" ? model : undefined,
      db: typeof db === "string" ? db : undefined,
    };
  }
  if (parsed.service === "common" && (parsed.method === "authenticate" || parsed.method === "login")) {
    return { service: "common", method: parsed.method, db: typeof parsed.args[0] === "string" ? parsed.args[0] : undefined };
  }
  return { service: parsed.service, method: parsed.method };
}

function resultEnvelope(id: unknown, result: unknown): Record<string, unknown> {
  // Odoo's _response() adds `result` only when it is not None.
  return result === null || result === undefined ? { jsonrpc: "2.0", id } : { jsonrpc: "2.0", id, result };
}

function errorEnvelope(id: unknown, error: unknown): Record<string, unknown> {
  const exc = error instanceof PyException ? error : new PyException("builtins.Exception", error instanceof Error ? error.message : String(error));
  return {
    jsonrpc: "2.0",
    id,
    error: {
      code: 200,
      message: "Odoo Server Error",
      data: {
        name: exc.pyName,
        debug: `Traceback (most recent call last):\n  File "<odoo simulator>", line 1, in <module>\n${exc.pyName}: ${exc.message}\n`,
        message: exc.message,
        arguments: exc.args,
        context: {},
      },
    },
  };
}

function sendJson(res: ServerResponse, payload: unknown, status = 200): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function sendHtml(res: ServerResponse, status: number, title: string, description: string): void {
  const body = `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${description}</p>\n`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Odoo's transaction timestamp format, UTC: one value for everything one call writes. */
function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace("T", " ");
}
