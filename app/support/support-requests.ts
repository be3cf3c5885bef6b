import { z } from "zod";

/**
 * Support requests from the tenant portal: the form a tenant admin files,
 * the operators' handling of it, and the order its statuses move in. Shared
 * by the actions and the browser (Browser-safe).
 */
export const SUPPORT_CATEGORIES = ["billing", "sso", "modules", "data", "other"] as const;
export const SUPPORT_SEVERITIES = ["low", "normal", "high", "urgent"] as const;
export const SUPPORT_STATUSES = ["open", "in_progress", "resolved"] as const;

export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number];
export type SupportSeverity = (typeof SUPPORT_SEVERITIES)[number];
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];

export const CATEGORY_LABELS: Record<SupportCategory, string> = {
  billing: "Billing and plan",
  sso: "Sign-in and SSO",
  modules: "Odoo modules",
  data: "Data and runs",
  other: "Something else",
};

export const SEVERITY_LABELS: Record<SupportSeverity, string> = {
  low: "Low: a question",
  normal: "Normal: something does not work as expected",
  high: "High: a part of the workspace is unusable",
  urgent: "Urgent: the workspace is down",
};

export const STATUS_LABELS: Record<SupportStatus, string> = { open: "open", in_progress: "in progress", resolved: "resolved" };

/** Control characters other than line breaks and tabs have no place in a request, and Postgres text cannot hold NUL. */
const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `Write the ${label}` })
    .transform((v) => v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? `Write the ${label}` : `Write at least ${min} characters in the ${label}`)
        .max(max, `Keep the ${label} under ${max} characters`),
    );

export const SupportRequestForm = z.object({
  subject: text("subject", 1, 150),
  category: z.enum(SUPPORT_CATEGORIES, { error: "Pick what the request is about" }),
  severity: z.enum(SUPPORT_SEVERITIES, { error: "Pick how urgent it is" }),
  body: text("description", 10, 5000),
});
export type SupportRequestInput = z.output<typeof SupportRequestForm>;

/** An operator's handling: the next status and the reply the tenant reads (required to resolve). */
export const SupportHandlingForm = z
  .object({
    requestId: z.uuid({ error: "No such request" }),
    tenantId: z.uuid({ error: "No such request" }),
    status: z.enum(["in_progress", "resolved"], { error: "Pick the new status" }),
    reply: z
      .string()
      .optional()
      .transform((v) => v?.trim() || undefined)
      .pipe(z.string().max(5000, "Keep the reply under 5000 characters").optional()),
  })
  .superRefine((form, ctx) => {
    if (form.status === "resolved" && !form.reply) ctx.addIssue({ code: "custom", path: ["reply"], message: "Write the reply the tenant reads" });
  });
export type SupportHandlingInput = z.output<typeof SupportHandlingForm>;

/** Requests only move forward: open → in progress → resolved (an open one may be resolved at once). A resolved one is closed. */
export function mayMoveTo(from: string, to: SupportStatus): boolean {
  if (from === "open") return to === "in_progress" || to === "resolved";
  if (from === "in_progress") return to === "resolved";
  return false;
}
