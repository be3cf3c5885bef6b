import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/forms";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Page } from "~/components/ui/page";
import { Notice, Section } from "~/dashboard/section";
import { platformDb } from "~/db.server";
import { invariantFound } from "~/http.server";
import { eventWebhooksAction, eventWebhooksPage, type EventWebhookActionResult } from "~/webhooks/event-endpoints.server";
import { WEBHOOK_HEADERS } from "~/webhooks/signature.server";
import { WebhookDeliveriesSection } from "~/webhooks/webhook-deliveries";

/**
 * Event webhooks (platform owners): endpoints that hear the platform's events
 * (tenant created, paused, resumed, decommissioned; operation and run
 * finished; alert raised), for every tenant or, with `?tenant=<id>`, for one.
 */
async function ownerOf(request: Request) {
  const tenantParam = new URL(request.url).searchParams.get("tenant");
  if (!tenantParam) return { tenantId: null, tenant: null };
  const id = z.uuid().safeParse(tenantParam);
  const tenant = id.success ? await platformDb.tenant.findUnique({ where: { id: id.data }, select: { id: true, slug: true, name: true } }) : null;
  invariantFound(tenant, "No such tenant");
  return { tenantId: tenant.id, tenant };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformUser(request, ["platform_owner"]);
  const { tenantId, tenant } = await ownerOf(request);
  return { ...(await eventWebhooksPage({ tenantId })), tenant, headers: WEBHOOK_HEADERS };
}

export async function action({ request }: ActionFunctionArgs): Promise<EventWebhookActionResult> {
  const viewer = await requirePlatformUser(request, ["platform_owner"]);
  const { tenantId } = await ownerOf(request);
  return eventWebhooksAction(await request.formData(), { tenantId }, { sub: viewer.sub, email: viewer.email });
}

export default function EventWebhooks() {
  const { endpoints, deliveries, eventTypes, tenant, headers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page
      title={tenant ? `Event webhooks · ${tenant.name}` : "Event webhooks"}
      description={
        tenant ? `Events of ${tenant.slug} only. The platform's endpoints hear them too.` : "Events of every workspace, for n8n, Zapier or any HTTP endpoint."
      }
    >
      <div className="space-y-6">
        {result && result.intent !== "replay-delivery" ? <Notice ok={result.ok}>{result.message}</Notice> : null}
        {result?.secret ? (
          <p className="break-all rounded bg-slate-100 p-2 font-mono text-xs" aria-label="Signing secret">
            {result.secret}
          </p>
        ) : null}
        <Section id="endpoints" title="Endpoints">
          {endpoints.length === 0 ? (
            <p className="text-sm text-slate-500">No endpoint yet.</p>
          ) : (
            <DataTable
              label="Endpoints"
              rowKey={(e) => e.id}
              rows={endpoints}
              columns={[
                { header: "URL", cellClassName: "break-all", cell: (e) => e.url },
                { header: "Description", cell: (e) => e.description },
                { header: "Events", cellClassName: "font-mono text-xs", cell: (e) => e.eventTypes.join(", ") },
                { header: "State", cell: (e) => <Badge tone={e.enabled ? "green" : "gray"}>{e.enabled ? "enabled" : "disabled"}</Badge> },
                {
                  header: <span className="sr-only">Change</span>,
                  cell: (e) => (
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="intent" value="toggle-endpoint" />
                      <input type="hidden" name="endpointId" value={e.id} />
                      <input type="hidden" name="enabled" value={e.enabled ? "false" : "true"} />
                      <Button type="submit" variant="secondary">
                        {e.enabled ? "Disable" : "Enable"}
                      </Button>
                    </Form>
                  ),
                },
              ]}
            />
          )}
          <Form method="post" aria-label="Add an endpoint" className="mt-4 space-y-3 rounded-md border border-slate-200 p-4">
            <input type="hidden" name="intent" value="add-endpoint" />
            <Field
              label="Receiver URL"
              help={`HTTPS; each request carries ${headers.timestamp} and ${headers.signature} (v1=HMAC-SHA256 of "timestamp.body" with the endpoint's secret).`}
              inputProps={{ name: "url", type: "url", required: true }}
            />
            <Field label="Description" inputProps={{ name: "description", type: "text" }} />
            <fieldset>
              <legend className="text-sm font-medium text-slate-700">Events</legend>
              <div className="mt-1 flex flex-wrap gap-3">
                {eventTypes.map((type) => (
                  <label key={type} className="flex items-center gap-1 font-mono text-xs text-slate-700">
                    <input type="checkbox" name="eventTypes" value={type} defaultChecked /> {type}
                  </label>
                ))}
              </div>
            </fieldset>
            <Button type="submit">Add endpoint</Button>
          </Form>
        </Section>
        <WebhookDeliveriesSection deliveries={deliveries} />
      </div>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "Event webhooks · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
