import { maskEmail, maskEmailsIn, maskName, maskPhone } from "~/privacy/mask";
import { type CanonicalKind } from "./pipeline";

/**
 * What a caller who sees only the lake's aggregates may see of an entity,
 * as the CRM views show it to them: people's names, addresses and numbers
 * masked, a deal's name masked (it often names the person), an activity's
 * summary left out (the rep's own words).
 */
const MASKED_COLUMNS: Partial<Record<CanonicalKind, Record<string, (text: string) => string | null>>> = {
  contact: { name: maskName, email: maskEmail, phone: maskPhone },
  // A login is often the rep's address.
  user: { name: maskName, email: maskEmail, phone: maskPhone, login: maskEmailsIn },
  opportunity: { name: maskName },
  activity: { summary: () => null },
};

type Browsable = { label: string; attributes: Record<string, unknown> };

/** An entity as an aggregates-only caller may see it (see `seesLakeRows`); companies and teams unchanged. */
export function maskPersonalEntity<T extends Browsable>(kind: CanonicalKind, row: T): T {
  const masks = MASKED_COLUMNS[kind];
  if (!masks) return row;
  const attributes = Object.fromEntries(
    Object.entries(row.attributes).map(([column, value]) => {
      const mask = masks[column];
      return [column, mask && typeof value === "string" && value ? mask(value) : value];
    }),
  );
  // An activity is labelled by its summary when it has one, else by its type.
  const label = kind === "activity" ? String(row.attributes.activity_type ?? "") : maskName(row.label);
  return { ...row, label, attributes };
}
