import { recordAudit, type Actor } from "~/audit.server";
import { db } from "~/db.server";
import { currentIcpRules, saveIcpRules, type SaveResult } from "~/icp/icp.server";
import { defaultIcpRules, type IcpRules } from "~/icp/rules";
import { pushModeOf, setPushMode } from "~/odoo/push-mode.server";
import { findShortlistRun } from "~/shortlist/shortlist.server";
import { DEFAULT_DAILY_TOKEN_BUDGET, DEFAULT_MIN_WEBSITE_CONTACTS, type FreeMailPolicy, type OdooPushMode } from "./settings-forms";

/**
 * A workspace's settings: some live in `tenant_settings` (Odoo push mode,
 * owned by the push module, and the daily token budget), the rest are fields of the ICP rules (free-mail policy,
 * score thresholds), which are versioned — changing one saves a new ICP
 * version that differs from the current one in that field only.
 */
export type WorkspaceSettings = {
  odooPushMode: OdooPushMode;
  dailyTokenBudget: number;
  /** Role-qualified people the website must name before the Apify LinkedIn search is skipped. */
  minWebsiteContacts: number;
  updatedByEmail: string | null;
  updatedAt: Date | null;
  freeMail: FreeMailPolicy;
  scoreThresholds: { high: number; medium: number };
  icpVersion: number | null;
  /** The newest finished full run: where its Odoo dry-run and the Approve button are. */
  latestRun: { id: string; runDate: string } | null;
};

export async function workspaceSettings(tenantId: string): Promise<WorkspaceSettings> {
  const [row, icp, latestRun] = await Promise.all([
    db.$withTenant(tenantId, (tx) =>
      tx.tenantSettings.findUnique({
        where: { tenantId },
        select: { odooPushMode: true, dailyTokenBudget: true, minWebsiteContacts: true, updatedByEmail: true, updatedAt: true },
      }),
    ),
    currentIcpRules(tenantId),
    db.$withTenant(tenantId, (tx) => findShortlistRun(tx, null)),
  ]);
  const rules = icp?.rules ?? defaultIcpRules();
  const defaults = defaultIcpRules();
  return {
    odooPushMode: row?.odooPushMode === "on_approval" ? "on_approval" : "after_run",
    dailyTokenBudget: row?.dailyTokenBudget ?? DEFAULT_DAILY_TOKEN_BUDGET,
    minWebsiteContacts: row?.minWebsiteContacts ?? DEFAULT_MIN_WEBSITE_CONTACTS,
    updatedByEmail: row?.updatedByEmail ?? null,
    updatedAt: row?.updatedAt ?? null,
    freeMail: rules.freeMail ?? defaults.freeMail ?? "exclude",
    scoreThresholds: rules.scoreThresholds ?? defaults.scoreThresholds ?? { high: 70, medium: 40 },
    icpVersion: icp?.version ?? null,
    latestRun: latestRun ? { id: latestRun.id, runDate: latestRun.runDate } : null,
  };
}

/** Sets the daily LLM token budget (creating the settings row on first use), audited when it changes. */
export async function setDailyTokenBudget(tenantId: string, actor: Actor, budget: number): Promise<{ changed: boolean }> {
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const before = await tx.tenantSettings.findUnique({ where: { tenantId }, select: { dailyTokenBudget: true } });
      const previous = before?.dailyTokenBudget ?? DEFAULT_DAILY_TOKEN_BUDGET;
      if (before && previous === budget) return { changed: false };
      const data = { dailyTokenBudget: budget, updatedByEmail: actor.email ?? null, updatedAt: new Date() };
      await tx.tenantSettings.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
      await recordAudit(tenantId, actor, "settings.daily_token_budget", "tenant_settings", { before: previous, after: budget }, tx);
      return { changed: true };
    },
    { actor },
  );
}

/** Sets the Odoo push mode through the push module (which owns and audits it); says whether it changed. */
export async function changeOdooPushMode(tenantId: string, actor: Actor, mode: OdooPushMode): Promise<{ changed: boolean }> {
  if ((await pushModeOf(tenantId)) === mode) return { changed: false };
  await setPushMode(tenantId, mode, actor);
  return { changed: true };
}

type IcpFieldPatch = Pick<IcpRules, "freeMail"> | Pick<IcpRules, "scoreThresholds">;

/** Saves the current rules (or the default template) with one field changed, as a new ICP version (audited by saveIcpRules). */
export async function updateIcpField(tenantId: string, actor: Actor, patch: IcpFieldPatch): Promise<SaveResult> {
  const current = await currentIcpRules(tenantId);
  const rules = { ...(current?.rules ?? defaultIcpRules()), ...patch };
  return saveIcpRules(tenantId, actor, rules);
}

/** Sets how many role-qualified people the website must name before the paid LinkedIn search is skipped, audited when it changes. */
export async function setMinWebsiteContacts(tenantId: string, actor: Actor, minimum: number): Promise<{ changed: boolean }> {
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const before = await tx.tenantSettings.findUnique({ where: { tenantId }, select: { minWebsiteContacts: true } });
      const previous = before?.minWebsiteContacts ?? DEFAULT_MIN_WEBSITE_CONTACTS;
      if (before && previous === minimum) return { changed: false };
      const data = { minWebsiteContacts: minimum, updatedByEmail: actor.email ?? null, updatedAt: new Date() };
      await tx.tenantSettings.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
      await recordAudit(tenantId, actor, "settings.min_website_contacts", "tenant_settings", { before: previous, after: minimum }, tx);
      return { changed: true };
    },
    { actor },
  );
}
