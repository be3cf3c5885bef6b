import { emailDomain, isDisposableDomain, isFreeMailDomain, normalizeEmail } from "./email-policy.server";
import { dedupe, type SourcePage } from "./source-pages.server";

/** Site-builder and tooling domains whose addresses show up in page source. */
const PLATFORM_DOMAINS = new Set([
  "example.com",
  "example.org",
  "domain.com",
  "email.com",
  "yourdomain.com",
  "yourcompany.com",
  "sentry.io",
  "wixpress.com",
  "wix.com",
  "shopify.com",
  "squarespace.com",
  "wordpress.com",
  "godaddy.com",
]);

/** An address a person could read on the site: not a platform's, a throwaway inbox, a no-reply or a machine-made local part. */
export function isPlausibleSiteEmail(email: string): boolean {
  const domain = emailDomain(email);
  const local = email.slice(0, email.lastIndexOf("@"));
  return (
    !PLATFORM_DOMAINS.has(domain) && !isDisposableDomain(domain) && !/^(no[-_.]?reply|do[-_.]?not[-_.]?reply)$/.test(local) && !/^[0-9a-f]{16,}$/.test(local)
  );
}

function siteDomain(pages: readonly SourcePage[]): string | undefined {
  for (const p of pages) {
    try {
      return new URL(p.url).hostname.replace(/^www\./, "").toLowerCase();
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * Addresses the pages actually show (mailto links, plain text, and the
 * common "name [at] domain [dot] com" disguise): the site's own first, then
 * free-mail (the email policy decides on those), then other domains.
 */
export function findEmails(pages: readonly SourcePage[]): string[] {
  const found: string[] = [];
  for (const page of pages) {
    for (const m of (page.html ?? "").matchAll(/mailto:([^"'?\s>]+)/gi)) found.push(m[1]!);
    const text = page.text.replace(/\s*[[(]\s*at\s*[\])]\s*/gi, "@").replace(/\s*[[(]\s*dot\s*[\])]\s*/gi, ".");
    for (const m of text.matchAll(/(?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,24}/g)) found.push(m[0]);
  }
  const site = siteDomain(pages);
  const emails = dedupe(found.map((e) => normalizeEmail(e)).filter((e): e is string => Boolean(e) && isPlausibleSiteEmail(e!)));
  const rank = (e: string) => {
    const d = emailDomain(e);
    if (site && (d === site || d.endsWith(`.${site}`) || site.endsWith(`.${d}`))) return 0;
    return isFreeMailDomain(d) ? 1 : 2;
  };
  return emails.sort((a, b) => rank(a) - rank(b)).slice(0, 10);
}

/** A Singapore number as "+65 6123 4567" (or "1800 123 4567" toll-free); null when it is not one. */
export function normalizePhone(raw: string): string | null {
  const digits = raw
    .replace(/\(0\)/g, "")
    .replace(/[^\d+]/g, "")
    .replace(/^00/, "+");
  const tollFree = /^1800(\d{7})$/.exec(digits);
  if (tollFree) return `1800 ${tollFree[1]!.slice(0, 3)} ${tollFree[1]!.slice(3)}`;
  const local = /^(?:\+?65)?([3689]\d{7})$/.exec(digits);
  return local ? `+65 ${local[1]!.slice(0, 4)} ${local[1]!.slice(4)}` : null;
}

const PHONE_LABEL = /(tel|phone|call|hotline|mobile|whatsapp|office|contact|main line|t\s*[:.]|p\s*[:.]|m\s*[:.])[^\n]{0,25}$/i;

/** Singapore phone numbers in the order the pages show them, fax numbers left out. */
export function findPhones(pages: readonly SourcePage[]): string[] {
  const out: string[] = [];
  for (const page of pages) {
    const text = page.text;
    const patterns: Array<{ re: RegExp; needsLabel: boolean }> = [
      { re: /(?:\+|00)\s?65[\s.-]?(?:\(0\)\s?)?[3689]\d{3}[\s.-]?\d{4}(?!\d)/g, needsLabel: false },
      { re: /\(\s?65\s?\)\s?[3689]\d{3}[\s.-]?\d{4}(?!\d)/g, needsLabel: false },
      { re: /(?<![\d+])1800[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)/g, needsLabel: false },
      // A bare 8-digit number could be anything, so it counts only beside a phone label or on a contact page.
      { re: /(?<![\d+])[3689]\d{3}[\s-]\d{4}(?![\d-])/g, needsLabel: true },
    ];
    const found: Array<{ at: number; phone: string }> = [];
    for (const { re, needsLabel } of patterns) {
      for (const m of text.matchAll(re)) {
        const before = text.slice(Math.max(0, m.index - 30), m.index);
        if (/fax\W{0,15}$/i.test(before)) continue;
        if (needsLabel && !PHONE_LABEL.test(before) && !/contact/i.test(page.kind)) continue;
        const phone = normalizePhone(m[0]);
        if (phone) found.push({ at: m.index, phone });
      }
    }
    out.push(...found.sort((a, b) => a.at - b.at).map((f) => f.phone));
  }
  return dedupe(out).slice(0, 5);
}
