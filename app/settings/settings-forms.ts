import { z } from "zod";
import { type IcpRules } from "~/icp/rules";
import { LAKE_SETTINGS_FORMS } from "~/lake/lake-settings-forms";
import { RetentionForm } from "~/retention/retention-windows";
import { cleanReason, normalizeSuppression, SUPPRESSION_KINDS, type SuppressionRow } from "./suppression";

/**
 * The settings page's forms: their choices and zod schemas, shared by the
 * action (authoritative) and the browser (inline errors before a round
 * trip). Browser-safe.
 */
/** The column default of tenant_settings.daily_token_budget, for tenants without a settings row. */
export const DEFAULT_DAILY_TOKEN_BUDGET = 200_000;

export const ODOO_PUSH_MODES = [
  {
    value: "after_run",
    label: "After each run",
    help: "Finished runs push their High and Medium leads to Odoo automatically.",
  },
  {
    value: "on_approval",
    label: "On approval",
    help: "Nothing reaches Odoo until an ops user reviews a run's dry-run and approves it.",
  },
] as const;
export type OdooPushMode = (typeof ODOO_PUSH_MODES)[number]["value"];

export const FREE_MAIL_CHOICES = [
  {
    value: "exclude",
    label: "Exclude",
    help: "Only business addresses on a company's own domain are kept.",
  },
  {
    value: "allow_low_confidence",
    label: "Allow at low confidence",
    help: "Free-mail addresses (gmail.com, yahoo.com.sg…) are kept but marked low confidence.",
  },
  {
    value: "allow",
    label: "Allow",
    help: "Free-mail addresses are kept like business ones (still verified, never guessed).",
  },
] as const satisfies ReadonlyArray<{
  value: NonNullable<IcpRules["freeMail"]>;
  label: string;
  help: string;
}>;
export type FreeMailPolicy = (typeof FREE_MAIL_CHOICES)[number]["value"];

const choice = <T extends string>(values: readonly T[], message: string) =>
  z.string({ error: message }).refine((v): v is T => (values as readonly string[]).includes(v), {
    message,
  });

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .regex(/^\d+$/, `${label} must be a whole number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${label} must be at least ${min}`)
        .max(max, `${label} must be at most ${max.toLocaleString("en-SG")}`),
    );

/*
 * Each form posts its own "intent"; the union picks the form's schema by it,
 * so the action and the browser validate with the same schema.
 */
export const PushModeForm = z.object({
  intent: z.literal("push-mode"),
  odooPushMode: choice(
    ODOO_PUSH_MODES.map((m) => m.value),
    "Choose when leads are pushed to Odoo",
  ),
});

export const FreeMailForm = z.object({
  intent: z.literal("free-mail"),
  freeMail: choice(
    FREE_MAIL_CHOICES.map((c) => c.value),
    "Choose a free-mail policy",
  ),
});

export const ThresholdsForm = z
  .object({
    intent: z.literal("thresholds"),
    high: wholeNumber("The High threshold", 1, 100),
    medium: wholeNumber("The Medium threshold", 0, 99),
  })
  .refine((t) => t.high > t.medium, {
    message: "The High threshold must be above the Medium one",
    path: ["high"],
  });

export const TokenBudgetForm = z.object({
  intent: z.literal("budget"),
  dailyTokenBudget: wholeNumber("The daily token budget", 0, 100_000_000),
});

/** The website-contacts minimum's default, as in the tenant_settings column. */
export const DEFAULT_MIN_WEBSITE_CONTACTS = 2;

export const WebsiteContactsForm = z.object({
  intent: z.literal("website-contacts"),
  minWebsiteContacts: wholeNumber("The minimum of website contacts", 1, 20),
});

export const SuppressOneForm = z
  .object({
    intent: z.literal("suppress-one"),
    kind: z.enum([...SUPPRESSION_KINDS, "auto"], {
      error: "Choose email, domain or UEN",
    }),
    value: z.string({ error: "Enter a value" }).trim().min(1, "Enter a value").max(300, "That value is too long"),
    reason: z.string().max(1000).optional(),
  })
  .transform((input, ctx): { intent: typeof input.intent; row: SuppressionRow } => {
    const result = normalizeSuppression(input.kind, input.value);
    if (!result.ok) {
      ctx.addIssue({
        code: "custom",
        message: result.reason,
        path: ["value"],
      });
      return z.NEVER;
    }
    return {
      intent: input.intent,
      row: {
        kind: result.kind,
        value: result.value,
        reason: cleanReason(input.reason),
      },
    };
  });

export const PasteForm = z.object({
  intent: z.literal("suppress-paste"),
  kind: z.enum([...SUPPRESSION_KINDS, "auto"], {
    error: "Choose email, domain, UEN or detect",
  }),
  values: z
    .string({ error: "Paste at least one value" })
    .trim()
    .min(1, "Paste at least one value")
    .max(500_000, "Paste at most 500 kB at once; upload a CSV for more"),
  reason: z.string().max(1000).optional(),
});

export const MAX_UPLOAD_BYTES = 1024 * 1024;

export const CsvUploadForm = z.object({
  intent: z.literal("suppress-csv"),
  // Rows that name no kind are detected unless the user picked one.
  kind: z.enum([...SUPPRESSION_KINDS, "auto"]).catch("auto"),
  file: z.instanceof(File, { error: "Choose a CSV file" }).refine((file) => file.size <= MAX_UPLOAD_BYTES, "At most 1 MB"),
});

export const SuppressRemoveForm = z.object({
  intent: z.literal("suppress-remove"),
  id: z.uuid(),
});

/** Every form of the settings page, told apart by the intent it posts. */
export const SettingsForm = z.discriminatedUnion("intent", [
  SuppressOneForm,
  PasteForm,
  CsvUploadForm,
  SuppressRemoveForm,
  FreeMailForm,
  ThresholdsForm,
  PushModeForm,
  TokenBudgetForm,
  WebsiteContactsForm,
  ...LAKE_SETTINGS_FORMS,
  RetentionForm,
]);
export type SettingsIntent = z.output<typeof SettingsForm>["intent"];
