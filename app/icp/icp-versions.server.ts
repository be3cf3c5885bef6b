import { type TenantTx } from "../db.server";
import { IcpRulesSchema, type IcpRules } from "./rules";

/** One saved version of a tenant's ICP rules. */
export type IcpVersion = {
  version: number;
  rules: IcpRules;
  authorSub: string | null;
  authorEmail: string | null;
  createdAt: Date;
};

type Row = { version: number; rules: unknown; author_sub: string | null; author_email: string | null; created_at: Date };

function toVersion(row: Row): IcpVersion {
  // Saved rules were valid when saved; parsing again normalizes them to today's schema.
  const rules = IcpRulesSchema.parse(row.rules);
  return { version: row.version, rules, authorSub: row.author_sub, authorEmail: row.author_email, createdAt: row.created_at };
}

/** Newest first. Runs inside a tenant transaction, so RLS limits it to that tenant. */
export async function listIcpVersions(tx: TenantTx, limit: number): Promise<IcpVersion[]> {
  const rows = await tx.$queryRaw<Row[]>`
    SELECT version, rules, author_sub, author_email, created_at FROM icp_rules ORDER BY version DESC LIMIT ${limit}`;
  return rows.map(toVersion);
}

export async function latestIcpVersion(tx: TenantTx): Promise<IcpVersion | null> {
  return (await listIcpVersions(tx, 1))[0] ?? null;
}
