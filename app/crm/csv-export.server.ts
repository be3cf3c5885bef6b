import { type TenantViewer } from "~/auth/guards.server";
import { exportDb, type TenantTx } from "~/db.server";
import { csvRow, type CsvValue } from "~/exports/csv";
import { pacedStream } from "~/exports/paced-stream.server";
import { decodeFeedCursor } from "~/lake/feed-cursor";
import { seesLakeRows, type LakeAccess } from "~/lake/hierarchy";
import { lakeAccessFor, lakeMemberOf, setLakeScope } from "~/lake/hierarchy.server";
import { listOpportunities } from "~/lake/opportunities.server";
import { decodeOpportunityCursor } from "~/lake/opportunity-cursor";
import { activityFeed } from "~/lake/serving-reads.server";
import { log } from "~/logger.server";
import { maskName } from "~/privacy/mask";
import { formatZodIssues } from "~/utils/zod-issues";
import { type ActivitiesQuery, parseActivitiesQuery } from "./activities.server";
import { givenParams, OpportunityFilterQuery, opportunityFiltersOf } from "./opportunity-query";
import { pipelineFilters, type PipelineFilters } from "./pipeline";
import { pipelineGroups } from "./pipeline.server";

/**
 * CSV downloads of the sales dashboards' tables (GET /api/export/crm/<view>.csv):
 * each view parses its page's query parameters and yields its rows in keyset
 * batches, read in one transaction of the export pool under the caller's
 * place in the sales hierarchy, so a download holds exactly the rows the
 * page would list, masked the same way for aggregates-only callers.
 */
export type CrmExportView = {
  header: readonly string[];
  /** The view's query, or why the parameters are not valid. */
  parse(search: URLSearchParams): { ok: true; query: unknown } | { ok: false; message: string };
  /** The rows, a batch at a time, in the page's order. */
  batches(tx: TenantTx, access: LakeAccess, query: unknown, batchSize: number): AsyncGenerator<CsvValue[][]>;
};

const iso = (instant: Date | null | undefined) => instant?.toISOString() ?? null;

const opportunitiesView: CrmExportView = {
  header: [
    "id",
    "name",
    "stage",
    "outcome",
    "value",
    "currency",
    "probability",
    "owner",
    "team",
    "account",
    "contact",
    "contact_email",
    "next_activity_at",
    "next_activity_type",
    "last_touch_at",
    "stage_entered_at",
    "age_in_stage_days",
    "deadline",
    "opened_at",
    "closed_at",
    "tags",
  ],
  parse(search) {
    const parsed = OpportunityFilterQuery.safeParse(givenParams(search));
    return parsed.success ? { ok: true, query: parsed.data } : { ok: false, message: formatZodIssues(parsed.error, "(query)") };
  },
  async *batches(tx, access, query, batchSize) {
    const { sort, ...rest } = OpportunityFilterQuery.parse(query);
    const filters = opportunityFiltersOf({ sort, ...rest });
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listOpportunities>> = await listOpportunities(tx, access, {
        sort,
        cursor: cursor ? decodeOpportunityCursor(sort, cursor) : null,
        limit: batchSize,
        filters,
      });
      yield page.items.map((deal) => [
        deal.id,
        deal.name,
        deal.stage,
        deal.outcome,
        deal.value,
        deal.currency,
        deal.probability,
        deal.owner?.name,
        deal.team?.name,
        deal.account?.name,
        deal.contact?.name,
        deal.contact?.email,
        iso(deal.nextActivity?.at),
        deal.nextActivity?.type,
        iso(deal.lastTouchAt),
        iso(deal.stageEnteredAt),
        deal.ageInStageDays,
        deal.deadline,
        iso(deal.openedAt),
        iso(deal.closedAt),
        deal.tags.join("; "),
      ]);
      cursor = page.nextCursor;
    } while (cursor);
  },
};

/** The Activities page's feed with its filters (view, type, owner, team), every page of it, people masked as the page masks them. */
const activitiesView: CrmExportView = {
  header: ["at", "state", "type", "summary", "owner", "source", "about_kind", "about_name", "about_id"],
  parse(search) {
    const parsed = parseActivitiesQuery(new URL(`http://export.invalid/?${search.toString()}`));
    if (!parsed.ok) return { ok: false, message: parsed.message };
    return parsed.query.cursor ? { ok: false, message: "cursor: an export reads the whole feed" } : { ok: true, query: parsed.query };
  },
  async *batches(tx, access, query, batchSize) {
    const { view, type, owner, team } = query as ActivitiesQuery;
    const masked = !seesLakeRows(access);
    const name = (value: string | null | undefined) => (value && masked ? maskName(value) : value);
    const now = new Date();
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof activityFeed>> = await activityFeed(tx, {
        cursor: cursor ? decodeFeedCursor(cursor) : null,
        limit: batchSize,
        scope: access.scope,
        view,
        now,
        activityType: type,
        ownerId: owner,
        teamId: team,
      });
      yield page.items.map((item) => [
        iso(item.at),
        item.state,
        item.activityType,
        masked ? null : item.summary,
        name(item.ownerName),
        item.source,
        item.about?.kind,
        name(item.about?.name),
        item.about?.id,
      ]);
      cursor = page.nextCursor;
    } while (cursor);
  },
};

/** The Pipeline page's breakdowns with its filters: the funnel's stages, then each team and each owner per outcome. */
const pipelineView: CrmExportView = {
  header: ["grouping", "name", "outcome", "count", "value", "weighted_value"],
  parse(search) {
    const parsed = pipelineFilters(search, new Date());
    return parsed.ok ? { ok: true, query: parsed.filters } : { ok: false, message: formatZodIssues(parsed.error, "(query)") };
  },
  async *batches(tx, access, query) {
    const pipeline = await pipelineGroups(tx, access, query as PipelineFilters);
    const groups = (grouping: string, rows: typeof pipeline.byTeam) =>
      rows.flatMap((row) =>
        (["open", "won", "lost"] as const).map((outcome) => [grouping, row.name, outcome, row[outcome].count, row[outcome].value, row[outcome].weightedValue]),
      );
    yield [
      ...pipeline.funnel.map((stage) => ["stage", stage.stage, "open", stage.count, stage.value, stage.weightedValue]),
      ...groups("team", pipeline.byTeam),
      ...groups("owner", pipeline.byOwner),
    ];
  },
};

export const CRM_EXPORT_VIEWS: Record<string, CrmExportView> = { opportunities: opportunitiesView, activities: activitiesView, pipeline: pipelineView };

/** An export may run long; the transaction must outlive a slow download. */
const EXPORT_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_BATCH = 1000;

/** The view's rows as a CSV byte stream, read only as fast as the client takes them. */
export async function crmExportStream(
  viewer: TenantViewer,
  name: string,
  view: CrmExportView,
  query: unknown,
  batchSize = DEFAULT_BATCH,
): Promise<ReadableStream<Uint8Array>> {
  const member = await lakeMemberOf(viewer);
  let rows = 0;
  const started = performance.now();
  return pacedStream(
    (out) =>
      // The export pool, not the app's: a slow reader holds one of its connections, never one of the app's.
      exportDb.$withTenant(
        viewer.tenant.id,
        async (tx) => {
          const access = await lakeAccessFor(tx, member);
          await setLakeScope(tx, access.scope);
          out.send(csvRow(view.header));
          for await (const batch of view.batches(tx, access, query, batchSize)) {
            if (batch.length) out.send(batch.map(csvRow).join(""));
            rows += batch.length;
            if (!(await out.ready())) return;
          }
        },
        { timeout: EXPORT_TIMEOUT_MS },
      ),
    ({ error, cancelled }) => {
      if (error) log().error({ err: error, view: name, rows }, "CRM export failed");
      else log().info({ view: name, rows, ms: Math.round(performance.now() - started), cancelled }, "CRM export streamed");
    },
  );
}
