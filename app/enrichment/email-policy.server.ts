/**
 * Which discovered email addresses the platform may keep:
 * business addresses only unless a tenant allows free-mail at low confidence,
 * tenant suppression lists always win, and nothing is ever guessed — this
 * module only filters addresses that were actually found.
 */

/**
 * Free-mail providers, matched on the whole domain. Families with many
 * country domains (yahoo.*, hotmail.*, outlook.*, live.*) are matched by
 * their first label in FREE_MAIL_FAMILIES; Singapore ISP mailboxes
 * (singnet, pacific.net.sg, starhub) are personal too.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "msn.com",
  "mail.com",
  "gmx.com",
  "gmx.net",
  "protonmail.com",
  "proton.me",
  "pm.me",
  "tutanota.com",
  "zoho.com",
  "zohomail.com",
  "yandex.com",
  "yandex.ru",
  "qq.com",
  "163.com",
  "126.com",
  "sina.com",
  "naver.com",
  "rediffmail.com",
  "fastmail.com",
  "hey.com",
  "singnet.com.sg",
  "pacific.net.sg",
  "starhub.net.sg",
  "myrepublic.net",
]);

/** Providers with a domain per country: yahoo.com.sg, hotmail.co.uk, outlook.sg, live.com.au… */
export const FREE_MAIL_FAMILIES: ReadonlySet<string> = new Set(["yahoo", "ymail", "rocketmail", "hotmail", "outlook", "live", "windowslive"]);

/** Throwaway inboxes: never a real contact. */
export const DISPOSABLE_DOMAINS: ReadonlySet<string> = new Set([
  "mailinator.com",
  "guerrillamail.com",
  "10minutemail.com",
  "tempmail.com",
  "temp-mail.org",
  "yopmail.com",
  "trashmail.com",
  "sharklasers.com",
  "getnada.com",
  "dispostable.com",
]);

/** Shared mailboxes rather than a person. */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  "info",
  "information",
  "sales",
  "admin",
  "administrator",
  "contact",
  "contactus",
  "enquiry",
  "enquiries",
  "inquiry",
  "inquiries",
  "hello",
  "hi",
  "support",
  "help",
  "helpdesk",
  "office",
  "hr",
  "careers",
  "career",
  "jobs",
  "recruitment",
  "marketing",
  "accounts",
  "account",
  "billing",
  "finance",
  "invoice",
  "invoices",
  "service",
  "services",
  "customerservice",
  "cs",
  "team",
  "general",
  "reception",
  "mail",
  "email",
  "webmaster",
  "postmaster",
  "hostmaster",
  "abuse",
  "privacy",
  "legal",
  "media",
  "press",
  "pr",
  "partners",
  "partnerships",
  "orders",
  "procurement",
  "purchasing",
]);

const NO_REPLY = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|bounces?)$/;

/** Placeholder domains seen in templates and forms. */
const PLACEHOLDER_DOMAINS = new Set([
  "example.com",
  "example.org",
  "example.net",
  "domain.com",
  "email.com",
  "yourdomain.com",
  "yourcompany.com",
  "company.com",
  "test.com",
  "sentry.io",
  "wixpress.com",
]);

/** "logo@2x.png" in page source is an asset name, not an address. */
const FILE_EXTENSIONS = new Set(["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "css", "js", "json", "pdf", "mp4", "webm"]);

const EMAIL_RE = /^[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/;

/** Lower-cased, trimmed address, or null when it is not a syntactically valid one. */
export function normalizeEmail(raw: string): string | null {
  let value = raw.trim().replace(/^mailto:/i, "");
  value = value.split("?")[0]!;
  try {
    value = decodeURIComponent(value);
  } catch {
    return null;
  }
  value = value.replace(/^[<("'\s]+|[>)"'\s.,;:]+$/g, "").toLowerCase();
  if (!EMAIL_RE.test(value) || value.includes("..")) return null;
  if (FILE_EXTENSIONS.has(value.slice(value.lastIndexOf(".") + 1))) return null;
  return value;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

export function isFreeMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (FREE_MAIL_DOMAINS.has(d)) return true;
  const first = d.split(".")[0] ?? "";
  return FREE_MAIL_FAMILIES.has(first);
}

export function isDisposableDomain(domain: string): boolean {
  return DISPOSABLE_DOMAINS.has(domain.toLowerCase());
}

export function isRoleAddress(email: string): boolean {
  const local = email.slice(0, email.lastIndexOf("@")).toLowerCase().split("+")[0]!;
  return ROLE_LOCAL_PARTS.has(local) || NO_REPLY.test(local);
}

/** Could this address reach someone at a business? (valid, not free-mail, not throwaway, not a placeholder) */
export function isBusinessEmail(raw: string): boolean {
  const email = normalizeEmail(raw);
  if (!email) return false;
  const domain = emailDomain(email);
  return !isFreeMailDomain(domain) && !isDisposableDomain(domain) && !PLACEHOLDER_DOMAINS.has(domain);
}

export type EmailPolicy = {
  /** Each tenant chooses: drop free-mail, or keep it flagged low confidence. */
  freeMail: "exclude" | "allow_low_confidence";
  suppression: { emails: readonly string[]; domains: readonly string[] };
};

export type KeptEmail = { email: string; confidence: "normal" | "low"; role: boolean };

export type DropReason = "invalid_syntax" | "placeholder" | "no_reply" | "disposable" | "free_mail" | "suppressed_email" | "suppressed_domain" | "duplicate";

export type DroppedEmail = { input: string; email: string | null; reason: DropReason };

export function applyEmailPolicy(emails: readonly string[], policy: EmailPolicy): { kept: KeptEmail[]; dropped: DroppedEmail[] } {
  const suppressedEmails = new Set(policy.suppression.emails.map((e) => normalizeEmail(e)).filter((e): e is string => Boolean(e)));
  const suppressedDomains = policy.suppression.domains.map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean);
  const kept: KeptEmail[] = [];
  const dropped: DroppedEmail[] = [];
  const seen = new Set<string>();
  for (const input of emails) {
    const email = normalizeEmail(input);
    const drop = (reason: DropReason) => dropped.push({ input, email, reason });
    if (!email) {
      drop("invalid_syntax");
      continue;
    }
    const domain = emailDomain(email);
    const local = email.slice(0, email.lastIndexOf("@"));
    if (seen.has(email)) drop("duplicate");
    else if (suppressedEmails.has(email)) drop("suppressed_email");
    else if (suppressedDomains.some((d) => domain === d || domain.endsWith(`.${d}`))) drop("suppressed_domain");
    else if (PLACEHOLDER_DOMAINS.has(domain)) drop("placeholder");
    else if (NO_REPLY.test(local)) drop("no_reply");
    else if (isDisposableDomain(domain)) drop("disposable");
    else if (isFreeMailDomain(domain)) {
      if (policy.freeMail === "exclude") drop("free_mail");
      else kept.push({ email, confidence: "low", role: isRoleAddress(email) });
    } else kept.push({ email, confidence: "normal", role: isRoleAddress(email) });
    seen.add(email);
  }
  return { kept, dropped };
}
