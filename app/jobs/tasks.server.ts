import acraSweep from "../../tasks/acra_sweep";
import advanceBundleRollout from "../../tasks/advance_bundle_rollout";
import alertDigest from "../../tasks/alert_digest";
import deliverAlert from "../../tasks/deliver_alert";
import deliverWebhook from "../../tasks/deliver_webhook";
import draftInvoices from "../../tasks/draft_invoices";
import enrichCompany from "../../tasks/enrich_company";
import eraseDataSubject from "../../tasks/erase_data_subject";
import finalizeRun from "../../tasks/finalize_run";
import lakeSyncSweep from "../../tasks/lake_sync_sweep";
import meterUsage from "../../tasks/meter_usage";
import nightlySweep from "../../tasks/nightly_sweep";
import provisionTenant from "../../tasks/provision_tenant";
import pruneRateLimits from "../../tasks/prune_rate_limits";
import pruneWorkerHeartbeats from "../../tasks/prune_worker_heartbeats";
import pushRunToOdoo from "../../tasks/push_run_to_odoo";
import pushSuppressionsToOdoo from "../../tasks/push_suppressions_to_odoo";
import refillWarmPool from "../../tasks/refill_warm_pool";
import refreshCandidates from "../../tasks/refresh_candidates";
import retentionSweep from "../../tasks/retention_sweep";
import runTenantOperation from "../../tasks/run_tenant_operation";
import runWatchdog from "../../tasks/run_watchdog";
import scoreCompany from "../../tasks/score_company";
import startRun from "../../tasks/start_run";
import syncLakeSource from "../../tasks/sync_lake_source";
import syncOdooMember from "../../tasks/sync_odoo_member";
import verifyRunEmails from "../../tasks/verify_run_emails";
import { type TaskDefinition } from "./define-task.server";
import { type taskContracts, type TaskName } from "./payloads";

/**
 * Every task the worker runs, by name. Each lives in tasks/<name>.ts (a test
 * checks the file names match) and parses its jobs with its contract in
 * ./payloads. Only the worker imports this list: it loads every domain.
 */
export const taskDefinitions = {
  provision_tenant: provisionTenant,
  refill_warm_pool: refillWarmPool,
  run_tenant_operation: runTenantOperation,
  advance_bundle_rollout: advanceBundleRollout,
  prune_worker_heartbeats: pruneWorkerHeartbeats,
  prune_rate_limits: pruneRateLimits,
  sync_odoo_member: syncOdooMember,
  refresh_candidates: refreshCandidates,
  acra_sweep: acraSweep,
  start_run: startRun,
  enrich_company: enrichCompany,
  verify_run_emails: verifyRunEmails,
  finalize_run: finalizeRun,
  nightly_sweep: nightlySweep,
  push_run_to_odoo: pushRunToOdoo,
  run_watchdog: runWatchdog,
  score_company: scoreCompany,
  sync_lake_source: syncLakeSource,
  lake_sync_sweep: lakeSyncSweep,
  retention_sweep: retentionSweep,
  erase_data_subject: eraseDataSubject,
  push_suppressions_to_odoo: pushSuppressionsToOdoo,
  deliver_alert: deliverAlert,
  deliver_webhook: deliverWebhook,
  alert_digest: alertDigest,
  meter_usage: meterUsage,
  draft_invoices: draftInvoices,
} satisfies { [T in TaskName]: TaskDefinition<T, (typeof taskContracts)[T]["schema"]> };
