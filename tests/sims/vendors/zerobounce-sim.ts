import { fnv1a32 } from "../../../app/utils/fnv-hash";
import { rollingWindow, startSim, type RunningSim, type SimOptions, type SimReply } from "./common";
import { createDefaultWorld } from "./default-world";
import { type VendorWorld } from "./world";

export type ZeroBounceSimOptions = SimOptions & {
  world?: VendorWorld;
  apiKey?: string;
  credits?: number;
  /** Most emails per /validatebatch call. */
  maxBatch?: number;
  /** /validatebatch calls per minute before the key is blocked (documented: 5). */
  batchCallsPerMinute?: number;
  /** How long a key stays blocked after breaking the batch limit (documented: 10 min). */
  blockMs?: number;
  /**
   * How a blocked key is answered. ZeroBounce does not document it, so it is
   * configurable: an HTTP 429, or a 200 with an error body like its other errors.
   */
  blockedReply?: "http429" | "body200";
};

const FREE = new Set(["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "singnet.com.sg"]);
const KEY_ERROR = "Invalid API key or your account ran out of credits";

/** ZeroBounce v2: /validate, /validatebatch (with its per-minute limit) and /getcredits. */
export async function startZeroBounceSimulator(
  options: ZeroBounceSimOptions = {},
): Promise<RunningSim & { batchCalls: number[]; blockedUntil: () => number; credits: () => number }> {
  const world = options.world ?? createDefaultWorld();
  const apiKey = options.apiKey ?? "zb-simulator-key";
  const now = options.now ?? Date.now;
  const limit = options.batchCallsPerMinute ?? 5;
  const batchWindow = rollingWindow(limit, 60_000, now);
  let blockedUntil = 0;
  let credits = options.credits ?? 100_000;
  const batchCalls: number[] = [];

  const result = (email: string) => {
    const verdict = world.emailStatus(email);
    const [, domain = ""] = email.toLowerCase().split("@");
    if (verdict.status !== "unknown") credits -= 1;
    return {
      address: email,
      status: verdict.status,
      sub_status: verdict.sub_status,
      free_email: verdict.freeEmail ?? FREE.has(domain),
      did_you_mean: null,
      account: verdict.account ?? null,
      domain: verdict.domain ?? null,
      // ZeroBounce sends the age as a string of days, and null for a domain without DNS.
      domain_age_days: domain && verdict.sub_status !== "no_dns_entries" ? String(365 + (fnv1a32(domain) % 9000)) : null,
      smtp_provider: null,
      mx_found: String(verdict.mxFound ?? !(verdict.status === "invalid" && verdict.sub_status === "no_dns_entries")),
      mx_record: domain && verdict.mxFound !== false ? `mx.${domain}` : "",
      firstname: null,
      lastname: null,
      gender: null,
      country: null,
      region: null,
      city: null,
      zipcode: null,
      processed_at: new Date(now()).toISOString().replace("T", " ").replace("Z", ""),
    };
  };

  const sim = await startSim(
    options,
    (req): SimReply => {
      const path = req.path.replace(/\/+$/, "");
      if (path === "/v2/validatebatch") {
        if (req.method !== "POST") return { status: 405, body: { error: "Method not allowed" } };
        const body = (req.body ?? {}) as { api_key?: string; email_batch?: Array<{ email_address?: string }> };
        const t = now();
        if (t < blockedUntil || !batchWindow.hit(body.api_key ?? "")) {
          sim.stats.limitBreaches += 1;
          if (t >= blockedUntil) blockedUntil = t + (options.blockMs ?? 10 * 60_000);
          const message = "Rate limit exceeded for validatebatch; this API key is blocked for 10 minutes.";
          return options.blockedReply === "body200"
            ? { status: 200, body: { email_batch: [], errors: [{ email_address: "all", error: message }] } }
            : { status: 429, body: { error: message } };
        }
        batchCalls.push(t);
        if (body.api_key !== apiKey || credits <= 0) {
          return { status: 200, body: { email_batch: [], errors: [{ email_address: "all", error: "Invalid API Key or your account ran out of credits" }] } };
        }
        if (!Array.isArray(body.email_batch)) return { status: 400, body: { Message: "Missing parameter: email_batch." } };
        const max = options.maxBatch ?? 200;
        if (body.email_batch.length > max) {
          return { status: 200, body: { email_batch: [], errors: [{ email_address: "all", error: `Too many emails in the batch; the maximum is ${max}.` }] } };
        }
        const email_batch: unknown[] = [];
        const errors: Array<{ error: string; email_address: string }> = [];
        for (const entry of body.email_batch) {
          const email = entry?.email_address ?? "";
          if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.push({ error: "Invalid email address", email_address: email });
          else email_batch.push(result(email));
        }
        return { status: 200, body: { email_batch, errors }, items: email_batch.length };
      }
      if (req.method !== "GET") return { status: 405, body: { error: "Method not allowed" } };
      const key = req.query.get("api_key");
      if (path === "/v2/getcredits") {
        return { status: 200, body: { Credits: key === apiKey ? String(credits) : "-1" } };
      }
      if (path === "/v2/validate") {
        if (key !== apiKey || credits <= 0) return { status: 200, body: { error: KEY_ERROR } };
        const email = req.query.get("email");
        if (!email) return { status: 200, body: { error: "Missing parameter: email" } };
        return { status: 200, body: result(email), items: 1 };
      }
      return { status: 404, body: { error: "Not found" } };
    },
    (status) => ({ status, body: { error: status === 429 ? "Too many requests" : "Internal server error" } }),
  );
  return { ...sim, batchCalls, blockedUntil: () => blockedUntil, credits: () => credits };
}
