import { domainFrom } from "./normalize";
import { type CanonicalDraft } from "./pipeline";

/**
 * Entity resolution's keys, in the order they are tried: accounts by UEN,
 * then VAT, then domain; contacts and users by email. Other kinds are only
 * ever their own record's entity.
 */
export function resolutionKeys(draft: CanonicalDraft): Array<[rule: string, value: string]> {
  const keys: Array<[string, string | null]> =
    draft.kind === "account"
      ? [
          ["uen", draft.uen],
          ["vat", draft.vat],
          ["domain", domainFrom(draft.website, draft.email)],
        ]
      : draft.kind === "contact" || draft.kind === "user"
        ? [["email", draft.email]]
        : [];
  return keys.filter((k): k is [string, string] => Boolean(k[1]));
}

/** Whether two drafts of one kind would resolve to the same entity. */
export function sameEntity(a: CanonicalDraft, b: CanonicalDraft): boolean {
  const keysOfB = new Set(resolutionKeys(b).map(([rule, value]) => `${rule}:${value}`));
  return resolutionKeys(a).some(([rule, value]) => keysOfB.has(`${rule}:${value}`));
}
