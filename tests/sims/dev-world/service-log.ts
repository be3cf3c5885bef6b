import { createWriteStream, type WriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { type SimReply, type SimRequest } from "../vendors/common";
import { type World } from "../world/index";

export type ServiceVendor = "web" | "tavily" | "apify" | "zerobounce" | "lusha" | "llm";

/**
 * One request the dev world answered and the service time it injected, with
 * the company it was about (null when the request names none the world
 * knows: a ZeroBounce batch spans companies, a rationale prompt names none).
 * One JSON object per line; the nightly benchmark computes its bound from them.
 */
export type ServedRecord = {
  vendor: ServiceVendor;
  uen: string | null;
  /** What was asked: the page kind ("robots", "page"), the actor, the LLM's schema ("text" for free text), the API path. */
  kind: string;
  ms: number;
  status: number;
  /** Web only: the host, and the Crawl-delay its robots.txt asks for (seconds). */
  host?: string;
  crawlDelayS?: number;
  /**
   * Apify only, when one run served several companies (the company and
   * profile actors' runs a run's companies share): all of them, `uen` first.
   * Each of them waited for the whole run.
   */
  uens?: string[];
  /** ZeroBounce only: the addresses in the batch not sent before (a retried batch needs no new window). */
  items?: number;
  /** When the reply was written (ms since the epoch): how calls spread over a run. */
  at?: number;
};

const URL_IN_TEXT = /https?:\/\/[^\s)"'<>]+/g;

/** "linkedin.com/company/acme" from any spelling of a LinkedIn URL, for lookups. */
function linkedinKey(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^(www|[a-z]{2})\./, "")
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "");
}

/** Every string in a JSON value, depth first (at most `limit`). */
function strings(value: unknown, out: string[] = [], limit = 200): string[] {
  if (out.length >= limit) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, limit);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out, limit);
  return out;
}

/**
 * Which of the world's companies a vendor request is about: the first URL in
 * it that belongs to one (its website, its LinkedIn page, one of its people's
 * profiles), else the first string that starts with a company's registry name
 * ("ACME PTE. LTD. Singapore official website", "ACME PTE. LTD. CEO").
 */
export function companyAttribution(world: World) {
  const byName = new Map<string, string>();
  const byLinkedin = new Map<string, string>();
  for (const c of world.companies()) {
    byName.set(c.name.toUpperCase(), c.uen);
    if (c.linkedin) byLinkedin.set(linkedinKey(c.linkedin.linkedinUrl), c.uen);
  }
  const byHost = (host: string) => world.siteForHost(host.toLowerCase())?.company?.uen;
  const byUrl = (url: string): string | undefined => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (!parsed.hostname.endsWith("linkedin.com")) return byHost(parsed.hostname);
    const key = linkedinKey(url);
    if (key.includes("/company/")) return byLinkedin.get(key);
    const employer = world.profile(url)?.companyLinkedin;
    return employer ? byLinkedin.get(linkedinKey(employer)) : undefined;
  };
  const byNamePrefix = (text: string): string | undefined => {
    const words = text.trim().split(/\s+/).slice(0, 12);
    for (let n = words.length; n > 0; n--) {
      const uen = byName.get(words.slice(0, n).join(" ").toUpperCase());
      if (uen) return uen;
    }
    return undefined;
  };
  return {
    host: (host: string) => byHost(host) ?? null,
    request(body: unknown): string | null {
      const texts = strings(body);
      for (const text of texts) for (const url of text.match(URL_IN_TEXT) ?? []) if (byUrl(url)) return byUrl(url)!;
      for (const text of texts) {
        const uen = byNamePrefix(text);
        if (uen) return uen;
      }
      return null;
    },
    /** Every company a batched actor run's input names, by URL or else by name, in the input's order. */
    batch(body: unknown): string[] {
      const found = new Set<string>();
      for (const text of strings(body)) {
        const urls = text.match(URL_IN_TEXT) ?? [];
        for (const url of urls) {
          const uen = byUrl(url);
          if (uen) found.add(uen);
        }
        const named = urls.length === 0 ? byNamePrefix(text) : undefined;
        if (named) found.add(named);
      }
      return [...found];
    },
  };
}

/** The request's kind for the log: the actor of an Apify run, the schema an LLM was asked for, else the API path. */
export function requestKind(vendor: ServiceVendor, req: SimRequest): string {
  if (vendor === "apify") return /\/acts\/([^/]+)\//.exec(req.path)?.[1] ?? req.path;
  if (vendor === "llm") {
    const format = (req.body as { response_format?: { json_schema?: { name?: string } } } | undefined)?.response_format;
    return format?.json_schema?.name ?? "text";
  }
  return req.path;
}

/** A JSONL writer of served requests; `close()` resolves once every line is on disk. */
export function serviceLogFile(file: string): { write(record: ServedRecord): void; close(): Promise<void> } {
  const out: WriteStream = createWriteStream(file);
  return {
    write: (record) => void out.write(`${JSON.stringify({ ...record, at: Date.now() })}\n`),
    close: () => new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve()))),
  };
}

/** The records a service log file holds, in the order they were written. */
export async function readServiceLog(file: string): Promise<ServedRecord[]> {
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ServedRecord);
}

/** The vendor simulators' `onServed` hook for one vendor, attributing each request to its company. */
export function servedBy(
  vendor: Exclude<ServiceVendor, "web">,
  attribution: ReturnType<typeof companyAttribution>,
  write: (record: ServedRecord) => void,
): (served: { req: SimRequest; reply: SimReply; ms: number }) => void {
  const verified = new Set<string>();
  const firstSeen = (body: unknown) => {
    const batch = (body as { email_batch?: Array<{ email_address?: string }> } | undefined)?.email_batch ?? [];
    const fresh = batch.map((e) => e.email_address ?? "").filter((email) => email && !verified.has(email));
    for (const email of fresh) verified.add(email);
    return fresh.length;
  };
  return ({ req, reply, ms }) => {
    const served = vendor === "apify" ? attribution.batch(req.body) : [];
    write({
      vendor,
      // A ZeroBounce batch spans companies; its floor is a window term of its own.
      uen: vendor === "zerobounce" ? null : vendor === "apify" ? (served[0] ?? null) : attribution.request(req.body),
      ...(served.length > 1 ? { uens: served } : {}),
      kind: requestKind(vendor, req),
      ms,
      status: reply.status,
      ...(vendor === "zerobounce" ? { items: reply.status === 200 ? firstSeen(req.body) : 0 } : {}),
    });
  };
}
