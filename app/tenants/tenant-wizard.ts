import { z } from "zod";
import { TENANT_SLUG } from "./slug";

/**
 * The create-tenant wizard's steps and what each one asks, shared by the
 * wizard page (field errors per step), the server that creates the tenant and
 * POST /api/tenants (the same rules, all at once). Browser-safe.
 */
export const WIZARD_STEPS = ["identity", "plan", "bundle", "infra", "sso", "review"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const REGIONS = ["sg-1", "eu-1", "us-1"] as const;
export const ODOO_MODES = ["shared_db", "db_per_tenant"] as const;
export const SIZE_PROFILES = ["small", "medium", "large"] as const;
export const SSO_MODES = ["platform", "own"] as const;

export const ODOO_MODE_LABELS: Record<(typeof ODOO_MODES)[number], string> = {
  shared_db: "Shared database (a company of its own)",
  db_per_tenant: "A database of its own",
};
export const SSO_MODE_LABELS: Record<(typeof SSO_MODES)[number], string> = {
  platform: "The platform's sign-in (default)",
  own: "Its own identity provider, configured later",
};

const code = z.string({ error: "Choose one" }).trim().min(1, "Choose one").max(40);

export const IdentityStep = z.object({
  name: z.string({ error: "Enter the workspace's name" }).trim().min(2, "At least 2 characters").max(100, "At most 100 characters"),
  slug: z.string({ error: "Enter a slug" }).trim().regex(TENANT_SLUG, "Lower-case letters, digits and dashes, 2–63 long, starting with a letter or digit"),
  agency_group: z.string().trim().max(60, "At most 60 characters").optional(),
});
export const PlanStep = z.object({ plan: code });
export const BundleStep = z.object({ bundle: code });
export const InfraStep = z.object({
  region: z.enum(REGIONS, { error: "Choose a region" }),
  odoo_mode: z.enum(ODOO_MODES, { error: "Choose how Odoo runs" }),
  size_profile: z.enum(SIZE_PROFILES, { error: "Choose a size" }),
});
export const SsoStep = z.object({ sso_mode: z.enum(SSO_MODES, { error: "Choose how its users sign in" }) });

export const STEP_SCHEMAS = {
  identity: IdentityStep,
  plan: PlanStep,
  bundle: BundleStep,
  infra: InfraStep,
  sso: SsoStep,
} as const;
export type AnswerStep = keyof typeof STEP_SCHEMAS;

/** Every answer at once: what POST /api/tenants takes and what the review submits. */
export const NewTenant = IdentityStep.extend(PlanStep.shape).extend(BundleStep.shape).extend(InfraStep.shape).extend(SsoStep.shape).strict();
export type NewTenantInput = z.infer<typeof NewTenant>;

export type WizardAnswers = Partial<Record<keyof NewTenantInput, string>>;

/** The first step whose answers are missing or invalid: where a reload or a jump ahead lands. */
export function firstIncompleteStep(answers: WizardAnswers): WizardStep {
  for (const step of Object.keys(STEP_SCHEMAS) as AnswerStep[]) {
    if (!STEP_SCHEMAS[step].safeParse(answers).success) return step;
  }
  return "review";
}

/** The step asked for, unless an earlier one is still incomplete. */
export function reachableStep(wanted: string | null, answers: WizardAnswers): WizardStep {
  const first = firstIncompleteStep(answers);
  const index = WIZARD_STEPS.indexOf(wanted as WizardStep);
  if (index < 0) return first;
  return index <= WIZARD_STEPS.indexOf(first) ? WIZARD_STEPS[index]! : first;
}

export function previousStep(step: WizardStep): WizardStep | null {
  const index = WIZARD_STEPS.indexOf(step);
  return index > 0 ? WIZARD_STEPS[index - 1]! : null;
}

export function nextStep(step: WizardStep): WizardStep {
  return WIZARD_STEPS[Math.min(WIZARD_STEPS.indexOf(step) + 1, WIZARD_STEPS.length - 1)]!;
}
