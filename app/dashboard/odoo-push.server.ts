import { type Actor } from "~/audit.server";
import { log } from "~/logger.server";
import { approveRunPush, planRunPush, type RunPushPlan, type RunPushResult } from "~/odoo/lead-push.server";
import { RunPushError } from "~/odoo/push-errors.server";
import { countBy } from "~/utils/collections";

/**
 * The run page's Odoo panel for tenants that push on approval: the dry-run
 * (what the push would create and change in their Odoo, field by field) in a
 * shape the page can show, and the Approve action. Asking Odoo can be slow
 * or fail; a failure becomes a message on the panel, never a broken page.
 */
export const PLAN_LIST_LIMIT = 50;

type Value = string | number | boolean | null;

export type PushPlanView =
  | {
      ok: true;
      approved: boolean;
      counts: {
        companiesCreate: number;
        companiesUpdate: number;
        companiesUnchanged: number;
        companiesSkipped: number;
        contactsCreate: number;
        contactsUpdate: number;
        contactsUnchanged: number;
      };
      excluded: Record<string, number>;
      withheldEmails: Record<string, number>;
      droppedContacts: number;
      warnings: string[];
      companyCreates: Array<{ uen: string; name: string; fields: Array<{ field: string; value: Value }> }>;
      companyUpdates: Array<{ uen: string; partnerId: number; changes: Array<{ field: string; before: Value; after: Value }> }>;
      contactCreates: Array<{ uen: string; name: string; email: string | null; function: string | null }>;
      contactUpdates: Array<{ uen: string; key: string; changes: Array<{ field: string; before: Value; after: Value }> }>;
    }
  | { ok: false; message: string };

/** Odoo values for display: many2one pairs by their label, HTML comments as text, long text cut. */
export function displayValue(value: unknown): Value {
  if (value === null || value === undefined || value === false) return null;
  if (Array.isArray(value)) return value.length === 2 && typeof value[1] === "string" ? value[1] : JSON.stringify(value);
  if (typeof value === "string") {
    const text = value
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return text.length > 160 ? `${text.slice(0, 160)}…` : text;
  }
  if (typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

const HIDDEN_FIELDS = new Set(["is_company", "company_id", "parent_id", "type"]);

export function pushPlanView(plan: RunPushPlan): PushPlanView {
  const changes = (list: Array<{ field: string; before: unknown; after: unknown }>) =>
    list.map((c) => ({ field: c.field, before: displayValue(c.before), after: displayValue(c.after) }));
  return {
    ok: true,
    approved: plan.approved,
    counts: {
      companiesCreate: plan.companies.create.length,
      companiesUpdate: plan.companies.update.length,
      companiesUnchanged: plan.companies.unchanged.length,
      companiesSkipped: plan.companies.skipped.length,
      contactsCreate: plan.contacts.create.length,
      contactsUpdate: plan.contacts.update.length,
      contactsUnchanged: plan.contacts.unchanged.length,
    },
    excluded: countBy(plan.excluded, (e) => e.reason),
    withheldEmails: plan.withheldEmails,
    droppedContacts: plan.droppedContacts.length,
    warnings: plan.warnings,
    companyCreates: plan.companies.create.slice(0, PLAN_LIST_LIMIT).map((c) => ({
      uen: c.uen,
      name: String(c.values.name ?? c.uen),
      fields: Object.entries(c.values)
        .filter(([field]) => !HIDDEN_FIELDS.has(field) && field !== "name")
        .map(([field, value]) => ({ field, value: displayValue(value) })),
    })),
    companyUpdates: plan.companies.update.slice(0, PLAN_LIST_LIMIT).map((u) => ({ uen: u.uen, partnerId: u.id, changes: changes(u.changes) })),
    contactCreates: plan.contacts.create.slice(0, PLAN_LIST_LIMIT).map((c) => ({
      uen: c.uen,
      name: String(c.values.name ?? c.key),
      email: typeof c.values.email === "string" ? c.values.email : null,
      function: typeof c.values.function === "string" ? c.values.function : null,
    })),
    contactUpdates: plan.contacts.update.slice(0, PLAN_LIST_LIMIT).map((u) => ({ uen: u.uen, key: u.key, changes: changes(u.changes) })),
  };
}

export async function loadPushPlan(tenantId: string, runId: string): Promise<PushPlanView> {
  try {
    return pushPlanView(await planRunPush(tenantId, runId));
  } catch (error) {
    if (error instanceof RunPushError) return { ok: false, message: error.message };
    log().warn({ err: error, runId }, "the Odoo dry-run failed");
    return { ok: false, message: "Odoo could not be asked what the push would change. Reload the page to try again." };
  }
}

export type ApproveOutcome = { ok: boolean; message: string };

export function describePushResult(result: RunPushResult): string {
  const c = result.companies;
  const parts = [`${c.created} companies created`, `${c.updated} updated`, `${result.contacts.created} contacts created`, `${result.contacts.updated} updated`];
  if (c.skipped) parts.push(`${c.skipped} already up to date`);
  if (c.failed) parts.push(`${c.failed} failed`);
  return parts.join(", ");
}

/** Approves and applies the push (approveRunPush audits the approval once). */
export async function approvePush(tenantId: string, runId: string, actor: Actor): Promise<ApproveOutcome> {
  try {
    const result = await approveRunPush(tenantId, runId, actor);
    if (result.status === "partial")
      return { ok: false, message: `Approved, but Odoo did not take everything: ${describePushResult(result)}. Approve again to retry the rest.` };
    return { ok: true, message: `Approved and pushed to Odoo: ${describePushResult(result)}.` };
  } catch (error) {
    if (error instanceof RunPushError) return { ok: false, message: error.message };
    throw error;
  }
}
