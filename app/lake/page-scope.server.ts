import { type TenantTx } from "../db.server";
import { type LakeSource, type MapContext, type SourceMapper } from "./pipeline";

/** Payloads of reference records (stages, tags) for the mapper, kept across the pages of a sync. */
export class ReferencePayloads implements MapContext {
  private readonly byKey = new Map<string, Record<string, unknown>>();
  payloadOf(entity: string, sourceId: string) {
    return this.byKey.get(`${entity}\u0000${sourceId}`);
  }
  set(entity: string, sourceId: string, payload: Record<string, unknown>) {
    this.byKey.set(`${entity}\u0000${sourceId}`, payload);
  }

  /** Reference records loaded before: those that map to no canonical entity. */
  static async load(tx: TenantTx, source: LakeSource): Promise<ReferencePayloads> {
    const references = new ReferencePayloads();
    const rows = await tx.$queryRaw<Array<{ entity: string; source_id: string; payload: Record<string, unknown> }>>`
      SELECT s.entity, s.source_id, r.payload FROM lake_source_records s
      JOIN lake_raw_records r ON r.tenant_id = s.tenant_id AND r.id = s.raw_id
      WHERE s.source = ${source} AND s.canonical_id IS NULL AND s.removed_at IS NULL`;
    for (const row of rows) references.set(row.entity, row.source_id, row.payload);
    return references;
  }
}

export type PageScope = {
  tx: TenantTx;
  tenantId: string;
  /** Null while replaying: the raw rows already exist and no sync run is being logged. */
  syncRunId: string | null;
  source: LakeSource;
  mapper: SourceMapper;
  references: ReferencePayloads;
};
