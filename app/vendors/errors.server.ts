/**
 * One error family for every enrichment vendor, so the pipeline can decide
 * (skip, retry next run, lower a weight) without knowing whose API failed.
 */
export type VendorName = "tavily" | "apify" | "zerobounce" | "lusha" | "llm";

export class VendorError extends Error {
  readonly vendor: VendorName;
  readonly status: number | undefined;
  /** The vendor's own error code or type, when its body carries one. */
  readonly code: string | undefined;

  constructor(vendor: VendorName, message: string, opts: { status?: number; code?: string; cause?: unknown } = {}) {
    super(`${vendor}: ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.vendor = vendor;
    this.status = opts.status;
    this.code = opts.code;
  }
}

export class Unauthorized extends VendorError {}
export class QuotaExceeded extends VendorError {}
export class Timeout extends VendorError {}
export class BadResponse extends VendorError {}
export class Unavailable extends VendorError {}

export class RateLimited extends VendorError {
  readonly retryAfterMs: number | undefined;
  constructor(vendor: VendorName, message: string, opts: { status?: number; code?: string; cause?: unknown; retryAfterMs?: number } = {}) {
    super(vendor, message, opts);
    this.retryAfterMs = opts.retryAfterMs;
  }
}
