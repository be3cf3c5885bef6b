/**
 * A run's figures (its metrics and acceptance rates), computed from what
 * its companies produced. Pure: the finalizer queries the inputs, this shapes them.
 */
export type CompanyOutcome = {
  uen: string;
  status: "done" | "failed" | string;
  domain: boolean;
  about: boolean;
  crawlStatus: string | null;
  tavilyUsed: boolean;
  contactsStatus: string | null;
  /** Business emails whose verification says verified, unknown or catch-all. */
  usableEmails: number;
  /** Role-qualified contacts on file (the contact sources keep only the ICP's titles). */
  contacts: number;
  bucket: "High" | "Medium" | "Low" | null;
  rationaleSource: "llm" | "cache" | "template" | null;
  filteredOut: boolean;
};

export type VendorLine = { vendor: string; calls: number; units: number; costUsd: number; errors: number; cacheHits: number };
export type StageLatency = { stage: string; p50: number; p95: number; count: number };

export type RunMetrics = {
  companies: number;
  failed: number;
  candidates_total: number | null;
  candidates_post_filter: number;
  domain_rate: number;
  about_rate: number;
  email_rate: number;
  crawl_success_rate: number;
  tavily_fallback_rate: number;
  contacts_available_rate: number;
  /** Of the companies whose website gave no solid content, how many got a role-qualified contact anyway (the aim is ≥ 25 %). */
  thin_contact_rate: number;
  score_distribution: { High: number; Medium: number; Low: number };
  max_bucket_share: number;
  rationale_cache_hit_rate: number;
  token_spend: number;
  vendor_cost_usd: number;
  vendor_error_rate: number;
  vendors: VendorLine[];
  latency_ms: StageLatency[];
};

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000);

export function computeRunMetrics(input: {
  companies: CompanyOutcome[];
  candidatesTotal: number | null;
  vendors: VendorLine[];
  latency: StageLatency[];
}): RunMetrics {
  const all = input.companies;
  const n = all.length;
  const withDomain = all.filter((c) => c.domain);
  const thin = all.filter((c) => c.crawlStatus !== "ok");
  const scored = all.filter((c) => c.bucket !== null);
  const distribution = { High: 0, Medium: 0, Low: 0 };
  for (const c of scored) distribution[c.bucket!]++;
  const maxShare = scored.length ? Math.max(distribution.High, distribution.Medium, distribution.Low) / scored.length : 0;
  const withRationale = scored.filter((c) => c.rationaleSource);
  const calls = input.vendors.reduce((s, v) => s + v.calls, 0);
  const errors = input.vendors.reduce((s, v) => s + v.errors, 0);
  return {
    companies: n,
    failed: all.filter((c) => c.status === "failed").length,
    candidates_total: input.candidatesTotal,
    candidates_post_filter: n - all.filter((c) => c.filteredOut).length,
    domain_rate: ratio(withDomain.length, n),
    about_rate: ratio(all.filter((c) => c.about).length, n),
    email_rate: ratio(all.filter((c) => c.usableEmails > 0).length, n),
    crawl_success_rate: ratio(withDomain.filter((c) => c.crawlStatus === "ok").length, withDomain.length),
    tavily_fallback_rate: ratio(all.filter((c) => c.tavilyUsed).length, n),
    contacts_available_rate: ratio(all.filter((c) => c.contactsStatus === "ok").length, n),
    thin_contact_rate: ratio(thin.filter((c) => c.contacts > 0).length, thin.length),
    score_distribution: distribution,
    max_bucket_share: Math.round(maxShare * 1000) / 1000,
    rationale_cache_hit_rate: ratio(withRationale.filter((c) => c.rationaleSource === "cache").length, withRationale.length),
    token_spend: input.vendors.filter((v) => v.vendor === "llm").reduce((s, v) => s + v.units, 0),
    vendor_cost_usd: Math.round(input.vendors.reduce((s, v) => s + v.costUsd, 0) * 10000) / 10000,
    vendor_error_rate: ratio(errors, calls),
    vendors: input.vendors,
    latency_ms: input.latency,
  };
}

/** Why a finished run counts as degraded (a vendor failed but the run went on), in words for the dashboard. */
export function degradedReasons(metrics: RunMetrics, earlier: readonly string[]): string[] {
  const reasons = [...earlier];
  for (const v of metrics.vendors) {
    if (v.errors > 0 && v.calls > 0) reasons.push(`${v.vendor}: ${v.errors} of ${v.calls} calls failed`);
  }
  if (metrics.failed > 0) reasons.push(`${metrics.failed} of ${metrics.companies} companies could not be enriched`);
  return [...new Set(reasons)];
}

export const CRAWL_ERROR_ALERT_RATE = 0.3;
