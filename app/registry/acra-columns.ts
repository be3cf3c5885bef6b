/**
 * The columns of ACRA's "Information on Corporate Entities" CSVs (data.gov.sg
 * collection 2), in the order of the 94-column files. Newer files drop
 * `no_of_charges` and every `paid_up_capital*` column (53 columns), so only
 * three columns are required; the rest are taken when present.
 */
export type AcraColumnKind = "text" | "date" | "integer" | "amount";

export type AcraColumn = { name: string; kind: AcraColumnKind };

const text = (name: string): AcraColumn => ({ name, kind: "text" });
const date = (name: string): AcraColumn => ({ name, kind: "date" });
const integer = (name: string): AcraColumn => ({ name, kind: "integer" });
const amount = (name: string): AcraColumn => ({ name, kind: "amount" });
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export const ACRA_COLUMNS: readonly AcraColumn[] = [
  text("issuance_agency_id"),
  text("uen"),
  text("entity_name"),
  text("entity_type_description"),
  text("business_constitution_description"),
  text("company_type_description"),
  text("paf_constitution_description"),
  text("entity_status_description"),
  date("registration_incorporation_date"),
  date("uen_issue_date"),
  text("address_type"),
  text("block"),
  text("street_name"),
  text("level_no"),
  text("unit_no"),
  text("building_name"),
  text("postal_code"),
  text("other_address_line1"),
  text("other_address_line2"),
  date("account_due_date"),
  date("annual_return_date"),
  integer("no_of_charges"),
  text("primary_ssic_code"),
  text("primary_ssic_description"),
  text("primary_user_described_activity"),
  text("secondary_ssic_code"),
  text("secondary_ssic_description"),
  text("secondary_user_described_activity"),
  integer("no_of_officers"),
  ...range(15).map((i) => text(`former_entity_name${i}`)),
  ...range(10).flatMap((i) => [
    text(`paid_up_capital${i}_currency`),
    amount(`paid_up_capital${i}_ordinary`),
    amount(`paid_up_capital${i}_preference`),
    amount(`paid_up_capital${i}_others`),
  ]),
  ...range(5).map((i) => text(`uen_of_audit_firm${i}`)),
  ...range(5).map((i) => text(`name_of_audit_firm${i}`)),
];

export const ACRA_COLUMN_NAMES: readonly string[] = ACRA_COLUMNS.map((c) => c.name);

export const REQUIRED_ACRA_COLUMNS = ["uen", "entity_name", "entity_status_description"] as const;

/** The columns newer data.gov.sg files no longer carry. */
export const LEGACY_ONLY_COLUMNS: readonly string[] = ACRA_COLUMN_NAMES.filter((n) => n === "no_of_charges" || n.startsWith("paid_up_capital"));

const COLUMN_INDEX = new Map(ACRA_COLUMN_NAMES.map((n, i) => [n, i]));

export function acraColumnIndex(name: string): number | undefined {
  return COLUMN_INDEX.get(name);
}

/** "Entity Name", " ENTITY_NAME ", "entity-name" all mean `entity_name`. */
export function normalizeHeaderName(raw: string): string {
  return raw
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, " ")
    .trim()
    .replace(/ /g, "_");
}

export type HeaderMapping = {
  /** For each field of a record: the index into ACRA_COLUMNS, or the name of an unknown column. */
  fields: Array<{ known: number } | { extra: string }>;
  /** Known columns the file does not have (they load as NULL). */
  missing: string[];
  extras: string[];
};

export class HeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HeaderError";
  }
}

/** Maps a CSV header row onto the known columns, or explains why the file cannot load. */
export function mapHeader(header: readonly string[]): HeaderMapping {
  const names = header.map(normalizeHeaderName);
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (!name) throw new HeaderError(`Header column ${i + 1} has no name.`);
    if (seen.has(name)) {
      throw new HeaderError(`Header names column "${name}" twice (columns ${seen.get(name)! + 1} and ${i + 1}).`);
    }
    seen.set(name, i);
  });
  const missingRequired = REQUIRED_ACRA_COLUMNS.filter((c) => !seen.has(c));
  if (missingRequired.length) {
    const shown = names.slice(0, 8).join(", ") + (names.length > 8 ? ", …" : "");
    throw new HeaderError(
      `Not an ACRA entities file: required column${missingRequired.length > 1 ? "s" : ""} ${missingRequired.join(", ")} missing (header has ${names.length} columns: ${shown}).`,
    );
  }
  const fields = names.map((name) => {
    const known = COLUMN_INDEX.get(name);
    return known === undefined ? { extra: name } : { known };
  });
  return {
    fields,
    missing: ACRA_COLUMN_NAMES.filter((n) => !seen.has(n)),
    extras: names.filter((n) => !COLUMN_INDEX.has(n)),
  };
}
