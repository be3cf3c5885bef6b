import { fnv1a32 } from "../../../app/utils/fnv-hash";
import { rollingWindow, startSim, type RunningSim, type SimOptions, type SimReply } from "./common";
import { createDefaultWorld } from "./default-world";
import { type VendorWorld, type WorldLushaContact } from "./world";

export type LushaSimOptions = SimOptions & {
  world?: VendorWorld;
  apiKey?: string;
  /** Requests per second per endpoint (documented: 25). */
  rps?: number;
  /** Credits left; when none remain, calls that would charge answer 403. */
  credits?: number;
  /** Lusha's no-match answer is undocumented: 404, or 200 with `contact.error`. */
  personNoMatch?: "404" | "error-body";
};

const lushaError = (status: number, message: string): SimReply => ({ status, body: { error: { code: status, message } } });

/** Lusha: /v2/company, /v2/person and the prospecting contact search + enrich. */
export async function startLushaSimulator(options: LushaSimOptions = {}): Promise<RunningSim & { creditsUsed: () => number }> {
  const world = options.world ?? createDefaultWorld();
  const apiKey = options.apiKey ?? "lusha-simulator-key";
  const now = options.now ?? Date.now;
  const limiter = rollingWindow(options.rps ?? 25, 1000, now);
  let credits = options.credits ?? 1000;
  let creditsUsed = 0;
  const searches = new Map<string, WorldLushaContact[]>();

  const charge = () => {
    credits -= 1;
    creditsUsed += 1;
  };
  const contactId = (c: WorldLushaContact) => `${fnv1a32(`${c.firstName} ${c.lastName} ${c.companyDomain}`).toString(16)}`;
  const personData = (c: WorldLushaContact) => ({
    firstName: c.firstName,
    lastName: c.lastName,
    fullName: c.fullName ?? `${c.firstName} ${c.lastName}`,
    jobTitle: { title: c.title, departments: [], seniority: null },
    emailAddresses: c.email ? [{ email: c.email, emailType: "work", emailConfidence: "A+" }] : [],
    phoneNumbers: c.phone ? [{ number: c.phone, phoneType: "mobile", doNotCall: false }] : [],
    socialLinks: { linkedin: c.linkedinUrl ?? null },
    company: { name: c.companyName, domain: c.companyDomain },
    location: { city: "Singapore", country: "Singapore" },
  });

  const sim = await startSim(
    options,
    (req): SimReply => {
      const key = req.headers["api_key"];
      if (!key || key !== apiKey) return lushaError(401, "Unauthorized: invalid API key");
      const rateHeaders = { "x-rate-limit-minute": String((options.rps ?? 25) * 60), "x-daily-requests-left": String(Math.max(0, credits)) };
      if (!limiter.hit(req.path)) return { ...lushaError(429, "Too many requests"), headers: rateHeaders };
      const q = req.query;

      if (req.method === "GET" && req.path === "/v2/company") {
        if (req.body !== undefined)
          return { status: 400, body: { name: "BadRequest", message: "property domain should not exist", code: 400, className: "bad-request", errors: {} } };
        const domain = q.get("domain") ?? undefined;
        const name = q.get("company") ?? undefined;
        if (!domain && !name) return lushaError(400, "domain or company is required");
        const company = world.lushaCompany({ domain, name });
        if (!company) return { ...lushaError(404, "Company not found"), headers: rateHeaders };
        if (credits <= 0) return lushaError(403, "Your account has run out of credits");
        charge();
        return {
          status: 200,
          items: 1,
          headers: rateHeaders,
          body: {
            data: {
              id: fnv1a32(company.domain),
              name: company.name,
              domain: company.domain,
              fqdn: `www.${company.domain}`,
              description: null,
              mainIndustry: company.industry ?? null,
              subIndustry: null,
              employees: company.employees ?? null,
              location: {
                city: company.city ?? null,
                country: company.country ?? null,
                rawLocation: [company.city, company.country].filter(Boolean).join(", "),
              },
              social: { linkedin: { url: company.linkedinUrl ?? null } },
            },
            meta: {},
          },
        };
      }

      if (req.method === "GET" && req.path === "/v2/person") {
        const email = q.get("email");
        const linkedinUrl = q.get("linkedinUrl");
        const first = q.get("firstName");
        const last = q.get("lastName");
        const companyName = q.get("companyName");
        const companyDomain = q.get("companyDomain");
        if (!email && !linkedinUrl && !(first && last && (companyName || companyDomain))) {
          return {
            status: 400,
            body: {
              name: "BadRequest",
              message: "firstName, lastName and companyName or companyDomain are required",
              code: 400,
              className: "bad-request",
              errors: {},
            },
          };
        }
        const pool = world.lushaContacts({ domain: companyDomain ?? email?.split("@")[1] ?? undefined, name: companyName ?? undefined });
        const found = pool.find(
          (c) =>
            (email && c.email === email) ||
            (linkedinUrl && c.linkedinUrl === linkedinUrl) ||
            (first && last && c.firstName.toLowerCase() === first.toLowerCase() && c.lastName.toLowerCase() === last.toLowerCase()),
        );
        if (!found) {
          return options.personNoMatch === "error-body"
            ? {
                status: 200,
                body: { contact: { data: null, error: { code: 404, name: "NotFound", message: "Could not find requested data" }, isCreditCharged: false } },
              }
            : lushaError(404, "Could not find requested data");
        }
        if (credits <= 0) return lushaError(403, "Your account has run out of credits");
        charge();
        return { status: 200, items: 1, headers: rateHeaders, body: { contact: { data: personData(found), error: null, isCreditCharged: true } } };
      }

      if (req.method === "POST" && req.path === "/prospecting/contact/search") {
        const body = (req.body ?? {}) as {
          pages?: { page?: number; size?: number };
          filters?: { contacts?: { include?: { jobTitles?: string[] } }; companies?: { include?: { names?: string[]; domains?: string[] } } };
        };
        const size = body.pages?.size ?? 10;
        if (size < 10 || size > 50)
          return {
            status: 400,
            body: { name: "BadRequest", message: "pages.size must be between 10 and 50", code: 400, className: "bad-request", errors: {} },
          };
        const inc = body.filters?.companies?.include ?? {};
        const titles = (body.filters?.contacts?.include?.jobTitles ?? []).map((t) => t.toLowerCase());
        const pool = [
          ...(inc.domains ?? []).flatMap((d) => world.lushaContacts({ domain: d })),
          ...(inc.names ?? []).flatMap((n) => world.lushaContacts({ name: n })),
        ];
        // Lusha's title filter is fuzzy; any shared word is close enough for a simulator.
        const matches = pool.filter(
          (c) => titles.length === 0 || titles.some((t) => t.split(/\W+/).some((w) => w.length > 2 && c.title.toLowerCase().includes(w))),
        );
        const requestId = `req-${fnv1a32(JSON.stringify(body)).toString(16)}`;
        searches.set(requestId, matches);
        const page = body.pages?.page ?? 0;
        const data = matches.slice(page * size, page * size + size).map((c) => ({
          contactId: contactId(c),
          name: c.fullName ?? `${c.firstName} ${c.lastName}`,
          jobTitle: c.title,
          companyName: c.companyName,
          fqdn: c.companyDomain,
          isShown: false,
          hasEmails: Boolean(c.email),
          hasPhones: Boolean(c.phone),
        }));
        return { status: 200, items: data.length, headers: rateHeaders, body: { requestId, currentPage: page, totalResults: matches.length, data } };
      }

      if (req.method === "POST" && req.path === "/prospecting/contact/enrich") {
        const body = (req.body ?? {}) as { requestId?: string; contactIds?: string[] };
        const pool = body.requestId ? searches.get(body.requestId) : undefined;
        if (!pool) return lushaError(400, "requestId not found or expired");
        if ((body.contactIds ?? []).length > 100) return lushaError(400, "contactIds may hold at most 100 ids");
        const contacts = (body.contactIds ?? []).map((id) => {
          const c = pool.find((p) => contactId(p) === id);
          if (!c || credits <= 0) return { id, isSuccess: false, data: null };
          charge();
          return { id, isSuccess: true, data: personData(c) };
        });
        return { status: 200, items: contacts.filter((c) => c.isSuccess).length, headers: rateHeaders, body: { requestId: body.requestId, contacts } };
      }

      return lushaError(404, "Not found");
    },
    (status) => lushaError(status, status === 429 ? "Too many requests" : "Internal server error"),
  );
  return { ...sim, creditsUsed: () => creditsUsed };
}
