import { waitForWorkspace } from "~/tenants/workspace-ready.server";
import { progressBar } from "~/utils/progress-bar";
import { type LakeSource, type SyncMode } from "./pipeline";
import { sourceKit } from "./sources.server";
import { requestSync } from "./sync-requests.server";
import { runSync, type SyncSummary } from "./sync-runner.server";

/**
 * The `npm run sync` command's work: one sync of one source for one tenant,
 * run in this process (not queued), with progress per loaded page.
 */
export async function runSyncCommand(input: { tenantSlug: string; source: LakeSource; mode: SyncMode; progress: (line: string) => void }): Promise<
  Pick<SyncSummary, "source" | "mode" | "fetched" | "raw_inserted" | "inserted" | "updated" | "deleted" | "unchanged" | "rejected" | "seconds"> & {
    status: string;
  }
> {
  const tenant = await waitForWorkspace(input.tenantSlug, input.progress);
  const kit = await sourceKit(tenant.id, input.source);
  const requested = await requestSync(tenant.id, { source: input.source, mode: input.mode, trigger: "cli", queue: false });
  if (requested.alreadyActive) throw new Error(`A ${input.source} sync is already queued or running for "${input.tenantSlug}" (run ${requested.syncRunId})`);
  const entities = kit.connector.entities;
  const summary = await runSync(tenant.id, requested.syncRunId, kit, {
    finalAttempt: true,
    onProgress: ({ entity, counts }) => {
      const index = entities.indexOf(entity);
      input.progress(
        `${progressBar(index, entities.length)} ${entity} (${index + 1}/${entities.length}) · ${counts.fetched} fetched · ${counts.inserted} new · ${counts.updated} changed · ${counts.rejected} rejected`,
      );
    },
  });
  if (!summary) throw new Error(`sync run ${requested.syncRunId} was taken by another process`);
  const { source, mode, fetched, raw_inserted, inserted, updated, deleted, unchanged, rejected, seconds, status } = summary;
  return { source, mode, fetched, raw_inserted, inserted, updated, deleted, unchanged, rejected, seconds, status };
}
