/**
 * The steps of an erasure, in the order the job takes them (the address is
 * suppressed first, so no run collects it again while the rest is under
 * way), with what each one means to the admin who follows it.
 */
export const ERASURE_STEPS = ["suppress", "platform", "lake_raw", "odoo"] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

export const ERASURE_STEP_LABELS: Record<ErasureStep, string> = {
  suppress: "Address added to the suppression list",
  platform: "Contacts, emails, crawled text, chat and data-lake records erased",
  lake_raw: "Data-lake raw history anonymised",
  odoo: "Odoo partner archived and anonymised, address on Odoo's blacklist",
};

/** How far an erasure is, in percent of its steps. */
export function erasurePercent(stepsDone: readonly string[]): number {
  const done = ERASURE_STEPS.filter((s) => stepsDone.includes(s)).length;
  return Math.round((done / ERASURE_STEPS.length) * 100);
}
