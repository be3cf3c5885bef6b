import { fnv1a32 } from "../../../app/utils/fnv-hash";
import { LINKEDIN_SIZE_BANDS } from "../world/linkedin-items";
import { bearer, rollingWindow, startSim, type RunningSim, type SimOptions, type SimReply } from "./common";
import { createDefaultWorld } from "./default-world";
import { type VendorWorld, type WorldPerson } from "./world";

export type ApifySimOptions = SimOptions & {
  world?: VendorWorld;
  token?: string;
  actors?: { company?: string; employees?: string; profile?: string; search?: string };
  /** How long each Actor's run takes (s); beyond 300 s the sync endpoint answers 408. */
  runTimeS?: Record<string, number>;
  /** Actors whose runs end FAILED (→ 400 run-failed). */
  failingActors?: string[];
  /** Runs allowed before the account's limit is hit (→ 402). */
  maxRuns?: number;
  /** Requests per second per resource (default 400 for "run Actor"). */
  rps?: number;
  /** Whether the profile Actor accepts keyword `queries` instead of `profileUrls`. */
  profileActorAcceptsQueries?: boolean;
};

/** One started run as the simulator saw it (the token is left out of `query`). */
export type ApifySimRun = { actorId: string; input: unknown; query: Record<string, string>; tokenInQuery: boolean };

/** The sync endpoint gives up waiting after this long, whatever the run timeout. */
const SYNC_WAIT_LIMIT_S = 300;
const LINKEDIN_COMPANY_URL = /^https?:\/\/([a-z]{2,3}\.)?linkedin\.com\/company\//i;

const apifyError = (status: number, type: string, message: string): SimReply => ({ status, body: { error: { type, message } } });

/**
 * Apify's run-sync-get-dataset-items for the three LinkedIn Actors of the
 * contact chain (plus an optional profile search Actor).
 */
export async function startApifySimulator(options: ApifySimOptions = {}): Promise<RunningSim & { runs: ApifySimRun[] }> {
  const world = options.world ?? createDefaultWorld();
  const token = options.token ?? "apify_api_simulator";
  const actors = {
    company: "harvestapi~linkedin-company",
    employees: "harvestapi~linkedin-company-employees",
    profile: "dev_fusion~linkedin-profile-scraper",
    search: "harvestapi~linkedin-profile-search",
    ...options.actors,
  };
  const now = options.now ?? Date.now;
  const limiter = rollingWindow(options.rps ?? 400, 1000, now);
  const runs: ApifySimRun[] = [];

  const sim = await startSim(
    options,
    (req): SimReply => {
      const match = /^\/v2\/(?:acts|actors)\/([^/]+)\/run-sync-get-dataset-items$/.exec(req.path);
      if (!match) return apifyError(404, "page-not-found", "We have bad news: there is no API endpoint at this URL.");
      if (req.method !== "POST") return apifyError(405, "method-not-allowed", "This API endpoint can only be accessed using the following HTTP methods: POST");
      const given = req.query.get("token") ?? bearer(req.headers);
      if (!given) return apifyError(401, "token-not-provided", "Authentication token was not provided");
      if (given !== token) return apifyError(401, "token-not-valid", "Authentication token is not valid.");
      const actorId = decodeURIComponent(match[1]!).replace("/", "~");
      if (!limiter.hit(actorId)) {
        return {
          ...apifyError(429, "rate-limit-exceeded", "You have exceeded the rate limit of 400 requests per second"),
          headers: { "x-ratelimit-limit": String(options.rps ?? 400) },
        };
      }
      if (!Object.values(actors).includes(actorId)) return apifyError(404, "actor-not-found", "Actor was not found");
      const format = req.query.get("format") ?? "json";
      if (format !== "json") return apifyError(400, "invalid-request", `This simulator only serves format=json, not ${format}`);
      if (options.maxRuns !== undefined && runs.length >= options.maxRuns) {
        return apifyError(402, "actor-memory-limit-exceeded", "By launching this job you will exceed the memory limit for all your Actor runs and builds.");
      }
      const input = (req.body ?? {}) as Record<string, unknown>;
      const runId = fnv1a32(`${actorId}:${runs.length}:${req.rawBody}`).toString(36).padStart(8, "0").slice(0, 17);
      runs.push({ actorId, input, query: Object.fromEntries([...req.query].filter(([k]) => k !== "token")), tokenInQuery: req.query.has("token") });

      const runTime = options.runTimeS?.[actorId] ?? 3;
      const runTimeout = Number(req.query.get("timeout") ?? Number.POSITIVE_INFINITY);
      if (runTime > runTimeout) {
        return apifyError(400, "run-failed", `Actor run did not succeed (run ID: ${runId}, status: TIMED-OUT)`);
      }
      if (runTime > SYNC_WAIT_LIMIT_S) {
        return apifyError(408, "run-timeout-exceeded", `Actor run exceeded timeout of ${SYNC_WAIT_LIMIT_S} seconds for this API endpoint`);
      }
      if (options.failingActors?.includes(actorId)) {
        return apifyError(400, "run-failed", `Actor run did not succeed (run ID: ${runId}, status: FAILED)`);
      }

      let items: unknown[];
      if (actorId === actors.company) {
        // `companies` holds LinkedIn company URLs, `searches` company names.
        const urls = strings(input.companies);
        const queries = [...urls, ...strings(input.searches)];
        if (queries.length === 0) return invalidInput("Field input.companies or input.searches is required");
        items = queries.map((q, i) => {
          const c = i < urls.length && !LINKEDIN_COMPANY_URL.test(q) ? undefined : world.linkedinCompany(q);
          if (!c) return { message: "Company not found", query: q, error: "Company not found", requestId: `${runId}-${i}` };
          const slug = c.linkedinUrl.replace(/\/+$/, "").split("/").pop() ?? "";
          return {
            id: c.id ?? String(fnv1a32(c.linkedinUrl) % 100_000_000),
            universalName: slug,
            linkedinUrl: c.linkedinUrl,
            name: c.name,
            tagline: c.tagline ?? c.description ?? null,
            website: c.website ?? null,
            employeeCount: c.employeeCount ?? null,
            employeeCountRange: c.employeeCount ? rangeOf(c.employeeCount) : null,
            followerCount: c.followerCount ?? null,
            foundedOn: c.foundedYear ? { year: c.foundedYear } : null,
            description: c.description ?? null,
            // Singapore's private limited companies, which is what the world holds.
            companyType: "Privately Held",
            industries: c.industry ? [c.industry] : [],
            specialities: c.specialities ?? [],
            phone: c.phone ?? null,
            locations: [
              {
                headquarter: true,
                description: "Headquarters",
                city: c.city ?? null,
                country: c.country ?? null,
                // A city-state: LinkedIn gives the city as the region too.
                geographicArea: c.city ?? null,
                postalCode: c.postalCode ?? null,
                line1: c.line1 ?? null,
                parsed: parsedLocation(c.city, c.country),
              },
            ],
            originalQuery: { search: q },
            requestId: `${runId}-${i}`,
          };
        });
      } else if (actorId === actors.employees) {
        const companies = strings(input.companies);
        if (companies.length === 0) return invalidInput("Field input.companies is required");
        const max = Number(input.maxItems ?? Number.POSITIVE_INFINITY);
        const mode = String(input.profileScraperMode ?? "Full ($8 per 1k)");
        const short = mode.startsWith("Short") || mode === "1";
        const staff = companies.flatMap((c) => {
          const company = world.linkedinCompany(c);
          return company ? world.employees(company.linkedinUrl) : [];
        });
        const page = staff.slice(0, max);
        items = page
          .map((p) => (short ? shortEmployee(p) : fullEmployee(p, mode.includes("email"))))
          .map((item, i) => ({
            ...item,
            _meta: {
              pagination: { totalPages: Math.ceil(staff.length / 25), totalElements: staff.length, pageNumber: Math.floor(i / 25) + 1, pageSize: 25 },
              query: { companies },
            },
          }));
      } else if (actorId === actors.profile) {
        const urls = strings(input.profileUrls);
        const queries = strings(input.queries);
        if (urls.length === 0 && (queries.length === 0 || options.profileActorAcceptsQueries === false)) {
          return invalidInput("Field input.profileUrls is required");
        }
        const max = Number(input.maxItems ?? Number.POSITIVE_INFINITY);
        const targets = urls.length ? urls : [...new Set(queries.flatMap((q) => world.searchProfiles(q)))];
        items = targets
          .map((u) => world.profile(u))
          .filter((p): p is WorldPerson => Boolean(p))
          .slice(0, max)
          .map(devFusionProfile);
      } else {
        const queries = [...strings(input.queries), ...strings(input.searchQuery)];
        if (queries.length === 0) return invalidInput("Field input.queries is required");
        const max = Number(input.maxItems ?? Number.POSITIVE_INFINITY);
        items = [...new Set(queries.flatMap((q) => world.searchProfiles(q)))]
          .map((u) => world.profile(u))
          .filter((p): p is WorldPerson => Boolean(p))
          .slice(0, max)
          .map(shortEmployee);
      }
      return {
        status: 201,
        body: items,
        items: items.length,
        headers: {
          "x-apify-pagination-offset": "0",
          "x-apify-pagination-limit": String(Math.max(items.length, 1)),
          "x-apify-pagination-count": String(items.length),
          "x-apify-pagination-total": String(items.length),
        },
      };
    },
    (status) =>
      status === 429
        ? apifyError(429, "rate-limit-exceeded", "You have exceeded the rate limit of 400 requests per second")
        : apifyError(status, "internal-server-error", "Internal server error"),
  );
  return { ...sim, runs };
}

function invalidInput(message: string): SimReply {
  return apifyError(400, "invalid-input", `Input is not valid: ${message}`);
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return value.trim() ? [value] : [];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "") : [];
}

function rangeOf(n: number) {
  const band = LINKEDIN_SIZE_BANDS.find(([lo, hi]) => n >= lo && n <= hi);
  return band ? { start: band[0], end: band[1] } : { start: 10001 };
}

const COUNTRY_NAMES: Record<string, string> = { SG: "Singapore", MY: "Malaysia", ID: "Indonesia", US: "United States" };

/** HarvestAPI's `parsed` location: the text, the country by code and name, and the region. */
function parsedLocation(city: string | undefined, country: string | undefined) {
  const countryName = country ? (COUNTRY_NAMES[country.toUpperCase()] ?? country) : null;
  return {
    text: [city, countryName].filter((part, i, all) => part && all.indexOf(part) === i).join(", "),
    countryCode: country ? country.toUpperCase().slice(0, 2) : null,
    regionCode: null,
    country: countryName,
    countryFull: countryName,
    state: city ?? null,
    city: city ?? null,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A start date as HarvestAPI writes it: month abbreviation, year and the text LinkedIn shows. */
function startDate(p: WorldPerson) {
  const year = p.startYear ?? 2020;
  const month = MONTHS[fnv1a32(p.profileUrl) % 12]!;
  return { month, year, text: `${month} ${year}` };
}

function slugOf(url: string) {
  return url.replace(/\/+$/, "").split("/").pop() ?? "";
}

function memberId(p: WorldPerson) {
  return p.memberId ?? `ACoAA${fnv1a32(p.profileUrl).toString(36)}`;
}

function fullName(p: WorldPerson) {
  return p.fullName ?? `${p.firstName} ${p.lastName}`;
}

function headline(p: WorldPerson) {
  return p.headline ?? `${p.title} at ${p.companyName}`;
}

function shortEmployee(p: WorldPerson) {
  return {
    id: memberId(p),
    publicIdentifier: slugOf(p.profileUrl),
    name: fullName(p),
    position: p.headline ?? p.title,
    location: { linkedinText: p.location ?? null },
    linkedinUrl: p.profileUrl,
    photo: null,
    hidden: false,
  };
}

function fullEmployee(p: WorldPerson, withEmail: boolean) {
  return {
    id: memberId(p),
    publicIdentifier: slugOf(p.profileUrl),
    linkedinUrl: p.profileUrl,
    firstName: p.firstName,
    lastName: p.lastName,
    headline: headline(p),
    about: p.about ?? null,
    location: { linkedinText: p.location ?? null, countryCode: "SG", parsed: parsedLocation(p.location?.split(",")[0]?.trim(), "SG") },
    currentPosition: [{ companyName: p.companyName, position: p.title }],
    experience: [
      {
        position: p.title,
        location: p.location ?? null,
        companyName: p.companyName,
        companyLinkedinUrl: p.companyLinkedin ?? null,
        startDate: startDate(p),
        endDate: { text: "Present" },
      },
    ],
    education: [],
    skills: [],
    emails: withEmail && p.email ? [{ email: p.email }] : [],
  };
}

function devFusionProfile(p: WorldPerson) {
  const [city, country] = (p.location ?? "").split(",").map((s) => s.trim());
  const address = p.address ?? { withCountry: p.location ?? null, withoutCountry: city || null, countryOnly: country || city || null };
  return {
    linkedinUrl: p.profileUrl,
    fullName: fullName(p),
    firstName: p.firstName,
    lastName: p.lastName,
    headline: headline(p),
    jobTitle: p.title,
    companyName: p.companyName,
    companyIndustry: p.companyIndustry ?? null,
    companyWebsite: p.companyWebsite ?? null,
    companyLinkedin: p.companyLinkedin ?? null,
    companySize: p.companySize ?? null,
    addressWithCountry: address.withCountry,
    addressWithoutCountry: address.withoutCountry,
    addressCountryOnly: address.countryOnly,
    email: p.email ?? null,
    mobileNumber: null,
    connections: p.connections ?? 500,
    followers: p.followers ?? 750,
    about: p.about ?? null,
    publicIdentifier: slugOf(p.profileUrl),
    urn: memberId(p),
    profilePic: null,
    experiences: [{ title: p.title, companyName: p.companyName, ...(p.startYear ? { startDate: String(p.startYear), endDate: null } : {}) }],
    educations: [],
    skills: [],
  };
}
