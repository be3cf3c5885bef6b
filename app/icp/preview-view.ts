import { isoDay } from "~/utils/date-format";

/**
 * The ICP editor's preview as the page shows it: a count, the industry-only
 * fallback's count when nothing matches, and a sample with dates as text.
 */
export type PreviewSampleRow = {
  uen: string;
  name: string;
  ssic: string | null;
  ssicDescription: string | null;
  status: string | null;
  incorporated: string | null;
  postalCode: string | null;
};

/** A refused preview names its fields the way Conform does: one list of messages per field. */
export type PreviewResult =
  { ok: true; count: number; fallbackCount: number | null; sample: PreviewSampleRow[] } | { ok: false; errors: Record<string, string[] | null> };

type Preview = { count: number; fallbackCount?: number; sample: Array<Record<string, unknown>> };

function dateText(value: unknown): string | null {
  if (value instanceof Date) return isoDay(value);
  return typeof value === "string" ? value.slice(0, 10) : null;
}

const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

export function previewResult(preview: Preview): PreviewResult {
  return {
    ok: true,
    count: preview.count,
    fallbackCount: preview.fallbackCount ?? null,
    sample: preview.sample.map((r) => ({
      uen: String(r.uen),
      name: String(r.entity_name),
      ssic: textOrNull(r.primary_ssic_code),
      ssicDescription: textOrNull(r.primary_ssic_description),
      status: textOrNull(r.entity_status_description),
      incorporated: dateText(r.registration_incorporation_date),
      postalCode: textOrNull(r.postal_code),
    })),
  };
}
