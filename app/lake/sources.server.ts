import { type LakeSource, type SourceMapper } from "./pipeline";
import { type SourceKit } from "./sync-runner.server";

/**
 * The sources the lake can sync: for each, how to build its connector for a
 * tenant (from that tenant's stored credentials) and its mapper. Adding a
 * source (Salesforce, HubSpot) means adding an entry here.
 */
type SourceEntry = { kit(tenantId: string): Promise<SourceKit>; mapper: SourceMapper };

const SOURCES: Partial<Record<LakeSource, SourceEntry>> = {};

export class SourceUnavailableError extends Error {
  constructor(source: LakeSource) {
    super(`The ${source} source cannot be synced on this platform yet`);
    this.name = "SourceUnavailableError";
  }
}

export async function sourceKit(tenantId: string, source: LakeSource): Promise<SourceKit> {
  const entry = SOURCES[source];
  if (!entry) throw new SourceUnavailableError(source);
  return entry.kit(tenantId);
}

export function sourceMappers(): Partial<Record<LakeSource, SourceMapper>> {
  return Object.fromEntries(Object.entries(SOURCES).map(([source, entry]) => [source, entry.mapper]));
}
