import { recordAudit, type Actor } from "~/audit.server";
import { db } from "~/db.server";
import { currentIcpRules, saveIcpRules, type SaveResult } from "~/icp/icp.server";
import { defaultIcpRules, type IcpRules } from "~/icp/rules";
import { DEFAULT_DAILY_TOKEN_BUDGET, type FreeMailPolicy, type OdooPushMode } from "./settings-forms";

/**
 * A workspace's settings: some live in `tenant_settings` (Odoo push mode,
 * daily token budget), the rest are fields of the ICP rules (free-mail policy,
 * score thresholds), which are versioned — changing one saves a new ICP
 * version that differs from the current one in that field only.
 */
export type WorkspaceSettings = {
  odooPushMode: OdooPushMode;
  dailyTokenBudget: number;
  updatedByEmail: string | null;
  updatedAt: Date | null;
  freeMail: FreeMailPolicy;
  scoreThresholds: { high: number; medium: number };
  icpVersion: number | null;
};

export async function workspaceSettings(tenantId: string): Promise<WorkspaceSettings> {
  const [row, icp] = await Promise.all([
    db.$withTenant(tenantId, (tx) =>
      tx.tenantSettings.findUnique({ where: { tenantId }, select: { odooPushMode: true, dailyTokenBudget: true, updatedByEmail: true, updatedAt: true } }),
    ),
    currentIcpRules(tenantId),
  ]);
  const rules = icp?.rules ?? defaultIcpRules();
  const defaults = defaultIcpRules();
  return {
    odooPushMode: row?.odooPushMode === "on_approval" ? "on_approval" : "after_run",
    dailyTokenBudget: row?.dailyTokenBudget ?? DEFAULT_DAILY_TOKEN_BUDGET,
    updatedByEmail: row?.updatedByEmail ?? null,
    updatedAt: row?.updatedAt ?? null,
    freeMail: rules.freeMail ?? defaults.freeMail ?? "exclude",
    scoreThresholds: rules.scoreThresholds ?? defaults.scoreThresholds ?? { high: 70, medium: 40 },
    icpVersion: icp?.version ?? null,
  };
}

type SettingsPatch = { odooPushMode: OdooPushMode } | { dailyTokenBudget: number };

/** Writes one tenant_settings field (creating the row on first use) and audits the change. */
export async function updateTenantSettings(tenantId: string, actor: Actor, patch: SettingsPatch): Promise<{ changed: boolean }> {
  const [field, value] = Object.entries(patch)[0] as [keyof SettingsPatch, string | number];
  return db.$withTenant(
    tenantId,
    async (tx) => {
      const before = await tx.tenantSettings.findUnique({ where: { tenantId }, select: { odooPushMode: true, dailyTokenBudget: true } });
      const previous = before ? before[field as "odooPushMode" | "dailyTokenBudget"] : null;
      if (previous === value) return { changed: false };
      await tx.tenantSettings.upsert({
        where: { tenantId },
        create: { tenantId, ...patch, updatedByEmail: actor.email ?? null },
        update: { ...patch, updatedByEmail: actor.email ?? null, updatedAt: new Date() },
      });
      await recordAudit(tenantId, actor, `settings.${field === "odooPushMode" ? "odoo_push_mode" : "daily_token_budget"}`, "tenant_settings", { before: previous, after: value }, tx);
      return { changed: true };
    },
    { actor },
  );
}

type IcpFieldPatch = Pick<IcpRules, "freeMail"> | Pick<IcpRules, "scoreThresholds">;

/** Saves the current rules (or the default template) with one field changed, as a new ICP version (audited by saveIcpRules). */
export async function updateIcpField(tenantId: string, actor: Actor, patch: IcpFieldPatch): Promise<SaveResult> {
  const current = await currentIcpRules(tenantId);
  const rules = { ...(current?.rules ?? defaultIcpRules()), ...patch };
  return saveIcpRules(tenantId, actor, rules);
}
