import { z } from "zod";
import { canonicalLinkedinUrl } from "./apify.server";
import { QuotaExceeded, RateLimited, Unauthorized, Unavailable, VendorError } from "./errors.server";
import { parseBody, parseRetryAfter, vendorRequest, withQuery, type FetchLike } from "./http.server";

export type LushaConfig = { baseUrl: string; apiKey: string; timeoutMs?: number; fetch?: FetchLike };

const str = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

const lushaCompany = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  name: str,
  domain: str,
  fqdn: str,
  description: str,
  mainIndustry: str,
  subIndustry: str,
  employees: z.union([z.string(), z.number()]).nullish(),
  location: z.looseObject({ city: str, country: str, rawLocation: str }).nullish(),
  social: z.looseObject({ linkedin: z.looseObject({ url: str }).nullish() }).nullish(),
});

const companyResponse = z.object({ data: lushaCompany.nullish() });

const emailAddress = z.looseObject({ email: z.string(), emailType: str, emailConfidence: str });
const phoneNumber = z.looseObject({ number: z.string(), phoneType: str, doNotCall: z.boolean().nullish() });

const personData = z.looseObject({
  firstName: str,
  lastName: str,
  fullName: str,
  jobTitle: z.union([z.string(), z.looseObject({ title: str })]).nullish(),
  emailAddresses: z.array(emailAddress).nullish(),
  phoneNumbers: z.array(phoneNumber).nullish(),
  socialLinks: z.looseObject({ linkedin: str }).nullish(),
  company: z.looseObject({ name: str, domain: str }).nullish(),
  location: z.looseObject({ city: str, country: str }).nullish(),
});

const personResponse = z.object({
  contact: z.object({
    data: personData.nullish(),
    error: z.looseObject({ code: z.number().nullish(), name: str, message: str }).nullish(),
    isCreditCharged: z.boolean().nullish(),
  }),
});

const searchResponse = z.object({
  requestId: z.string(),
  currentPage: z.number().nullish(),
  totalResults: z.number().nullish(),
  data: z.array(
    z.looseObject({
      contactId: z.string(),
      name: str,
      jobTitle: str,
      companyName: str,
      isShown: z.boolean().nullish(),
      hasEmails: z.boolean().nullish(),
    }),
  ),
});

const enrichResponse = z.object({
  requestId: z.string().nullish(),
  contacts: z.array(z.looseObject({ id: z.string(), isSuccess: z.boolean(), data: personData.nullish() })),
});

const errorBody = z.union([
  z.object({ error: z.object({ code: z.number().optional(), message: z.string() }) }),
  z.object({ message: z.string(), name: z.string().optional() }),
]);

export type LushaCompany = z.infer<typeof lushaCompany>;

/** A Lusha person in the same shape as the Apify contacts. */
export type LushaContact = {
  full_name: string;
  title: string | null;
  company_current: string | null;
  linkedin_url: string | null;
  location: string | null;
  emails: Array<{ email: string; type: string | null; confidence: string | null }>;
  phones: Array<{ number: string; type: string | null; doNotCall: boolean }>;
  lushaId?: string;
};

export function createLushaClient(config: LushaConfig) {
  const credits = { charged: 0 };

  async function call(method: "GET" | "POST", path: string, opts: { query?: Record<string, string | undefined>; json?: unknown }) {
    const res = await vendorRequest("lusha", withQuery(config.baseUrl, path, opts.query ?? {}), {
      method,
      headers: { api_key: config.apiKey },
      json: opts.json,
      timeoutMs: config.timeoutMs ?? 30_000,
      fetch: config.fetch,
    });
    if (res.status >= 200 && res.status < 300) return { status: res.status, body: res.body };
    if (res.status === 404) return { status: 404, body: undefined };
    throw lushaError(res.status, res.body, res.headers);
  }

  return {
    /** Credits charged by this client so far (one per successful match). */
    credits,

    /** Company by domain or by name; null when Lusha has no match. */
    async getCompany(q: { domain: string } | { name: string }): Promise<LushaCompany | null> {
      const query = "domain" in q ? { domain: q.domain } : { company: q.name };
      const res = await call("GET", "/v2/company", { query });
      if (res.status === 404) return null;
      const data = parseBody("lusha", companyResponse, res.body, "company").data ?? null;
      if (data) credits.charged += 1;
      return data;
    },

    /** One person by LinkedIn URL, email, or name + company; null when there is no match. */
    async getPerson(
      q: { linkedinUrl: string } | { email: string } | { firstName: string; lastName: string; companyName?: string; companyDomain?: string },
    ): Promise<LushaContact | null> {
      const res = await call("GET", "/v2/person", { query: q as Record<string, string | undefined> });
      if (res.status === 404) return null;
      const { contact } = parseBody("lusha", personResponse, res.body, "person");
      if (contact.isCreditCharged) credits.charged += 1;
      if (contact.error || !contact.data) return null;
      return toContact(contact.data);
    },

    /**
     * Contacts at one company holding the given titles (prospecting search,
     * then enrich). Search costs nothing; each enriched contact is a credit.
     */
    async searchContacts(q: { companyName?: string; companyDomain?: string; jobTitles: readonly string[]; size?: number }): Promise<LushaContact[]> {
      const companies: Record<string, string[]> = {};
      if (q.companyDomain) companies.domains = [q.companyDomain];
      else if (q.companyName) companies.names = [q.companyName];
      const search = await call("POST", "/prospecting/contact/search", {
        json: {
          pages: { page: 0, size: Math.min(50, Math.max(10, q.size ?? 10)) },
          filters: {
            contacts: { include: { jobTitles: [...q.jobTitles] } },
            companies: { include: companies },
          },
        },
      });
      if (search.status === 404) return [];
      const found = parseBody("lusha", searchResponse, search.body, "prospecting search");
      const ids = found.data.slice(0, q.size ?? 10).map((c) => c.contactId);
      if (ids.length === 0) return [];
      const enriched = await call("POST", "/prospecting/contact/enrich", {
        json: { requestId: found.requestId, contactIds: ids },
      });
      if (enriched.status === 404) return [];
      const { contacts } = parseBody("lusha", enrichResponse, enriched.body, "prospecting enrich");
      const ok = contacts.filter((c) => c.isSuccess && c.data);
      credits.charged += ok.length;
      return ok.map((c) => ({ ...toContact(c.data!), lushaId: c.id }));
    },
  };
}

export type LushaClient = ReturnType<typeof createLushaClient>;

function toContact(d: z.infer<typeof personData>): LushaContact {
  const title = typeof d.jobTitle === "string" ? d.jobTitle : (d.jobTitle?.title ?? null);
  return {
    full_name: d.fullName ?? [d.firstName, d.lastName].filter(Boolean).join(" "),
    title,
    company_current: d.company?.name ?? null,
    linkedin_url: canonicalLinkedinUrl(d.socialLinks?.linkedin) ?? null,
    location: [d.location?.city, d.location?.country].filter(Boolean).join(", ") || null,
    emails: (d.emailAddresses ?? []).map((e) => ({ email: e.email.toLowerCase(), type: e.emailType, confidence: e.emailConfidence })),
    phones: (d.phoneNumbers ?? []).map((p) => ({ number: p.number, type: p.phoneType, doNotCall: p.doNotCall ?? false })),
  };
}

function lushaError(status: number, body: unknown, headers: Headers): VendorError {
  const parsed = errorBody.safeParse(body);
  const message = parsed.success ? ("error" in parsed.data ? parsed.data.error.message : parsed.data.message) : `HTTP ${status}`;
  const opts = { status, code: String(status) };
  if (status === 401) return new Unauthorized("lusha", message, opts);
  // 403 is an inactive account or a plan without this data: either way, no more Lusha today.
  if (status === 402 || status === 403) return new QuotaExceeded("lusha", message, opts);
  if (status === 429) {
    if (headers.get("x-daily-requests-left") === "0") return new QuotaExceeded("lusha", message, opts);
    return new RateLimited("lusha", message, { ...opts, retryAfterMs: parseRetryAfter(headers) });
  }
  if (status >= 500) return new Unavailable("lusha", message, opts);
  return new VendorError("lusha", message, opts);
}
