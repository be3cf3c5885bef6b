import { z } from "zod";
import { platformDb } from "~/db.server";
import { literalPattern } from "~/utils/like-pattern";
import { type OdooDomain, type OdooSession } from "./client.server";
import { odooClient, openOdooSecret } from "./connection.server";

/**
 * What the platform does about one person in a workspace's Odoo: find their
 * partners (the workspace's own, archived ones too), archive and anonymise
 * them, and keep their address on Odoo's `mail.blacklist` so Odoo's own
 * mailing never writes to it. mail.blacklist stores each address
 * normalised and once; its `_add`/`_remove` are private, so an address is
 * listed with `create` (which returns the existing entry, archived or not)
 * and re-activated with `write`, and taken off with the public
 * `action_remove_with_reason` (which archives it).
 */
export type WorkspaceOdoo = { session: OdooSession; companyId: number | null };

/** The workspace's Odoo as its integration user; null when provisioning has not connected one. */
export async function openWorkspaceOdoo(tenantId: string): Promise<WorkspaceOdoo | null> {
  const connection = await platformDb.odooConnection.findUnique({ where: { tenantId } });
  if (!connection) return null;
  const session = await odooClient().connect(connection.database, connection.login, openOdooSecret(connection));
  return { session, companyId: connection.companyId };
}

export const subjectPartnerSchema = z.object({
  id: z.number().int(),
  name: z.union([z.string(), z.literal(false)]),
  email: z.union([z.string(), z.literal(false)]),
  phone: z.union([z.string(), z.literal(false)]),
  function: z.union([z.string(), z.literal(false)]),
  active: z.boolean(),
  parent_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]),
});
export type SubjectPartner = z.infer<typeof subjectPartnerSchema>;

const ALL_RECORDS = { active_test: false };

/**
 * A person's partners by exact address or name (case-insensitive), or by id;
 * companies are never a person. Odoo's only case-insensitive comparison,
 * `=ilike`, hands the value to Postgres's ILIKE as a pattern
 * (odoo/osv/expression.py in 17.0: no wildcards added, no ESCAPE clause), so
 * `%`, `_` and `\` are escaped: `john_tan@…` must not match `john.tan@…`
 * in an erasure that cannot be undone.
 */
export async function findSubjectPartners(odoo: WorkspaceOdoo, who: { emails: string[]; names: string[]; ids?: number[] }): Promise<SubjectPartner[]> {
  const leaves: OdooDomain = [
    ...who.emails.map((email): OdooDomain[number] => ["email", "=ilike", literalPattern(email)]),
    ...who.names.map((name): OdooDomain[number] => ["name", "=ilike", literalPattern(name)]),
    ...(who.ids?.length ? [["id", "in", who.ids] as OdooDomain[number]] : []),
  ];
  if (leaves.length === 0) return [];
  const anyOf: OdooDomain = [...Array<"|">(leaves.length - 1).fill("|"), ...leaves];
  const own: OdooDomain = odoo.companyId ? [["company_id", "=", odoo.companyId]] : [];
  return odoo.session.searchRead("res.partner", [["is_company", "=", false], ...own, ...anyOf], {
    fields: ["name", "email", "phone", "function", "active", "parent_id"],
    context: ALL_RECORDS,
    schema: subjectPartnerSchema,
  });
}

/** Values that leave nothing of the person on an archived partner (the company it hangs on stays). */
export const ERASED_PARTNER_VALUES = {
  active: false,
  name: "Erased contact",
  email: false,
  phone: false,
  mobile: false,
  function: false,
  website: false,
  comment: false,
  street: false,
  street2: false,
  zip: false,
  city: false,
} as const;

export async function archiveAndAnonymisePartners(odoo: WorkspaceOdoo, ids: number[]): Promise<void> {
  await odoo.session.write("res.partner", ids, ERASED_PARTNER_VALUES, { context: ALL_RECORDS });
}

const blacklistEntrySchema = z.object({ id: z.number().int(), email: z.string(), active: z.boolean() });

/** The addresses on mail.blacklist, active or not, by normalised address. */
export async function blacklistEntries(odoo: WorkspaceOdoo, emails: string[]): Promise<Map<string, z.infer<typeof blacklistEntrySchema>>> {
  if (emails.length === 0) return new Map();
  const rows = await odoo.session.searchRead("mail.blacklist", [["email", "in", emails.map((e) => e.toLowerCase())]], {
    fields: ["email", "active"],
    context: ALL_RECORDS,
    schema: blacklistEntrySchema,
  });
  return new Map(rows.map((r) => [r.email, r]));
}

/** Lists each address (again): archived entries are re-activated, missing ones created. */
export async function blacklistEmails(odoo: WorkspaceOdoo, emails: string[]): Promise<void> {
  const known = await blacklistEntries(odoo, emails);
  const archived = [...known.values()].filter((e) => !e.active).map((e) => e.id);
  if (archived.length) await odoo.session.write("mail.blacklist", archived, { active: true }, { context: ALL_RECORDS });
  const missing = emails.filter((e) => !known.has(e.toLowerCase()));
  if (missing.length)
    await odoo.session.create(
      "mail.blacklist",
      [...new Set(missing)].map((email) => ({ email })),
    );
}

/** Takes each address off the list: Odoo archives the entry (and keeps an archived one for an address it never had). */
export async function unblacklistEmails(odoo: WorkspaceOdoo, emails: string[], reason: string): Promise<void> {
  for (const email of emails) await odoo.session.call("mail.blacklist", "action_remove_with_reason", [[], email, reason]);
}
