import { z } from "zod";

/**
 * Small readings for the company page: the registry address as one line,
 * where each enriched field came from (lead_features.provenance), and the
 * Odoo address of a pushed partner.
 */
export type RegistryAddressParts = {
  block: string | null;
  streetName: string | null;
  levelNo: string | null;
  unitNo: string | null;
  buildingName: string | null;
  postalCode: string | null;
  otherAddressLine1?: string | null;
  otherAddressLine2?: string | null;
};

/** ACRA's address fields as Singapore writes them: `10 ANSON ROAD #12-01 INTERNATIONAL PLAZA SINGAPORE 079903`. */
export function registryAddressLine(parts: RegistryAddressParts): string | null {
  const unit = parts.levelNo ? `#${parts.levelNo}${parts.unitNo ? `-${parts.unitNo}` : ""}` : null;
  const local = [parts.block, parts.streetName, unit, parts.buildingName].filter((p) => p && p.trim()).join(" ");
  const other = [parts.otherAddressLine1, parts.otherAddressLine2].filter((p) => p && p.trim()).join(", ");
  const line = local || other;
  const postal = parts.postalCode && parts.postalCode.trim() ? `SINGAPORE ${parts.postalCode.trim()}` : "";
  return [line, postal].filter(Boolean).join(" ") || null;
}

export type Provenance = { source: string; at: string | null };

const ProvenanceEntry = z.object({ source: z.string(), at: z.string().nullish() });

/** lead_features.provenance: `{ field: { source, at } }`; unreadable entries are left out. */
export function readProvenance(stored: unknown): Record<string, Provenance> {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return {};
  const out: Record<string, Provenance> = {};
  for (const [field, entry] of Object.entries(stored)) {
    const parsed = ProvenanceEntry.safeParse(entry);
    if (parsed.success) out[field] = { source: parsed.data.source, at: parsed.data.at ?? null };
  }
  return out;
}

/** A partner's form in Odoo: `/web#id=…&model=res.partner` opens it in Odoo 17 and still redirects in 18. */
export function odooPartnerUrl(baseUrl: string, partnerId: number): string {
  return `${baseUrl.replace(/\/+$/, "")}/web#id=${partnerId}&model=res.partner&view_type=form`;
}
