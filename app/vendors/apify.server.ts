import { z } from "zod";
import { QuotaExceeded, RateLimited, Timeout, Unauthorized, Unavailable, VendorError, BadResponse } from "./errors.server";
import { parseRetryAfter, vendorRequest, withQuery, type FetchLike } from "./http.server";

export type ApifyConfig = {
  baseUrl: string;
  token: string;
  /** Run timeout sent to Apify (`timeout` query parameter). */
  syncTimeoutS?: number;
  datasetFormat?: "json";
  actors?: { company?: string; employees?: string; profile?: string; search?: string };
  /** `profileScraperMode` for the employees actor; unset keeps the actor's default. */
  employeesScraperMode?: string;
  /** Client-side deadline; the sync endpoint answers 408 itself after 300 s. */
  httpTimeoutMs?: number;
  /**
   * How long a company lookup or profile scrape waits for others of the same
   * batch (see `DiscoverContactsInput.batchKey`) to share its actor run; 0 runs each alone.
   */
  batchWindowMs?: number;
  /** Most companies whose lookups share one actor run. */
  batchMax?: number;
  fetch?: FetchLike;
};

export const DEFAULT_ACTORS = {
  company: "harvestapi~linkedin-company",
  employees: "harvestapi~linkedin-company-employees",
  profile: "dev_fusion~linkedin-profile-scraper",
};

const apifyErrorBody = z.object({
  error: z.object({ type: z.string().optional(), message: z.string().optional() }),
});

export function createApifyClient(config: ApifyConfig) {
  return {
    config,
    /** Batches still taking lookups, by batch key and actor (see sharedActorRun). */
    openBatches: new Map<string, OpenBatch>(),
    /** Runs an Actor and returns its dataset items (one billed run per call). */
    async runActorSync(actorId: string, input: unknown, opts: { timeoutS?: number } = {}): Promise<unknown[]> {
      const url = withQuery(config.baseUrl, `/v2/acts/${encodeURIComponent(actorId)}/run-sync-get-dataset-items`, {
        token: config.token,
        format: config.datasetFormat ?? "json",
        timeout: opts.timeoutS ?? config.syncTimeoutS,
      });
      const res = await vendorRequest("apify", url, {
        method: "POST",
        json: input,
        timeoutMs: config.httpTimeoutMs ?? 360_000,
        fetch: config.fetch,
      });
      if (res.status === 200 || res.status === 201) {
        if (!Array.isArray(res.body)) throw new BadResponse("apify", `${actorId}: dataset items are not a JSON array`);
        return res.body;
      }
      throw apifyError(actorId, res.status, res.body, res.headers);
    },
  };
}

export type ApifyClient = ReturnType<typeof createApifyClient>;

function apifyError(actorId: string, status: number, body: unknown, headers: Headers): VendorError {
  const parsed = apifyErrorBody.safeParse(body);
  const type = parsed.success ? parsed.data.error.type : undefined;
  const message = `${actorId}: ${(parsed.success && parsed.data.error.message) || `HTTP ${status}`}`;
  const opts = { status, code: type };
  if (status === 401) return new Unauthorized("apify", message, opts);
  if (status === 402 || status === 403) return new QuotaExceeded("apify", message, opts);
  if (status === 408) return new Timeout("apify", message, opts);
  if (status === 429) return new RateLimited("apify", message, { ...opts, retryAfterMs: parseRetryAfter(headers) });
  if (status >= 500) return new Unavailable("apify", message, opts);
  if (type === "run-failed") return new BadResponse("apify", message, opts);
  return new VendorError("apify", message, opts);
}

// ---------------------------------------------------------------------------
// LinkedIn contact chain: company → employees → profiles

export type CapGuard = { tryConsume(vendor: string, units: number): Promise<boolean> };

export type ApifyContact = {
  full_name: string;
  title: string | null;
  company_current: string | null;
  linkedin_url: string;
  location: string | null;
  email?: string;
};

export type ApifyChainOutcome = "ok" | "error" | "quota" | "cap_reached" | "disabled";

export type ApifyChainResult = {
  contacts: ApifyContact[];
  outcome: ApifyChainOutcome;
  /** Actor runs started (each one is billed). */
  calls: number;
  /** Of those, the runs that failed (the vendor usage's errors count runs, like its calls). */
  failedCalls: number;
  /** Cap units consumed. */
  units: number;
  usedFallback: boolean;
  error?: string;
};

export type DiscoverContactsInput = {
  client: ApifyClient;
  companyName: string;
  companyId: string | number;
  titles: readonly string[];
  /**
   * Whether a LinkedIn title is one of the wanted `titles`: the rule belongs
   * to the caller's domain (enrichment), so the vendor client takes it as given.
   */
  matchesTitle: (candidateTitle: string | null | undefined, wantedTitle: string) => boolean;
  flags: { enabled: boolean; useChain: boolean; debugLogItems?: boolean };
  capGuard: CapGuard;
  /** `maxItems` for the employees actor. */
  maxEmployees?: number;
  /** Most profile URLs sent to the profile actor. */
  maxProfiles?: number;
  writeLine?: (line: string) => void;
  /** Told after every actor run, failed ones included, so each run is logged with its status and duration. */
  onVendorCall?: (call: ApifyVendorCall) => void;
  /**
   * Lookups with the same key (one nightly run: one tenant, one cap) that
   * start within the client's `batchWindowMs` share the company actor's and
   * the profile actor's runs; unset runs every actor for this company alone.
   */
  batchKey?: string;
};

/** `shared`: the run was started and paid for by another company's lookup of the same batch. */
export type ApifyVendorCall = { actorId: string; ok: boolean; durationMs: number; error?: string; errorName?: string; shared?: boolean };

/** The vendor name the cap guard and `run_vendor_usage` rows use. */
export const APIFY_LINKEDIN_VENDOR = "apify_linkedin";

const linkedinCompanyItem = z.looseObject({
  originalQuery: z.looseObject({ search: z.string().nullish() }).nullish(),
  linkedinUrl: z.string().nullish(),
  url: z.string().nullish(),
  name: z.string().nullish(),
  universalName: z.string().nullish(),
});

const employeeItem = z.looseObject({
  linkedinUrl: z.string().nullish(),
  profileUrl: z.string().nullish(),
  position: z.string().nullish(),
  headline: z.string().nullish(),
  currentPosition: z.array(z.looseObject({ position: z.string().nullish() })).nullish(),
});

const profileItem = z.looseObject({
  linkedinUrl: z.string().nullish(),
  profileUrl: z.string().nullish(),
  url: z.string().nullish(),
  fullName: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  jobTitle: z.string().nullish(),
  headline: z.string().nullish(),
  companyName: z.string().nullish(),
  addressWithCountry: z.string().nullish(),
  addressWithoutCountry: z.string().nullish(),
  location: z.union([z.string(), z.looseObject({ linkedinText: z.string().nullish() })]).nullish(),
  email: z.string().nullish(),
});

class CapReached extends Error {}
class ChainFailed extends Error {}

/**
 * Role-qualified contacts for one company from public LinkedIn data:
 * company → employees → profiles, or the query-only path when the chain is
 * off or fails. Never throws: vendor trouble becomes an outcome so the run
 * continues without contacts for this company.
 */
export async function discoverContactsViaApify(input: DiscoverContactsInput): Promise<ApifyChainResult> {
  const write = input.writeLine ?? ((line: string) => process.stdout.write(`${line}\n`));
  const state = { calls: 0, failedCalls: 0, units: 0 };
  const result = (outcome: ApifyChainOutcome, contacts: ApifyContact[], usedFallback: boolean, error?: string) => ({
    contacts,
    outcome,
    calls: state.calls,
    failedCalls: state.failedCalls,
    units: state.units,
    usedFallback,
    ...(error ? { error } : {}),
  });
  if (!input.flags.enabled) return result("disabled", [], false);

  const actors = { ...DEFAULT_ACTORS, ...definedOnly(input.client.config.actors ?? {}) };
  const run = async (actorId: string, actorInput: unknown) => {
    // The daily cap is checked before the vendor is called, never after.
    if (!(await input.capGuard.tryConsume(APIFY_LINKEDIN_VENDOR, 1))) throw new CapReached();
    state.units += 1;
    state.calls += 1;
    const started = performance.now();
    try {
      const items = await input.client.runActorSync(actorId, actorInput);
      input.onVendorCall?.({ actorId, ok: true, durationMs: performance.now() - started });
      return items;
    } catch (error) {
      state.failedCalls += 1;
      input.onVendorCall?.({ actorId, ok: false, durationMs: performance.now() - started, error: describe(error), errorName: (error as Error).name });
      throw error;
    }
  };
  const ctx = { ...input, actors, run, write };

  let chainError: unknown;
  if (input.flags.useChain) {
    try {
      return result("ok", await runChain(ctx), false);
    } catch (error) {
      const terminal = terminalOutcome(error);
      if (terminal) return result(terminal, [], false, describe(error));
      chainError = error;
    }
  }
  try {
    return result("ok", await runQueryOnly(ctx), true);
  } catch (error) {
    const detail = chainError ? `${describe(chainError)}; fallback: ${describe(error)}` : describe(error);
    return result(terminalOutcome(error) ?? "error", [], true, detail);
  }
}

/**
 * The company actor's input for a lookup by name. The actor takes names in
 * `searches` (a list: one run looks up several companies, and each item it
 * pushes carries the search it answers in `originalQuery.search`); its
 * `companies` field is for LinkedIn URLs only
 * (https://github.com/HarvestAPI/apify-linkedin-company/blob/main/.actor/input_schema.json).
 */
export function companyLookupInput(...companyNames: string[]): { searches: string[] } {
  return { searches: companyNames };
}

/** The profile actor's input: every URL in one run, each item naming its own `linkedinUrl`. */
function profileScrapeInput(profileUrls: string[]) {
  return { profileUrls, maxItems: profileUrls.length };
}

/** A batch's actor run that more lookups may still join; `close` starts it. */
export type OpenBatch = { values: Set<string>; members: number; close: () => void; result: Promise<unknown[]> };

/**
 * Runs `actorId` for `values` — alone, or together with the lookups of other
 * companies of the same batch that arrive within the client's window. The
 * first lookup opens the batch and pays for the run (its cap unit, its call
 * count); the others log it as shared. Returns the run's items and the values
 * it was run for, so the caller can keep the items that answer its own.
 */
async function sharedActorRun(
  ctx: ChainContext,
  actorId: string,
  values: string[],
  input: (values: string[]) => unknown,
): Promise<{ items: unknown[]; values: string[] }> {
  const { client, batchKey } = ctx;
  const windowMs = client.config.batchWindowMs ?? 0;
  if (!batchKey || windowMs <= 0) return { items: await ctx.run(actorId, input(values)), values };
  const key = `${batchKey}\u0000${actorId}`;
  const open = client.openBatches.get(key);
  if (open) {
    for (const v of values) open.values.add(v);
    open.members += 1;
    if (open.members >= (client.config.batchMax ?? 10)) open.close();
    const started = performance.now();
    try {
      const items = await open.result;
      ctx.onVendorCall?.({ actorId, ok: true, durationMs: performance.now() - started, shared: true });
      return { items, values: [...open.values] };
    } catch (error) {
      ctx.onVendorCall?.({
        actorId,
        ok: false,
        durationMs: performance.now() - started,
        error: describe(error),
        errorName: (error as Error).name,
        shared: true,
      });
      throw error;
    }
  }
  let start!: () => void;
  const closed = new Promise<void>((resolve) => (start = resolve));
  const batch: OpenBatch = {
    values: new Set(values),
    members: 1,
    close: () => {
      // Later lookups open a new batch from here on.
      if (client.openBatches.get(key) === batch) client.openBatches.delete(key);
      clearTimeout(timer);
      start();
    },
    result: closed.then(() => ctx.run(actorId, input([...batch.values]))),
  };
  const timer = setTimeout(batch.close, windowMs);
  client.openBatches.set(key, batch);
  return { items: await batch.result, values: [...batch.values] };
}

/** The company actor's items for one name of a shared run (all of them when the run was for that name alone). */
function companyItemsFor(run: { items: unknown[]; values: string[] }, companyName: string) {
  const items = parseItems(linkedinCompanyItem, run.items);
  return run.values.length === 1 ? items : items.filter((c) => c.originalQuery?.search === companyName);
}

/** The profiles a shared profile run returned for these URLs. */
function profilesFor(run: { items: unknown[]; values: string[] }, profileUrls: string[]): unknown[] {
  if (run.values.length === profileUrls.length) return run.items;
  const wanted = new Set(profileUrls);
  return run.items.filter((item) => {
    const p = profileItem.safeParse(item);
    const url = p.success ? canonicalLinkedinUrl(p.data.linkedinUrl ?? p.data.profileUrl ?? p.data.url) : undefined;
    return url !== undefined && wanted.has(url);
  });
}

async function scrapeProfiles(ctx: ChainContext, profileUrls: string[]): Promise<unknown[]> {
  if (profileUrls.length === 0) return [];
  return profilesFor(await sharedActorRun(ctx, ctx.actors.profile, profileUrls, profileScrapeInput), profileUrls);
}

type ChainContext = DiscoverContactsInput & {
  actors: typeof DEFAULT_ACTORS & { search?: string };
  run: (actorId: string, input: unknown) => Promise<unknown[]>;
  write: (line: string) => void;
};

async function runChain(ctx: ChainContext): Promise<ApifyContact[]> {
  const lookup = await sharedActorRun(ctx, ctx.actors.company, [ctx.companyName], (names) => companyLookupInput(...names));
  const companies = companyItemsFor(lookup, ctx.companyName);
  const companyUrl = companies.map((c) => c.linkedinUrl ?? c.url).find((u): u is string => Boolean(u));
  ctx.write(`Apify company actor: company=${ctx.companyName} company_url=${companyUrl ?? ""}`);
  if (!companyUrl) throw new ChainFailed("company not found on LinkedIn");

  const employeesInput: Record<string, unknown> = { companies: [companyUrl], maxItems: ctx.maxEmployees ?? 50 };
  if (ctx.client.config.employeesScraperMode) employeesInput.profileScraperMode = ctx.client.config.employeesScraperMode;
  const employees = parseItems(employeeItem, await ctx.run(ctx.actors.employees, employeesInput));
  ctx.write(`Apify employees actor: company_url=${companyUrl} employees=${employees.length}`);
  if (employees.length === 0) throw new ChainFailed("no employees listed");

  const profileUrls = pickProfileUrls(employees, ctx, ctx.maxProfiles ?? 25);
  const raw = await scrapeProfiles(ctx, profileUrls);
  const contacts = keepQualified(raw, ctx, undefined);
  ctx.write(`Apify profile actor: requested=${profileUrls.length} received=${raw.length} filtered=${contacts.length}`);
  report(ctx, raw.length, contacts);
  return contacts;
}

async function runQueryOnly(ctx: ChainContext): Promise<ApifyContact[]> {
  const queries = ctx.titles.slice(0, 5).map((title) => `${ctx.companyName} ${title}`);
  if (queries.length === 0) queries.push(ctx.companyName);
  const maxItems = ctx.maxProfiles ?? 25;
  let requested = queries.length;
  let raw: unknown[];
  if (ctx.actors.search) {
    const found = parseItems(employeeItem, await ctx.run(ctx.actors.search, { queries, maxItems }));
    const profileUrls = uniqueUrls(found.map((e) => e.linkedinUrl ?? e.profileUrl)).slice(0, maxItems);
    requested = profileUrls.length;
    raw = await scrapeProfiles(ctx, profileUrls);
  } else {
    raw = await ctx.run(ctx.actors.profile, { queries, maxItems });
  }
  // Keyword results mix in people from similarly named companies.
  const contacts = keepQualified(raw, ctx, ctx.companyName);
  ctx.write(`Apify profile actor: requested=${requested} received=${raw.length} filtered=${contacts.length}`);
  report(ctx, raw.length, contacts);
  return contacts;
}

function report(ctx: ChainContext, fetched: number, contacts: ApifyContact[]) {
  ctx.write(`[apify_contacts] fetched=${fetched} normalized=${contacts.length} company_id=${ctx.companyId}`);
  if (ctx.flags.debugLogItems) {
    for (const c of contacts.slice(0, 3)) {
      ctx.write(`[apify_contacts] sample=${JSON.stringify({ ...c, email: c.email ? maskEmail(c.email) : undefined })}`);
    }
  }
}

/** Employees whose listed title already matches go first; unlabelled ones only when none is labelled. */
type TitleFilter = Pick<DiscoverContactsInput, "titles" | "matchesTitle">;

function isWanted(title: string | null | undefined, filter: TitleFilter): boolean {
  return filter.titles.some((wanted) => filter.matchesTitle(title, wanted));
}

function pickProfileUrls(employees: Array<z.infer<typeof employeeItem>>, filter: TitleFilter, max: number): string[] {
  const titled = employees.map((e) => ({
    url: e.linkedinUrl ?? e.profileUrl ?? undefined,
    title: e.position ?? e.currentPosition?.[0]?.position ?? e.headline ?? undefined,
  }));
  const anyLabelled = titled.some((e) => e.title);
  const chosen = anyLabelled ? titled.filter((e) => e.title && isWanted(e.title, filter)) : titled;
  return uniqueUrls(chosen.map((e) => e.url)).slice(0, max);
}

function keepQualified(raw: unknown[], filter: TitleFilter, companyName: string | undefined): ApifyContact[] {
  const seen = new Set<string>();
  const out: ApifyContact[] = [];
  for (const item of raw) {
    const contact = normalizeProfile(item);
    if (!contact || seen.has(contact.linkedin_url)) continue;
    if (!isWanted(contact.title, filter)) continue;
    if (companyName && !sameCompany(contact.company_current, companyName)) continue;
    seen.add(contact.linkedin_url);
    out.push(contact);
  }
  return out;
}

/** One profile item (dev_fusion or harvestapi shape) in our contact shape; undefined when unusable. */
export function normalizeProfile(item: unknown): ApifyContact | undefined {
  const parsed = profileItem.safeParse(item);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const url = canonicalLinkedinUrl(p.linkedinUrl ?? p.profileUrl ?? p.url);
  const fullName = (p.fullName ?? [p.firstName, p.lastName].filter(Boolean).join(" ")).trim();
  if (!url || !fullName) return undefined;
  const location = p.addressWithCountry ?? p.addressWithoutCountry ?? (typeof p.location === "string" ? p.location : p.location?.linkedinText);
  const email = p.email?.trim().toLowerCase();
  return {
    full_name: fullName,
    title: (p.jobTitle ?? p.headline)?.trim() || null,
    company_current: p.companyName?.trim() || null,
    linkedin_url: url,
    location: location?.trim() || null,
    // Only what the actor returned; an address is never guessed.
    ...(email && /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(email) ? { email } : {}),
  };
}

/**
 * A LinkedIn page as `https://www.linkedin.com/<path>/`, or undefined for
 * anything else: vendor links end up as hrefs, so no other scheme or host
 * (javascript:, data:, look-alike hosts) gets through.
 */
export function canonicalLinkedinUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.startsWith("http") ? value : `https://${value}`);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    if (!/(^|\.)linkedin\.com$/i.test(url.hostname)) return undefined;
    const path = url.pathname.replace(/\/+$/, "");
    return `https://www.linkedin.com${path}/`;
  } catch {
    return undefined;
  }
}

const LEGAL_SUFFIX = /\b(pte|private|ltd|limited|llp|inc|incorporated|corp|corporation|co|company|plc|sdn|bhd|gmbh|holdings|group|singapore|sg)\b/g;

function companyKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .replace(LEGAL_SUFFIX, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function sameCompany(current: string | null, wanted: string): boolean {
  if (!current) return false;
  const a = companyKey(current);
  const b = companyKey(wanted);
  return Boolean(a && b) && (a === b || a.startsWith(`${b} `) || b.startsWith(`${a} `));
}

function uniqueUrls(values: Array<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const url = canonicalLinkedinUrl(v);
    if (url) out.add(url);
  }
  return [...out];
}

function parseItems<T>(schema: z.ZodType<T>, items: unknown[]): T[] {
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function terminalOutcome(error: unknown): ApifyChainOutcome | undefined {
  if (error instanceof CapReached) return "cap_reached";
  if (error instanceof QuotaExceeded) return "quota";
  if (error instanceof Unauthorized) return "error";
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof CapReached) return "daily cap reached";
  return error instanceof Error ? error.message : String(error);
}

function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}***@${domain}`;
}

function definedOnly<T extends Record<string, string | undefined>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as Partial<T>;
}
