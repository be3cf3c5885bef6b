/**
 * The sync engine's stages and the shapes passed between them. A source
 * (Odoo, Microsoft 365, later Salesforce or HubSpot) is added by writing a
 * `SourceConnector` and a `SourceMapper`; validation, normalisation, loading
 * and the sync run log are shared by every source.
 *
 *   connector → mapper → validator → normalizer → loader → logger
 */

export const LAKE_SOURCES = ["odoo", "m365"] as const;
export type LakeSource = (typeof LAKE_SOURCES)[number];

export const SYNC_MODES = ["incremental", "full"] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export const CANONICAL_KINDS = ["user", "team", "account", "contact", "opportunity", "activity"] as const;
export type CanonicalKind = (typeof CANONICAL_KINDS)[number];

/** One version of one record, exactly as the source returned it. */
export type SourceRecord = {
  /** The source's own name for the record type: `res.partner`, `crm.lead`, `users`, `contacts`, `events`. */
  entity: string;
  sourceId: string;
  /** The source's version marker: Odoo's `write_date`, Graph's `@odata.etag` or `changeKey`; null when it has none. */
  version: string | null;
  payload: Record<string, unknown>;
  /** The source reports the record deleted (Graph's `@removed`). */
  removed?: boolean;
};

/**
 * A page of records and the cursor to resume from after it. Cursors are the
 * connector's own opaque strings (an Odoo `write_date,id` pair, a Graph delta
 * link); the engine stores them per entity after each loaded page, so a sync
 * killed midway resumes where it stopped.
 */
export type SourcePage = { records: SourceRecord[]; cursor: string | null };

export type SourceCheck = {
  /** Fields or endpoints the sync reads that the source does not offer (module not installed, version difference). */
  missing: string[];
};

export interface SourceConnector {
  readonly source: LakeSource;
  /** Source entities in load order: what others refer to comes first. */
  readonly entities: readonly string[];
  check(): Promise<SourceCheck>;
  /** Pages from `cursor` (null: from the start). In full mode the connector re-reads everything. */
  pages(entity: string, from: { mode: SyncMode; cursor: string | null }): AsyncIterable<SourcePage>;
  /**
   * Every id the source still holds for an entity, asked after the entity's
   * pages to find records that vanished: they are retired. Null when the
   * connector cannot tell this time (Graph's ids are only complete after a
   * whole fresh round of a full sync), so nothing is retired.
   */
  liveIds?(entity: string): Promise<Set<string> | null>;
}

/** Where a canonical entity came from; one entity can have several (the same person in Odoo and in Outlook). */
export type SourceRef = { source: LakeSource; entity: string; sourceId: string };

/** A reference to another source record, resolved by the loader to a canonical id. */
export type RecordLink = SourceRef | null;

export type UserDraft = { kind: "user"; name: string; email: string | null; login: string | null; team: RecordLink; active: boolean };
export type TeamDraft = { kind: "team"; name: string; leader: RecordLink; members: SourceRef[]; active: boolean };
export type AccountDraft = {
  kind: "account";
  name: string;
  uen: string | null;
  vat: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  countryCode: string | null;
  tags: string[];
  active: boolean;
};
export type ContactDraft = {
  kind: "contact";
  name: string;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  account: RecordLink;
  /** The company name as the source gives it, when it has no account record (Outlook contacts). */
  companyName: string | null;
  active: boolean;
};
export type OpportunityDraft = {
  kind: "opportunity";
  name: string;
  /** Odoo's `type`: a lead not yet qualified, or an opportunity in the pipeline. */
  stageKind: "lead" | "opportunity";
  stage: { name: string; sequence: number; isWon: boolean } | null;
  account: RecordLink;
  contact: RecordLink;
  owner: RecordLink;
  team: RecordLink;
  expectedRevenue: number;
  probability: number;
  currency: string | null;
  outcome: "open" | "won" | "lost";
  lostReason: string | null;
  createdAt: string;
  /** When the deal entered its current stage; null when the source does not say. */
  stageEnteredAt: string | null;
  deadline: string | null;
  closedAt: string | null;
  tags: string[];
  active: boolean;
};
export type ActivityDraft = {
  kind: "activity";
  activityType: string;
  summary: string | null;
  state: "planned" | "done";
  /** Due date of a planned activity, or when a done one happened (ISO). */
  at: string;
  owner: RecordLink;
  /** The record the activity is about, when the source says. */
  about: RecordLink;
  active: boolean;
};

export type CanonicalDraft = UserDraft | TeamDraft | AccountDraft | ContactDraft | OpportunityDraft | ActivityDraft;

/** A mapped record: the canonical draft and the source record it came from. */
export type MappedRecord = { ref: SourceRef; draft: CanonicalDraft };

export type MapResult = { mapped: MappedRecord[]; rejected: Array<{ ref: SourceRef; reason: string }> };

/**
 * Reference data a mapper may look up while mapping: the latest payload of
 * another record of the same source (a lead's stage, a partner's tags), as
 * already fetched into the raw zone. Reference entities (stages, tags, lost
 * reasons) are listed among the connector's entities before the records that
 * use them, and map to nothing themselves.
 */
export type MapContext = { payloadOf(entity: string, sourceId: string): Record<string, unknown> | undefined };

export interface SourceMapper {
  readonly source: LakeSource;
  /** Maps one source record; a record that cannot be mapped is rejected with its reason, never dropped. */
  map(record: SourceRecord, context: MapContext): MapResult;
}

/** What a sync run reports, in the order the command's JSON line prints it. */
export type SyncCounts = {
  fetched: number;
  raw_inserted: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  rejected: number;
};

export const ZERO_COUNTS: SyncCounts = { fetched: 0, raw_inserted: 0, inserted: 0, updated: 0, deleted: 0, unchanged: 0, rejected: 0 };
