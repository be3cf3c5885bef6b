import { integrityError, userError } from "./errors";
import { model, type ModelDef } from "./model-kit";
import { type Env, type Rec } from "./orm";

/**
 * addons/mail/models/mail_blacklist.py (16.0/17.0): the addresses Odoo's own
 * mailing never writes to. Every stored email is normalised (the one address
 * of the value, lower-cased) and unique; `create` of an address already
 * listed returns the existing record instead of failing (and leaves it as
 * it is, archived or not); `action_remove_with_reason` archives the entry,
 * or stores the address archived when it was never listed. `_add` and
 * `_remove` are private: a remote caller cannot reach them.
 */

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** `tools.email_normalize`: the single address in the text (bare or in `Name <addr>`), lower-cased; false when there is not exactly one. */
export function emailNormalize(value: unknown): string | false {
  if (typeof value !== "string") return false;
  const found = value.match(/[^\s@<>,;"]+@[^\s@<>,;"]+/g) ?? [];
  if (found.length !== 1 || !EMAIL.test(found[0]!)) return false;
  return found[0]!.toLowerCase();
}

function listed(env: Env, email: string): Rec | undefined {
  return Object.values(env.db.table("mail.blacklist")).find((r) => r.email === email);
}

/** `repr()` of a recordset, which is what Odoo's JSON encoder sends for a method that returns records. */
function recordsetRepr(ids: number[]): string {
  return `mail.blacklist(${ids.length === 1 ? `${ids[0]},` : ids.join(", ")})`;
}

export const mailBlacklist: ModelDef = model({
  name: "mail.blacklist",
  description: "Mail Blacklist",
  module: "mail",
  order: "id desc",
  fields: {
    email: { type: "char", string: "Email Address", required: true, help: "This field is case insensitive." },
    active: { type: "boolean", string: "Active", default: () => true },
  },
  // ir.model.access.csv: internal users read, write and create; only Settings deletes.
  access: { read: ["base.group_user"], write: ["base.group_user"], create: ["base.group_user"], unlink: ["base.group_system"] },
  displayName: (_db, rec) => String(rec.email),
  prepare: (_env, vals) => {
    if (!("email" in vals)) return;
    const normalized = emailNormalize(vals.email);
    if (!normalized) throw userError(`Invalid email address '${String(vals.email)}'`);
    vals.email = normalized;
  },
  // _sql_constraints unique_email
  constrain: (env, recs) => {
    for (const rec of recs) {
      const twin = Object.values(env.db.table("mail.blacklist")).find((r) => r.id !== rec.id && r.email === rec.email);
      if (twin) throw integrityError(`Email address already exists!`);
    }
  },
  methods: {
    create: {
      apiModel: true,
      params: ["vals_list"],
      run: (env, def, _ids, a) => {
        env.db.checkAccess(env, def, "create");
        const single = !Array.isArray(a.vals_list);
        const valsList = (single ? [a.vals_list] : a.vals_list) as Array<Record<string, unknown>>;
        const existing: number[] = [];
        const toCreate: Array<Record<string, unknown>> = [];
        const seen = new Set<string>();
        for (const vals of valsList) {
          const email = emailNormalize(vals?.email);
          if (!email) throw userError(`Invalid email address '${String(vals?.email)}'`);
          if (seen.has(email)) continue;
          seen.add(email);
          const known = listed(env, email);
          if (known) existing.push(known.id);
          else toCreate.push({ ...vals, email });
        }
        const created = toCreate.length ? env.db.create(env, def, toCreate) : [];
        const ids = [...existing, ...created];
        return single ? ids[0] : ids;
      },
    },
    action_remove_with_reason: {
      apiModel: false,
      params: ["email", "reason"],
      run: (env, def, _ids, a) => {
        const email = emailNormalize(a.email);
        if (!email) throw userError(`Invalid email address '${String(a.email)}'`);
        const known = listed(env, email);
        if (known) {
          env.db.write(env, def, [known.id], { active: false });
          return recordsetRepr([known.id]);
        }
        return recordsetRepr(env.db.create(env, def, [{ email, active: false }]));
      },
    },
  },
});
