import { type Env, type Operation, type Rec, type SimDatabase } from "./orm";

/**
 * The vocabulary every simulated model is written in: field and method
 * definitions, access lists, record rules and the hooks create/write run.
 */

/** Odoo's superuser (`base.user_root`): record rules and access rights do not apply to it. */
export const SUPERUSER_ID = 1;

export type FieldType =
  | "char"
  | "text"
  | "html"
  | "boolean"
  | "integer"
  | "float"
  | "monetary"
  | "selection"
  | "many2one"
  | "many2one_reference"
  | "one2many"
  | "many2many"
  | "date"
  | "datetime";

export type FieldDef = {
  type: FieldType;
  string: string;
  /** Odoo's tooltip; fields_get reports it only for fields that have one. */
  help?: string;
  relation?: string;
  inverse?: string;
  required?: boolean;
  selection?: string[];
  default?: (env: Env) => unknown;
  compute?: (db: SimDatabase, rec: Rec) => unknown;
  /** Odoo's `password`: accepted by create/write, read back as "". */
  writeOnly?: boolean;
  /** The field exists only once this module is installed (e.g. auth_oauth's fields on res.users). */
  module?: string;
};

export type MethodDef = {
  /** `@api.model`: no ids; otherwise `args[0]` holds the ids. */
  apiModel: boolean;
  params: string[];
  run: (env: Env, def: ModelDef, ids: number[], args: Record<string, unknown>) => unknown;
};

type Acl = "everyone" | string[];

export type ModelDef = {
  name: string;
  description: string;
  module: string;
  order: string;
  fields: Record<string, FieldDef>;
  access: Record<Operation, Acl>;
  displayName?: (db: SimDatabase, rec: Rec) => string;
  /** Normalises incoming values in place (create: rec undefined). */
  prepare?: (env: Env, vals: Record<string, unknown>, rec: Rec | undefined) => void;
  afterCreate?: (env: Env, rec: Rec, vals: Record<string, unknown>) => void;
  afterWrite?: (env: Env, rec: Rec, vals: Record<string, unknown>, before: Rec) => void;
  beforeUnlink?: (env: Env, recs: Rec[]) => void;
  /** SQL and Python constraints, checked after the records are written. */
  constrain?: (env: Env, recs: Rec[]) => void;
  /** ir.rule: true when the current user may see/touch the record. */
  recordRule?: (env: Env, rec: Rec) => boolean;
  methods?: Record<string, MethodDef>;
};

const magic: Record<string, FieldDef> = {
  create_date: { type: "datetime", string: "Created on" },
  write_date: { type: "datetime", string: "Last Updated on" },
  create_uid: { type: "many2one", string: "Created by", relation: "res.users" },
  write_uid: { type: "many2one", string: "Last Updated by", relation: "res.users" },
};

export function model(def: Omit<ModelDef, "fields"> & { fields: Record<string, FieldDef> }): ModelDef {
  const fields: Record<string, FieldDef> = { ...def.fields, ...magic };
  fields.display_name ??= { type: "char", string: "Display Name", compute: (db, rec) => db.displayName(def.name, rec) };
  return { ...def, fields };
}

/** `env.company`: the first allowed company of the context, else the user's main company. */
export function envCompany(env: Env): number | false {
  const allowed = env.context.allowed_company_ids;
  if (Array.isArray(allowed) && typeof allowed[0] === "number") return allowed[0];
  return (env.db.get("res.users", env.uid)?.company_id as number | undefined) ?? false;
}
