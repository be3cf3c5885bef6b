import { domainLeaves, evaluate, parseDomain } from "./domain";
import { accessError, integrityError, missingError, typeError, userError, valueError } from "./errors";
import { MODELS, MODULES, seedBase, type ModelDef } from "./models";

/**
 * An in-memory Odoo database: records per model, the module states that
 * decide which models and fields exist, and the generic ORM methods
 * (search/read/create/write/unlink…) with Odoo's access checks.
 */

export type Rec = { id: number } & Record<string, unknown>;
export type Ctx = Record<string, unknown>;
export type Env = { db: SimDatabase; uid: number; su: boolean; context: Ctx; now: string };

type Data = {
  tables: Record<string, Record<number, Rec>>;
  sequences: Record<string, number>;
  /** uid → password; write-only in Odoo, so kept out of the records. */
  passwords: Record<number, string>;
};

export type Operation = "read" | "write" | "create" | "unlink";

export class SimDatabase {
  private data: Data = { tables: {}, sequences: {}, passwords: {} };

  constructor(
    readonly name: string,
    /** False after a silent `_initialize_db` failure: Postgres database exists, no registry. */
    public initialized: boolean,
  ) {}

  /** Plain-JSON snapshot, for the standalone simulator's --state-file. */
  dump(): { name: string; initialized: boolean; data: Data } {
    return { name: this.name, initialized: this.initialized, data: structuredClone(this.data) };
  }

  static restore(saved: { name: string; initialized: boolean; data: Data }): SimDatabase {
    const db = new SimDatabase(saved.name, saved.initialized);
    db.data = saved.data;
    return db;
  }

  // ---------------------------------------------------------- transactions

  /** Runs `fn` as one transaction: any exception rolls every change back, like Odoo's cursor. */
  transaction<T>(fn: () => T): T {
    const snapshot = structuredClone(this.data);
    try {
      return fn();
    } catch (error) {
      this.data = snapshot;
      throw error;
    }
  }

  // ---------------------------------------------------------- raw storage (simulator-internal and tests)

  table(model: string): Record<number, Rec> {
    return (this.data.tables[model] ??= {});
  }

  /** Every stored record of a model, archived ones included (for test assertions). */
  records(model: string): Rec[] {
    return Object.values(this.table(model)).map((r) => structuredClone(r));
  }

  get(model: string, id: number): Rec | undefined {
    return this.table(model)[id];
  }

  insert(model: string, values: Record<string, unknown>): Rec {
    const id = (this.data.sequences[model] = (this.data.sequences[model] ?? 0) + 1);
    const rec = { ...values, id } as Rec;
    this.table(model)[id] = rec;
    return rec;
  }

  setPassword(uid: number, password: string): void {
    this.data.passwords[uid] = password;
  }

  password(uid: number): string | undefined {
    return this.data.passwords[uid];
  }

  // ---------------------------------------------------------- xml ids and modules

  xmlId(xmlId: string): number | undefined {
    const [module, name] = splitXmlId(xmlId);
    return Object.values(this.table("ir.model.data")).find((r) => r.module === module && r.name === name)?.res_id as number | undefined;
  }

  ref(xmlId: string): number {
    const id = this.xmlId(xmlId);
    if (id === undefined) throw valueError(`External ID not found in the system: ${xmlId}`);
    return id;
  }

  addXmlId(xmlId: string, model: string, resId: number): void {
    const [module, name] = splitXmlId(xmlId);
    this.insert("ir.model.data", { module, name, model, res_id: resId, noupdate: false });
  }

  isInstalled(module: string): boolean {
    return Object.values(this.table("ir.module.module")).some((m) => m.name === module && m.state === "installed");
  }

  modelDef(model: string): ModelDef | undefined {
    const def = MODELS[model];
    return def && this.isInstalled(def.module) ? def : undefined;
  }

  fieldNames(def: ModelDef): string[] {
    return Object.entries(def.fields)
      .filter(([, f]) => !f.module || this.isInstalled(f.module))
      .map(([name]) => name);
  }

  /** Installs modules with their dependencies, running each module's data hook once. */
  install(names: string[]): void {
    const order: string[] = [];
    const visit = (name: string) => {
      const mod = MODULES[name];
      if (!mod) throw userError(`Module ${name} is not available`);
      if (order.includes(name) || this.isInstalled(name)) return;
      mod.depends.forEach(visit);
      order.push(name);
    };
    names.forEach(visit);
    for (const name of order) {
      const row = Object.values(this.table("ir.module.module")).find((m) => m.name === name);
      if (row) row.state = "installed";
      MODULES[name]!.onInstall?.(this);
    }
  }

  // ---------------------------------------------------------- users and access

  groupClosure(ids: number[]): number[] {
    const out = new Set<number>();
    const stack = [...ids];
    while (stack.length) {
      const id = stack.pop()!;
      if (out.has(id)) continue;
      out.add(id);
      stack.push(...((this.get("res.groups", id)?.implied_ids as number[] | undefined) ?? []));
    }
    return [...out].sort((a, b) => a - b);
  }

  hasGroup(uid: number, xmlId: string): boolean {
    const gid = this.xmlId(xmlId);
    if (gid === undefined) return false;
    const groups = (this.get("res.users", uid)?.groups_id as number[] | undefined) ?? [];
    return this.groupClosure(groups).includes(gid);
  }

  /** `res.users.check`: the uid is active and the password matches. */
  checkCredentials(uid: number, password: unknown): boolean {
    const user = this.get("res.users", uid);
    return Boolean(user && user.active && typeof password === "string" && password && this.password(uid) === password);
  }

  authenticate(login: unknown, password: unknown): number | false {
    if (typeof login !== "string" || typeof password !== "string" || !password) return false;
    const user = Object.values(this.table("res.users")).find((u) => u.login === login && u.active);
    return user && this.password(user.id) === password ? user.id : false;
  }

  allowedCompanies(env: Env): number[] {
    const user = this.get("res.users", env.uid);
    const mine = (user?.company_ids as number[] | undefined) ?? [];
    const requested = env.context.allowed_company_ids;
    if (Array.isArray(requested) && requested.length) {
      if (!env.su && requested.some((c) => !mine.includes(c as number))) {
        throw accessError("Access to unauthorized or invalid companies.");
      }
      return requested as number[];
    }
    return mine;
  }

  checkAccess(env: Env, def: ModelDef, op: Operation): void {
    if (env.su) return;
    const acl = def.access[op];
    if (acl === "everyone") return;
    if (acl.some((group) => this.hasGroup(env.uid, group))) return;
    const verb = { read: "access", write: "modify", create: "create", unlink: "delete" }[op];
    throw accessError(
      `You are not allowed to ${verb} '${def.description}' (${def.name}) records.\n\nContact your administrator to request access if necessary.`,
    );
  }

  private passesRules(env: Env, def: ModelDef, rec: Rec): boolean {
    return env.su || !def.recordRule || def.recordRule(env, rec);
  }

  private checkRules(env: Env, def: ModelDef, recs: Rec[], op: Operation): void {
    const denied = recs.filter((r) => !this.passesRules(env, def, r));
    if (denied.length === 0) return;
    const verb = { read: "read", write: "modify", create: "create", unlink: "delete" }[op];
    throw accessError(
      `Due to security restrictions, you are not allowed to ${verb} '${def.description}' (${def.name}) records.\n\nRecords: ${denied
        .map((r) => `${this.displayName(def.name, r)} (id=${r.id})`)
        .join(", ")}`,
    );
  }

  // ---------------------------------------------------------- generic ORM

  displayName(model: string, rec: Rec): string {
    const def = MODELS[model];
    if (def?.displayName) return def.displayName(this, rec);
    return String(rec.name ?? `${model},${rec.id}`);
  }

  search(env: Env, def: ModelDef, domain: unknown, opts: { offset?: unknown; limit?: unknown; order?: unknown } = {}): number[] {
    this.checkAccess(env, def, "read");
    const tree = parseDomain(domain);
    const names = new Set(this.fieldNames(def));
    for (const [field] of domainLeaves(tree)) {
      if (field !== "id" && !names.has(field)) {
        throw valueError(`Invalid field ${def.name}.${field} in leaf ${JSON.stringify(domainLeaves(tree).find((l) => l[0] === field))}`);
      }
    }
    const activeTest = names.has("active") && env.context.active_test !== false && !domainLeaves(tree).some((l) => l[0] === "active");
    const matches = Object.values(this.table(def.name)).filter(
      (rec) => (!activeTest || rec.active) && this.passesRules(env, def, rec) && evaluate(tree, (field) => this.value(def, rec, field)),
    );
    const offset = typeof opts.offset === "number" ? opts.offset : 0;
    const limit = typeof opts.limit === "number" && opts.limit > 0 ? opts.limit : undefined;
    const sorted = this.sort(def, matches, opts.order, limit === undefined ? undefined : offset + limit);
    return sorted.slice(offset, limit === undefined ? undefined : offset + limit).map((r) => r.id);
  }

  /** The records in `order`; with `first`, only that many from the top (a page of a large table needs no full sort). */
  private sort(def: ModelDef, recs: Rec[], order: unknown, first?: number): Rec[] {
    const spec = typeof order === "string" && order.trim() ? order : def.order;
    const keys = spec.split(",").map((part) => {
      const [field, dir = "asc", ...rest] = part.trim().split(/\s+/);
      const direction = dir.toLowerCase();
      if (!field || rest.length > 0 || (direction !== "asc" && direction !== "desc") || (field !== "id" && !def.fields[field])) {
        throw valueError(
          `Invalid "order" specified (${spec}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
        );
      }
      return { field, sign: direction === "desc" ? -1 : 1 };
    });
    // Each record's sort key is computed once, so a page of a large table costs one pass, not a value lookup per comparison.
    type Keyed = { rec: Rec; key: Array<string | number | null> };
    const compare = (a: Keyed, b: Keyed): number => {
      for (let i = 0; i < keys.length; i++) {
        const x = a.key[i]!;
        const y = b.key[i]!;
        if (x === y) continue;
        const sign = keys[i]!.sign;
        // Postgres puts NULLs last in ascending order.
        if (x === null) return sign;
        if (y === null) return -sign;
        return (x < y ? -1 : 1) * sign;
      }
      return 0;
    };
    const keyed = recs.map((rec): Keyed => ({ rec, key: keys.map(({ field }) => sortKey(this.value(def, rec, field))) }));
    if (first === undefined || first >= keyed.length) return keyed.sort(compare).map((k) => k.rec);
    // The first `first` in order, kept sorted while scanning once (stable: ties keep their scan order).
    const top: Keyed[] = [];
    for (const item of keyed) {
      if (top.length === first && compare(item, top[first - 1]!) >= 0) continue;
      let lo = 0;
      let hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(top[mid]!, item) <= 0) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, item);
      if (top.length > first) top.pop();
    }
    return top.map((k) => k.rec);
  }

  /** The stored (or computed) value of a field: many2one id|false, x2many ids, scalar|false. */
  value(def: ModelDef, rec: Rec, field: string): unknown {
    if (field === "id") return rec.id;
    const f = def.fields[field];
    if (!f) return false;
    if (f.compute) return f.compute(this, rec);
    if (f.type === "one2many") {
      return Object.values(this.table(f.relation!))
        .filter((r) => r[f.inverse!] === rec.id && (!("active" in r) || r.active))
        .map((r) => r.id)
        .sort((a, b) => a - b);
    }
    if (f.writeOnly) return "";
    return rec[field] ?? emptyValue(f.type);
  }

  read(env: Env, def: ModelDef, ids: number[], fields: unknown): Rec[] {
    this.checkAccess(env, def, "read");
    const names = this.readableFields(def, fields);
    // Odoo drops ids that no longer exist instead of failing the read.
    const recs = ids.map((id) => this.get(def.name, id)).filter((r): r is Rec => r !== undefined);
    this.checkRules(env, def, recs, "read");
    return recs.map((rec) => {
      const out: Rec = { id: rec.id };
      for (const name of names) out[name] = this.formatForRead(def, rec, name);
      return out;
    });
  }

  private readableFields(def: ModelDef, fields: unknown): string[] {
    const all = this.fieldNames(def);
    if (fields === undefined || fields === null || fields === false || (Array.isArray(fields) && fields.length === 0)) return all;
    if (!Array.isArray(fields)) throw typeError("fields must be a list of field names");
    for (const name of fields) {
      if (name !== "id" && !all.includes(name as string)) throw valueError(`Invalid field '${String(name)}' on model '${def.name}'`);
    }
    return (fields as string[]).filter((n) => n !== "id");
  }

  private formatForRead(def: ModelDef, rec: Rec, name: string): unknown {
    const f = def.fields[name]!;
    const value = this.value(def, rec, name);
    if (f.type === "many2one") {
      if (!value) return false;
      const target = this.get(f.relation!, value as number);
      return target ? [target.id, this.displayName(f.relation!, target)] : false;
    }
    return structuredClone(value);
  }

  create(env: Env, def: ModelDef, valsList: Record<string, unknown>[]): number[] {
    this.checkAccess(env, def, "create");
    const created: Rec[] = [];
    for (const raw of valsList) {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw typeError("create() values must be dictionaries");
      const vals = { ...raw };
      def.prepare?.(env, vals, undefined);
      const rec = this.insert(def.name, {});
      for (const name of this.fieldNames(def)) {
        const f = def.fields[name]!;
        if (f.compute || f.type === "one2many" || f.writeOnly) continue;
        rec[name] = f.default ? f.default(env) : emptyValue(f.type);
      }
      Object.assign(rec, { create_date: env.now, write_date: env.now, create_uid: env.uid, write_uid: env.uid });
      const deferred = this.assign(def, rec, vals, env);
      def.afterCreate?.(env, rec, vals);
      deferred();
      created.push(rec);
    }
    this.checkRequired(def, created);
    def.constrain?.(env, created);
    this.checkRules(env, def, created, "create");
    return created.map((r) => r.id);
  }

  write(env: Env, def: ModelDef, ids: number[], raw: unknown): true {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw typeError("write() values must be a dictionary");
    this.checkAccess(env, def, "write");
    const recs = this.existing(env, def, ids);
    this.checkRules(env, def, recs, "write");
    for (const rec of recs) {
      const vals = { ...(raw as Record<string, unknown>) };
      def.prepare?.(env, vals, rec);
      const before = structuredClone(rec);
      const deferred = this.assign(def, rec, vals, env);
      Object.assign(rec, { write_date: env.now, write_uid: env.uid });
      def.afterWrite?.(env, rec, vals, before);
      deferred();
    }
    this.checkRequired(def, recs);
    def.constrain?.(env, recs);
    this.checkRules(env, def, recs, "write");
    return true;
  }

  unlink(env: Env, def: ModelDef, ids: number[]): true {
    this.checkAccess(env, def, "unlink");
    const recs = this.existing(env, def, ids);
    this.checkRules(env, def, recs, "unlink");
    def.beforeUnlink?.(env, recs);
    for (const rec of recs) delete this.table(def.name)[rec.id];
    // ondelete='set null' for every many2one pointing at the deleted rows
    for (const [modelName, other] of Object.entries(MODELS)) {
      for (const [fname, f] of Object.entries(other.fields)) {
        if (f.relation !== def.name) continue;
        for (const r of Object.values(this.table(modelName))) {
          if (f.type === "many2one" && recs.some((d) => d.id === r[fname])) r[fname] = false;
          if (f.type === "many2many" && Array.isArray(r[fname])) r[fname] = (r[fname] as number[]).filter((id) => !recs.some((d) => d.id === id));
        }
      }
    }
    return true;
  }

  private existing(env: Env, def: ModelDef, ids: number[]): Rec[] {
    const missing = ids.filter((id) => !this.get(def.name, id));
    if (missing.length) {
      throw missingError(`Record does not exist or has been deleted.\n(Record: ${def.name}(${missing.join(", ")},), User: ${env.uid})`);
    }
    return [...new Set(ids)].map((id) => this.get(def.name, id)!);
  }

  private checkRequired(def: ModelDef, recs: Rec[]): void {
    for (const rec of recs) {
      for (const name of this.fieldNames(def)) {
        const f = def.fields[name]!;
        if (f.required && (rec[name] === false || rec[name] === undefined || rec[name] === null || rec[name] === "")) {
          throw integrityError(
            `\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${def.name})\nField: ${f.string} (${name})\n`,
          );
        }
      }
    }
  }

  /**
   * Writes `vals` into `rec` with Odoo's conversions. Returns a callback that
   * applies one2many commands, which need the record to exist first.
   */
  private assign(def: ModelDef, rec: Rec, vals: Record<string, unknown>, env: Env): () => void {
    const later: Array<() => void> = [];
    const names = new Set(this.fieldNames(def));
    for (const [name, value] of Object.entries(vals)) {
      if (MAGIC_FIELDS.has(name)) continue;
      const f = def.fields[name];
      if (!f || !names.has(name)) throw valueError(`Invalid field '${name}' on model '${def.name}'`);
      if (f.compute) continue;
      if (f.writeOnly) {
        if (typeof value === "string" && value) this.setPassword(rec.id, value);
        continue;
      }
      switch (f.type) {
        case "char":
        case "text":
        case "html":
        case "date":
        case "datetime":
          rec[name] = value === false || value === null || value === undefined ? false : String(value);
          break;
        case "selection":
          if (value !== false && value !== null && !f.selection!.includes(value as string)) {
            throw valueError(`Wrong value for ${def.name}.${name}: ${JSON.stringify(value)}`);
          }
          rec[name] = value ?? false;
          break;
        case "boolean":
          rec[name] = Boolean(value);
          break;
        case "integer":
        case "many2one_reference":
          rec[name] = Math.trunc(Number(value || 0));
          break;
        case "float":
        case "monetary":
          rec[name] = Number(value || 0);
          break;
        case "many2one":
          rec[name] = this.toMany2one(def, name, f.relation!, value);
          break;
        case "many2many":
          rec[name] = this.applyMany2many(f.relation!, (rec[name] as number[] | undefined) ?? [], value);
          break;
        case "one2many":
          later.push(() => this.applyOne2many(env, f.relation!, f.inverse!, rec.id, value));
          break;
      }
    }
    return () => later.forEach((fn) => fn());
  }

  private toMany2one(def: ModelDef, field: string, relation: string, value: unknown): number | false {
    if (value === false || value === null || value === undefined || value === 0) return false;
    if (typeof value !== "number" || !Number.isInteger(value)) throw valueError(`Wrong value for ${def.name}.${field}: ${JSON.stringify(value)}`);
    if (!this.get(relation, value)) {
      throw integrityError(
        `\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${def.name})\nField: ${def.fields[field]?.string} (${field})\n`,
      );
    }
    return value;
  }

  private applyMany2many(relation: string, current: number[], commands: unknown): number[] {
    if (commands === false || commands === null) return [];
    if (!Array.isArray(commands)) throw valueError(`Invalid x2many value ${JSON.stringify(commands)}`);
    let ids = new Set(current);
    const ensure = (id: unknown) => {
      if (typeof id !== "number" || !this.get(relation, id))
        throw missingError(`Record does not exist or has been deleted.\n(Record: ${relation}(${String(id)},), User: 1)`);
      return id;
    };
    for (const cmd of commands) {
      if (typeof cmd === "number") {
        ids.add(ensure(cmd));
        continue;
      }
      if (!Array.isArray(cmd)) throw valueError(`Invalid x2many command ${JSON.stringify(cmd)}`);
      const [code, id, arg] = cmd as [number, unknown, unknown];
      switch (code) {
        case 3:
          ids.delete(id as number);
          break;
        case 4:
          ids.add(ensure(id));
          break;
        case 5:
          ids = new Set();
          break;
        case 6:
          ids = new Set(((arg as unknown[]) ?? []).map(ensure));
          break;
        default:
          throw valueError(`The simulator does not model x2many command ${code} on many2many fields`);
      }
    }
    return [...ids].sort((a, b) => a - b);
  }

  private applyOne2many(env: Env, relation: string, inverse: string, ownerId: number, commands: unknown): void {
    if (!Array.isArray(commands)) throw valueError(`Invalid x2many value ${JSON.stringify(commands)}`);
    const target = MODELS[relation]!;
    for (const cmd of commands) {
      const [code, id, arg] = cmd as [number, unknown, unknown];
      if (code === 0) this.create(env, target, [{ ...(arg as Record<string, unknown>), [inverse]: ownerId }]);
      else if (code === 4) this.write(env, target, [id as number], { [inverse]: ownerId });
      else throw valueError(`The simulator does not model x2many command ${code} on one2many fields`);
    }
  }

  fieldsGet(env: Env, def: ModelDef, allfields: unknown, attributes: unknown): Record<string, Record<string, unknown>> {
    this.checkAccess(env, def, "read");
    const wanted = Array.isArray(allfields) && allfields.length ? new Set(allfields as string[]) : undefined;
    const attrs = Array.isArray(attributes) && attributes.length ? (attributes as string[]) : undefined;
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of ["id", ...this.fieldNames(def)]) {
      if (wanted && !wanted.has(name)) continue;
      const f = name === "id" ? { type: "integer" as const, string: "ID" } : def.fields[name]!;
      const desc: Record<string, unknown> = {
        type: f.type,
        string: f.string,
        required: Boolean("required" in f && f.required),
        readonly: name === "id" || Boolean("compute" in f && f.compute) || MAGIC_FIELDS.has(name),
      };
      if ("help" in f && f.help) desc.help = f.help;
      if ("relation" in f && f.relation) desc.relation = f.relation;
      if ("selection" in f && f.selection) desc.selection = f.selection.map((s) => [s, s]);
      out[name] = attrs ? Object.fromEntries(Object.entries(desc).filter(([k]) => attrs.includes(k))) : desc;
    }
    return out;
  }

  /** Builds a fresh database the way `create_database` leaves it (base installed). */
  static initialise(
    name: string,
    options: { adminLogin: string; adminPassword: string; lang: string; countryCode: string | null; phone: string | null },
  ): SimDatabase {
    const db = new SimDatabase(name, true);
    seedBase(db, options);
    return db;
  }
}

const MAGIC_FIELDS = new Set(["create_date", "write_date", "create_uid", "write_uid", "__last_update"]);

function emptyValue(type: string): unknown {
  if (type === "many2many" || type === "one2many") return [];
  if (type === "integer" || type === "float" || type === "monetary" || type === "many2one_reference") return 0;
  return false;
}

function sortKey(value: unknown): string | number | null {
  if (value === false || value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length;
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as number;
}

export function splitXmlId(xmlId: string): [string, string] {
  const dot = xmlId.indexOf(".");
  if (dot <= 0) throw valueError(`Invalid external ID: ${xmlId}`);
  return [xmlId.slice(0, dot), xmlId.slice(dot + 1)];
}
