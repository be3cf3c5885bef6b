import { type Employee, type Site, type WorldCompany } from "./model";
import { hash32 } from "./random";

export type EmailStatus = "valid" | "invalid" | "catch-all" | "unknown" | "do_not_mail";

/** A ZeroBounce-shaped verdict; `subStatus` uses ZeroBounce's vocabulary ("" when none). */
export type EmailVerdict = {
  address: string;
  status: EmailStatus;
  subStatus: string;
  domain: string | null;
  account: string | null;
  freeEmail: boolean;
  mxFound: boolean;
};

export const FREE_MAIL_DOMAINS = new Set(["gmail.com", "yahoo.com", "yahoo.com.sg", "hotmail.com", "outlook.com", "live.com", "icloud.com"]);
const ROLE_ACCOUNTS = new Set(["info", "sales", "hello", "enquiry", "contact", "admin", "careers", "hr", "dpo", "support", "hola"]);

export type MailDomainFacts = {
  /** The world serves this domain (a company site, or a decoy). */
  known: boolean;
  acceptsMail: boolean;
  catchAll: boolean;
  /** Addresses that really exist on the domain. */
  mailboxes: Set<string>;
};

/**
 * Deterministic by address: the same address always gets the same verdict.
 * Published mailboxes on company domains are mostly valid; role accounts are
 * sometimes do_not_mail (role_based), as ZeroBounce does; guessed addresses
 * bounce unless the domain is catch-all.
 */
export function emailVerdict(raw: string, facts: (domain: string) => MailDomainFacts, seed: string): EmailVerdict {
  const address = raw.trim().toLowerCase();
  const match = address.match(/^([a-z0-9._%+-]+)@([a-z0-9-]+(\.[a-z0-9-]+)+)$/);
  if (!match) return { address, status: "invalid", subStatus: "failed_syntax_check", domain: null, account: null, freeEmail: false, mxFound: false };
  const [, account, domain] = match as unknown as [string, string, string];
  const roll = (hash32(seed, "mail", address) % 1000) / 1000;
  const verdict = (status: EmailStatus, subStatus = "", mxFound = true): EmailVerdict => ({
    address,
    status,
    subStatus,
    domain,
    account,
    freeEmail: FREE_MAIL_DOMAINS.has(domain),
    mxFound,
  });
  if (FREE_MAIL_DOMAINS.has(domain)) return roll < 0.85 ? verdict("valid") : verdict("invalid", "mailbox_not_found");
  const f = facts(domain);
  if (!f.known) return roll < 0.8 ? verdict("invalid", "no_dns_entries", false) : verdict("unknown", "mail_server_did_not_respond", false);
  if (!f.acceptsMail) return verdict("invalid", "does_not_accept_mail", false);
  if (f.catchAll) return verdict("catch-all", ROLE_ACCOUNTS.has(account) ? "role_based_catch_all" : "");
  if (!f.mailboxes.has(address)) return roll < 0.93 ? verdict("invalid", "mailbox_not_found") : verdict("unknown", "greylisted");
  if (ROLE_ACCOUNTS.has(account) && roll < 0.15) return verdict("do_not_mail", "role_based");
  if (roll < 0.9) return verdict("valid");
  if (roll < 0.96) return verdict("unknown", "greylisted");
  return verdict("invalid", "mailbox_quota_exceeded");
}

/** What the world's mail servers know about a domain: a company site's domain takes mail for the addresses its pages and staff list. */
export function mailDomainFacts(site: Site | undefined, staffFor: (company: WorldCompany) => Employee[]): MailDomainFacts {
  if (!site) return { known: false, acceptsMail: false, catchAll: false, mailboxes: new Set() };
  if (site.kind === "parked") return { known: true, acceptsMail: false, catchAll: false, mailboxes: new Set() };
  const mailboxes = new Set<string>();
  for (const page of site.pages().values()) for (const e of page.emails) mailboxes.add(e.toLowerCase());
  if (site.company) for (const e of staffFor(site.company)) if (e.email) mailboxes.add(e.email.toLowerCase());
  return { known: true, acceptsMail: true, catchAll: site.catchAllMail, mailboxes };
}
