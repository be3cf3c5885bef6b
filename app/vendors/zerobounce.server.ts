import { z } from "zod";
import { log } from "~/logger.server";
import { Unauthorized, VendorError, RateLimited, Unavailable, QuotaExceeded } from "./errors.server";
import { parseBody, parseRetryAfter, vendorRequest, withQuery, type FetchLike } from "./http.server";
import { inProcessLimiters, systemClock, vendorLimitKey, type CallLimiterFactory, type Clock } from "./rate-limit.server";

/** Our verification status for an address, whatever vendor produced it. */
export type EmailVerificationStatus = "verified" | "invalid" | "catch_all" | "unknown" | "do_not_mail";

export type EmailVerification = {
  email: string;
  status: EmailVerificationStatus;
  /** ZeroBounce's own status and sub_status, kept for audit. */
  vendorStatus: string | null;
  vendorSubStatus: string | null;
  freeEmail: boolean | null;
  didYouMean: string | null;
  /** Why the status is `unknown` because of us or the API rather than the mailbox. */
  error?: string;
};

export type ZeroBounceConfig = {
  baseUrl: string;
  apiKey: string;
  /** Emails per /validatebatch call; ZeroBounce accepts at most 200. */
  batchSize?: number;
  /** Batch calls allowed per rolling minute; one more blocks the key for 10 minutes. */
  batchCallsPerMinute?: number;
  /** Server-side wait per batch, 10–120 s. */
  batchTimeoutS?: number;
  timeoutMs?: number;
  /** Where the batch-call window is kept; by default in this process (workers share theirs through Postgres). */
  limiters?: CallLimiterFactory;
  clock?: Clock;
  fetch?: FetchLike;
};

const nullableString = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const looseBool = z
  .union([z.boolean(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : v === true || v === "true"));

const resultSchema = z.looseObject({
  address: z.string(),
  status: z.string(),
  sub_status: nullableString,
  free_email: looseBool,
  did_you_mean: nullableString,
});

const batchSchema = z.object({
  email_batch: z.array(resultSchema).default([]),
  errors: z.array(z.looseObject({ error: z.string(), email_address: z.string().nullish() })).default([]),
});

/** After a breach of the batch limit ZeroBounce blocks the key for 10 minutes. */
const KEY_BLOCK_MS = 10 * 60_000;
const KEY_BLOCKED = /blocked/i;

const creditsSchema = z.object({ Credits: z.coerce.number() });
const bodyError = z.object({ error: z.string() });

/** ZeroBounce status/sub_status → ours. */
export function mapZeroBounceStatus(status: string, subStatus?: string | null): EmailVerificationStatus {
  const s = status.trim().toLowerCase().replace(/_/g, "-");
  const sub = (subStatus ?? "").trim().toLowerCase();
  if (s === "valid") return "verified";
  // A full mailbox is a passing state, so it is re-checked next run rather than written off.
  if (s === "invalid") return sub === "mailbox_quota_exceeded" ? "unknown" : "invalid";
  if (s === "catch-all") return "catch_all";
  // Spam traps, abusers, role/disposable/toxic addresses: deliverable or not, never mail them.
  if (s === "spamtrap" || s === "abuse" || s === "do-not-mail") return "do_not_mail";
  return "unknown";
}

export function createZeroBounceClient(config: ZeroBounceConfig) {
  const batchSize = Math.min(200, Math.max(1, config.batchSize ?? 200));
  const clock = config.clock ?? systemClock;
  // Two seconds of slack: ZeroBounce counts arrivals, and a slow first call can arrive late.
  // A slot is used within one of them (a worker short of CPU can be slower from grant to send).
  const limiter = (config.limiters ?? inProcessLimiters(clock))(
    vendorLimitKey("zerobounce-batch", config.apiKey),
    config.batchCallsPerMinute ?? 5,
    62_000,
    1_000,
  );
  const batchTimeoutS = config.batchTimeoutS ?? 70;

  async function get(path: string, query: Record<string, string>) {
    const res = await vendorRequest("zerobounce", withQuery(config.baseUrl, path, { api_key: config.apiKey, ...query }), {
      method: "GET",
      timeoutMs: config.timeoutMs ?? 120_000,
      fetch: config.fetch,
    });
    return checked(res.status, res.body, res.headers);
  }

  async function validateChunk(emails: string[]): Promise<EmailVerification[]> {
    try {
      const res = await vendorRequest("zerobounce", withQuery(config.baseUrl, "/validatebatch", {}), {
        limiter,
        method: "POST",
        json: {
          api_key: config.apiKey,
          email_batch: emails.map((email_address) => ({ email_address, ip_address: null })),
          timeout: batchTimeoutS,
        },
        timeoutMs: config.timeoutMs ?? (batchTimeoutS + 30) * 1000,
        fetch: config.fetch,
      });
      const body = parseBody("zerobounce", batchSchema, checked(res.status, res.body, res.headers), "validatebatch");
      const allFailed = body.errors.find((e) => (e.email_address ?? "").toLowerCase() === "all");
      if (allFailed) {
        if (KEY_BLOCKED.test(allFailed.error)) await waitOutBlock(KEY_BLOCK_MS);
        return emails.map((email) => unknownFor(email, allFailed.error));
      }
      const byAddress = new Map(body.email_batch.map((r) => [r.address.toLowerCase(), r]));
      const errors = new Map(body.errors.map((e) => [(e.email_address ?? "").toLowerCase(), e.error]));
      return emails.map((email) => {
        const r = byAddress.get(email.toLowerCase());
        if (!r) return unknownFor(email, errors.get(email.toLowerCase()) ?? "missing from batch response");
        return fromResult(email, r);
      });
    } catch (error) {
      if (error instanceof RateLimited) await waitOutBlock(error.retryAfterMs ?? KEY_BLOCK_MS);
      // A failed call costs nothing: every address stays unknown and is retried next run.
      return emails.map((email) => unknownFor(email, error instanceof Error ? error.message : String(error)));
    }
  }

  /** Every process sharing the key sends nothing more until the block lifts: a call during it would only fail. */
  async function waitOutBlock(ms: number) {
    await limiter.pause(ms).catch((error: unknown) => log().warn({ err: error }, "zerobounce: could not share the key's block"));
  }

  return {
    /** Verifies any number of addresses in ≤200-address calls; never throws. */
    async validateBatch(emails: readonly string[]): Promise<EmailVerification[]> {
      const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
      const out: EmailVerification[] = [];
      for (let i = 0; i < unique.length; i += batchSize) {
        out.push(...(await validateChunk(unique.slice(i, i + batchSize))));
      }
      return out;
    },

    /** One address through /v2/validate; never throws. */
    async validate(email: string, opts: { timeoutS?: number } = {}): Promise<EmailVerification> {
      const address = email.trim().toLowerCase();
      try {
        const body = await get("/validate", {
          email: address,
          ip_address: "",
          ...(opts.timeoutS ? { timeout: String(opts.timeoutS) } : {}),
        });
        return fromResult(address, parseBody("zerobounce", resultSchema, body, "validate"));
      } catch (error) {
        return unknownFor(address, error instanceof Error ? error.message : String(error));
      }
    },

    /** Remaining credits; throws Unauthorized for a bad key (reported as -1). */
    async getCredits(): Promise<number> {
      const body = parseBody("zerobounce", creditsSchema, await get("/getcredits", {}), "getcredits");
      if (body.Credits < 0) throw new Unauthorized("zerobounce", "invalid API key");
      return body.Credits;
    },
  };
}

export type ZeroBounceClient = ReturnType<typeof createZeroBounceClient>;

/** ZeroBounce reports errors in the body, usually with HTTP 200. */
function checked(status: number, body: unknown, headers: Headers): unknown {
  const err = bodyError.safeParse(body);
  const message = err.success ? err.data.error : `HTTP ${status}`;
  if (status === 401 || status === 403) throw new Unauthorized("zerobounce", message, { status });
  if (status === 429) throw new RateLimited("zerobounce", message, { status, retryAfterMs: parseRetryAfter(headers) });
  if (status >= 500) throw new Unavailable("zerobounce", message, { status });
  if (status >= 400) throw new VendorError("zerobounce", message, { status });
  if (err.success) {
    if (/api key|credits/i.test(message)) throw new QuotaExceeded("zerobounce", message, { status });
    throw new VendorError("zerobounce", message, { status });
  }
  return body;
}

function fromResult(email: string, r: z.infer<typeof resultSchema>): EmailVerification {
  return {
    email,
    status: mapZeroBounceStatus(r.status, r.sub_status),
    vendorStatus: r.status,
    vendorSubStatus: r.sub_status,
    freeEmail: r.free_email,
    didYouMean: r.did_you_mean,
  };
}

function unknownFor(email: string, error: string): EmailVerification {
  return { email, status: "unknown", vendorStatus: null, vendorSubStatus: null, freeEmail: null, didYouMean: null, error };
}
