import { z } from "zod";

/**
 * A stored score breakdown (lead_scores.breakdown, written by app/scoring)
 * read for display. Lenient on purpose: a row from an older scoring version
 * with missing fields still shows, an unreadable item is left out.
 */
export type BreakdownRow = { feature: string; label: string; signal: string | null; weight: number; points: number; reason: string | null };

const ItemSchema = z.object({
  feature: z.string(),
  signal: z.string().nullish(),
  weight: z.number(),
  points: z.number(),
  reason: z.string().nullish(),
});

const LABELS: Record<string, string> = {
  icp_match: "ICP match",
  ssic: "SSIC code",
  employee_fit: "Employee fit",
  registry_status: "Registry status",
  entity_type: "Entity type",
  company_age: "Company age",
  domain: "Website",
  about_text: "Company description",
  web_content: "Web content",
  products: "Products and services",
  singapore_presence: "Singapore presence",
  decision_makers: "Decision-makers",
  business_emails: "Business emails",
};

export function featureLabel(feature: string): string {
  return LABELS[feature] ?? feature.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export function readBreakdown(stored: unknown): BreakdownRow[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((item) => {
    const parsed = ItemSchema.safeParse(item);
    if (!parsed.success) return [];
    const { feature, signal, weight, points, reason } = parsed.data;
    return [{ feature, label: featureLabel(feature), signal: signal ?? null, weight, points, reason: reason ?? null }];
  });
}
