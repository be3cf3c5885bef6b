import { env } from "../app/env.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { log } from "../app/logger.server";
import { datagovConfigFrom } from "../app/registry/datagov.server";
import { parseAcraSources, sweepAcraSources } from "../app/registry/registry.server";

/**
 * Cron, Singapore night: loads each configured registry source (ACRA_SOURCES)
 * whose version changed since its last successful load. Fails (and retries)
 * only when every source failed.
 */
export default defineTask("acra_sweep", taskContracts.acra_sweep, async (payload) => {
  const config = env();
  const sources = payload.sources ?? parseAcraSources(config.ACRA_SOURCES);
  if (!sources.length) {
    log().info("registry sweep: no ACRA_SOURCES configured");
    return;
  }
  const outcomes = await sweepAcraSources({ connectionString: env().DATABASE_URL, sources, datagov: datagovConfigFrom(config) });
  for (const o of outcomes) {
    if (o.outcome === "ingested") {
      const { read, inserted, updated, unchanged, rejected } = o.summary;
      log().info({ source: o.source, read, inserted, updated, unchanged, rejected }, "registry sweep: loaded");
    } else if (o.outcome === "unchanged") log().info({ source: o.source, version: o.version }, "registry sweep: unchanged");
  }
  const failed = outcomes.filter((o) => o.outcome === "failed");
  if (failed.length === outcomes.length) {
    throw new Error(`registry sweep: every source failed (${failed.map((f) => (f.outcome === "failed" ? f.error : "")).join("; ")})`);
  }
});
