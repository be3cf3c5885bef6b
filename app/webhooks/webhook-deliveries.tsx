import { Form, useActionData } from "@remix-run/react";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice, Section } from "~/dashboard/section";
import { formatLatencyMs, formatWhen } from "~/utils/date-format";
import { type DeliveryLogEntry } from "./delivery-log";

/**
 * The webhook delivery log with each attempt and a Replay button (intent
 * `replay-delivery`), for every page that owns endpoints: alert channels and
 * the platform's event webhooks.
 */
type DeliveryView = DeliveryLogEntry<string | Date>;

export function WebhookDeliveriesSection({ deliveries }: { deliveries: DeliveryView[] }) {
  const result = useActionData<{ intent?: string | null; ok: boolean; message: string }>();
  const replayed = result?.intent === "replay-delivery" ? result : undefined;
  return (
    <Section id="webhook-deliveries" title="Webhook deliveries">
      {replayed ? <Notice ok={replayed.ok}>{replayed.message}</Notice> : null}
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-500">No webhook has been sent yet.</p>
      ) : (
        <DataTable
          label="Webhook deliveries"
          rowKey={(d) => d.id}
          rows={deliveries}
          columns={[
            { header: "Sent", cell: (d) => formatWhen(d.createdAt) },
            { header: "Event", cell: (d) => `${d.eventType}${d.replayOf ? " (replay)" : ""}` },
            { header: "Receiver", cellClassName: "break-all text-slate-700", cell: (d) => d.endpointUrl },
            { header: "Status", cell: (d) => <Badge tone={statusTone(d.status)}>{d.status}</Badge> },
            {
              header: "Attempts",
              cell: (d) => (
                <ul className="text-xs text-slate-600">
                  {d.log.map((a) => (
                    <li key={a.attempt}>
                      #{a.attempt} {a.statusCode ?? "—"} in {formatLatencyMs(a.durationMs)}
                      {a.error ? ` · ${a.error}` : ""}
                    </li>
                  ))}
                </ul>
              ),
            },
            {
              header: <span className="sr-only">Replay</span>,
              cell: (d) => (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="intent" value="replay-delivery" />
                  <input type="hidden" name="deliveryId" value={d.id} />
                  <Button type="submit" variant="secondary">
                    Replay
                  </Button>
                </Form>
              ),
            },
          ]}
        />
      )}
    </Section>
  );
}
