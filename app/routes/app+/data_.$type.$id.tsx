import { type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge } from "~/components/ui/badge";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Page } from "~/components/ui/page";
import { Section } from "~/dashboard/section";
import { invariantFound } from "~/http.server";
import { SOURCE_LABEL } from "~/lake/data-page";
import { entityDetail, entityKindOf } from "~/lake/entities.server";
import { maskPersonalEntity } from "~/lake/entity-privacy";
import { seesLakeRows } from "~/lake/hierarchy";
import { withLakeAccess } from "~/lake/hierarchy.server";
import { formatWhen } from "~/utils/date-format";

/**
 * One canonical entity: its columns, the source records it was built from,
 * and the raw versions behind them, newest first. Raw payloads carry people's
 * names and addresses as the source sent them, so a caller who sees only the
 * lake's aggregates (a viewer, a member no lake user matches) sees the entity
 * masked and the versions without their payloads.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const type = params.type ?? "";
  const kind = entityKindOf(type);
  const id = z.uuid().safeParse(params.id);
  invariantFound(kind, "No such entity type");
  invariantFound(id.data, "No such entity");
  const { entity, personal } = await withLakeAccess(viewer, async (tx, access) => ({
    entity: await entityDetail(tx, kind, id.data),
    personal: seesLakeRows(access),
  }));
  invariantFound(entity, "No such entity");
  const shown = personal ? entity : maskPersonalEntity(kind, entity);
  return {
    type,
    kind,
    entity: { ...shown, history: entity.history.map((version) => ({ ...version, payload: personal ? version.payload : null })) },
    seesPayloads: personal,
  };
}

type Detail = SerializeFrom<typeof loader>["entity"];

const sourceColumns: DataColumn<Detail["sources"][number]>[] = [
  { header: "Source", rowHeader: true, cell: (ref) => SOURCE_LABEL[ref.source] },
  { header: "Record", cell: (ref) => `${ref.entity} #${ref.sourceId}` },
  { header: "Last seen", cellClassName: "whitespace-nowrap", cell: (ref) => formatWhen(ref.seenAt) },
  { header: "State", cell: (ref) => (ref.removedAt ? <Badge tone="gray">removed {formatWhen(ref.removedAt)}</Badge> : <Badge tone="green">in source</Badge>) },
];

function historyColumns(seesPayloads: boolean): DataColumn<Detail["history"][number]>[] {
  return [
    { header: "Fetched", rowHeader: true, cellClassName: "whitespace-nowrap font-normal", cell: (version) => formatWhen(version.fetchedAt) },
    { header: "Record", cell: (version) => `${SOURCE_LABEL[version.source]} ${version.entity} #${version.sourceId}` },
    { header: "Version", cell: (version) => (version.removed ? <Badge tone="gray">removed</Badge> : (version.version ?? "—")) },
    ...(seesPayloads
      ? [
          {
            header: "Payload",
            cell: (version: Detail["history"][number]) => (
              <details>
                <summary className="cursor-pointer text-brand-700">Show</summary>
                <pre className="mt-2 max-w-2xl overflow-x-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(version.payload, null, 2)}</pre>
              </details>
            ),
          },
        ]
      : []),
  ];
}

export default function EntityDetail() {
  const { type, kind, entity, seesPayloads } = useLoaderData<typeof loader>();
  const attributes = Object.entries(entity.attributes).filter(([, value]) => value !== null && value !== "");
  return (
    <Page
      title={entity.label || "(no name)"}
      description={`${kind} · ${entity.deletedAt ? `deleted ${formatWhen(entity.deletedAt)}` : entity.active ? "active" : "archived"}`}
      actions={
        <Link to={`/app/data?type=${type}`} className="text-sm font-medium text-brand-700 hover:underline">
          Back to {type}
        </Link>
      }
    >
      <div className="grid gap-6">
        <Section id="attributes" title="Canonical record">
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            {attributes.map(([column, value]) => (
              <div key={column} className="flex gap-2">
                <dt className="w-40 shrink-0 text-slate-500">{column.replaceAll("_", " ")}</dt>
                <dd className="min-w-0 break-words text-slate-900">{typeof value === "object" ? JSON.stringify(value) : String(value)}</dd>
              </div>
            ))}
          </dl>
        </Section>
        <Section id="source-records" title="Source records">
          <DataTable
            variant="inline"
            columns={sourceColumns}
            rows={entity.sources}
            rowKey={(ref) => `${ref.source}:${ref.entity}:${ref.sourceId}`}
            caption="Where this entity came from"
          />
        </Section>
        <Section id="raw-history" title="Raw history">
          {seesPayloads ? null : (
            <p className="mb-3 text-sm text-slate-600">Payloads hold personal data as the source sent it; your role sees the versions only.</p>
          )}
          {entity.history.length ? (
            <DataTable
              variant="inline"
              columns={historyColumns(seesPayloads)}
              rows={entity.history}
              rowKey={(version) => version.id}
              caption="Raw versions, newest first"
            />
          ) : (
            <p className="text-sm text-slate-600">No raw versions.</p>
          )}
        </Section>
      </div>
    </Page>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.entity.label ?? "Entity"} · Data · Nexius Leads` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
