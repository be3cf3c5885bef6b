import { maskEmail, maskEmailsIn, maskName, maskPhone } from "~/privacy/mask";
import { type CanonicalKind } from "./pipeline";

/** Kinds whose rows are people: a viewer sees their names, addresses and numbers masked. */
const PERSON_KINDS: ReadonlySet<CanonicalKind> = new Set(["contact", "user"]);

/** How each personal column is masked; a login is often the rep's address. */
const PERSONAL_COLUMNS: Record<string, (text: string) => string> = { name: maskName, email: maskEmail, phone: maskPhone, login: maskEmailsIn };

type Browsable = { label: string; attributes: Record<string, unknown> };

/** An entity as a viewer may see it; other kinds unchanged. */
export function maskPersonalEntity<T extends Browsable>(kind: CanonicalKind, row: T): T {
  if (!PERSON_KINDS.has(kind)) return row;
  const attributes = Object.fromEntries(
    Object.entries(row.attributes).map(([column, value]) => {
      const mask = PERSONAL_COLUMNS[column];
      return [column, mask && typeof value === "string" && value ? mask(value) : value];
    }),
  );
  return { ...row, label: maskName(row.label), attributes };
}
