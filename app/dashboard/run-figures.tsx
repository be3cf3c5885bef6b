import { ScoreDistributionChart } from "~/components/charts/score-distribution-chart";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { stageLabel } from "~/runs/run-vocabulary";
import { formatLatencyMs } from "~/utils/date-format";
import { formatCount, formatPercent, formatUsd } from "~/utils/number-format";
import { type RunMetricsView } from "./run-metrics";
import { Section, Stat } from "./section";

const CONTACT_VENDORS = ["apify_linkedin", "lusha"];

const LATENCY_COLUMNS: DataColumn<{
  stage: string;
  p50: number;
  p95: number;
  count: number;
}>[] = [
  { header: "Stage", cell: (l) => stageLabel(l.stage), rowHeader: true },
  { header: "p50", cell: (l) => formatLatencyMs(l.p50), align: "right" },
  { header: "p95", cell: (l) => formatLatencyMs(l.p95), align: "right" },
  { header: "Steps", cell: (l) => formatCount(l.count), align: "right" },
];

/** A finished run's figures: rates, spend, latency per stage and the shortlist's score distribution. */
export function MetricsSection({
  metrics,
  candidatesTotal,
  vendors,
}: {
  metrics: RunMetricsView;
  candidatesTotal: number | null;
  vendors: Array<{ vendor: string; calls: number }>;
}) {
  const contactVendors = vendors.filter((v) => CONTACT_VENDORS.includes(v.vendor));
  return (
    <>
      <Section id="metrics" title="Run figures" className="lg:col-span-2">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <Stat label="Candidates (pre-filter)" value={formatCount(metrics.candidates_total ?? candidatesTotal)} />
          <Stat
            label="Candidates (post-filter)"
            value={formatCount(metrics.candidates_post_filter)}
            hint={`${formatCount(metrics.companies)} enriched, ${formatCount(metrics.failed)} failed`}
          />
          <Stat label="Crawl success rate" value={formatPercent(metrics.crawl_success_rate)} />
          <Stat label="Tavily fallback rate" value={formatPercent(metrics.tavily_fallback_rate)} />
          <Stat
            label="Contact-vendor coverage"
            value={formatPercent(metrics.contacts_available_rate)}
            hint={contactVendors.length ? contactVendors.map((v) => `${v.vendor}: ${formatCount(v.calls)} calls`).join(", ") : "no contact-vendor calls"}
          />
          <Stat label="Verified-email rate" value={formatPercent(metrics.email_rate)} />
          <Stat label="Token spend" value={formatCount(metrics.token_spend)} hint="LLM tokens" />
          <Stat label="Vendor cost" value={formatUsd(metrics.vendor_cost_usd)} hint={`error rate ${formatPercent(metrics.vendor_error_rate)}`} />
          <Stat label="Rationale cache hits" value={formatPercent(metrics.rationale_cache_hit_rate)} />
        </dl>
        <h3 className="mt-6 text-sm font-semibold text-slate-900">Latency per stage</h3>
        {metrics.latency_ms?.length ? (
          <div className="relative mt-2 overflow-x-auto">
            <DataTable density="compact" columns={LATENCY_COLUMNS} rows={metrics.latency_ms} rowKey={(l) => l.stage} />
          </div>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No timed steps recorded.</p>
        )}
      </Section>
      <Section id="run-distribution" title="Shortlist">
        {metrics.score_distribution ? (
          <ScoreDistributionChart id="run-distribution-chart" distribution={metrics.score_distribution} />
        ) : (
          <p className="text-sm text-slate-600">No company was scored in this run.</p>
        )}
      </Section>
    </>
  );
}
