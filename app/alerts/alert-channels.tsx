import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { type ReactNode } from "react";
import { Field, SelectField } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Page } from "~/components/ui/page";
import { Notice, Section } from "~/dashboard/section";
import { type DeliveryLogEntry } from "~/webhooks/delivery-log";
import { WebhookDeliveriesSection } from "~/webhooks/webhook-deliveries";
import { ALERT_SEVERITIES } from "./alert-severity";
import { ChannelForm, type ChannelActionResult, type ChannelIntent, type ChannelRow } from "./channel-forms";

/**
 * Alert channels and the webhook delivery log, for a workspace's Settings →
 * Alerts and the control plane's platform channels (same forms, another owner).
 */
type ChannelView = ChannelRow<string | Date>;
type DeliveryView = DeliveryLogEntry<string | Date>;

function useChannelResult(intent: ChannelIntent) {
  const result = useActionData<ChannelActionResult>();
  return result?.intent === intent ? result : undefined;
}

function useBusy(intent: ChannelIntent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

/** A channels page: the channels with their forms, then the webhook delivery log. */
export function AlertDeliveryPage({
  title,
  description,
  audience,
  channels,
  deliveries,
}: {
  title: string;
  description: ReactNode;
  audience: string;
  channels: ChannelView[];
  deliveries: DeliveryView[];
}) {
  return (
    <Page title={title} description={description}>
      <div className="space-y-6">
        <AlertChannelsSection channels={channels} audience={audience} />
        <WebhookDeliveriesSection deliveries={deliveries} />
      </div>
    </Page>
  );
}

function AlertChannelsSection({ channels, audience }: { channels: ChannelView[]; audience: string }) {
  const removed = useChannelResult("remove-channel");
  return (
    <Section id="alert-channels" title="Alert channels">
      <p className="mb-3 text-sm text-slate-600">
        {audience} Each channel hears of an alert key at most once per de-duplication window; a digest channel gets one email a day (08:00 Singapore) instead.
      </p>
      {removed ? <Notice ok={removed.ok}>{removed.message}</Notice> : null}
      {channels.length === 0 ? (
        <p className="text-sm text-slate-500">No channels yet: alerts are only shown on the dashboards.</p>
      ) : (
        <DataTable
          label="Alert channels"
          rowKey={(c) => c.id}
          rows={channels}
          columns={[
            { header: "Channel", rowHeader: true, cell: (c) => c.name },
            { header: "Sends to", cell: (c) => (c.kind === "email" ? c.emailTo.join(", ") : `Webhook ${c.webhookUrl ?? ""}`) },
            { header: "From severity", cell: (c) => c.minSeverity },
            { header: "Window", cell: (c) => (c.dailyDigest ? "daily digest" : `${c.dedupMinutes} min`) },
            {
              header: <span className="sr-only">Remove</span>,
              cell: (c) => (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="intent" value="remove-channel" />
                  <input type="hidden" name="channelId" value={c.id} />
                  <Button type="submit" variant="ghost" aria-label={`Remove ${c.name}`}>
                    Remove
                  </Button>
                </Form>
              ),
            },
          ]}
        />
      )}
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <EmailChannelForm />
        <WebhookChannelForm />
      </div>
    </Section>
  );
}

function SeverityAndWindow({ fields }: { fields: ChannelFields }) {
  return (
    <>
      <SelectField label="From severity" selectProps={getSelectProps(fields.minSeverity)} errors={fields.minSeverity.errors}>
        {ALERT_SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <Field
        label="De-duplication window (minutes)"
        help="An alert with the same key within this window is not sent again; 0 sends every one."
        inputProps={{ ...getInputProps(fields.dedupMinutes, { type: "text" }), inputMode: "numeric" }}
        errors={fields.dedupMinutes.errors}
      />
    </>
  );
}

function useChannelForm(intent: "add-email" | "add-webhook") {
  const result = useChannelResult(intent);
  const [form, fields] = useForm({
    id: `${intent}-form`,
    lastResult: result?.submission,
    defaultValue: { minSeverity: "warning", dedupMinutes: "60" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChannelForm }),
  });
  return { result, form, fields };
}

type ChannelFields = ReturnType<typeof useChannelForm>["fields"];

/** The frame both add forms share: outcome (and a new webhook's secret), name, their own fields, severity and window. */
function AddChannelForm({
  intent,
  title,
  label,
  submit,
  fields: own,
  after,
}: {
  intent: "add-email" | "add-webhook";
  title: string;
  label: string;
  submit: string;
  fields: (fields: ChannelFields) => ReactNode;
  after?: (fields: ChannelFields) => ReactNode;
}) {
  const { result, form, fields } = useChannelForm(intent);
  const busy = useBusy(intent);
  return (
    <Form method="post" {...getFormProps(form)} preventScrollReset aria-label={label} className="space-y-3 rounded-md border border-slate-200 p-4">
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      {result ? <Notice ok={result.ok}>{result.message}</Notice> : null}
      {result?.secret ? (
        <p className="break-all rounded bg-slate-100 p-2 font-mono text-xs" aria-label="Signing secret">
          {result.secret}
        </p>
      ) : null}
      <input type="hidden" name="intent" value={intent} />
      <Field label="Name" inputProps={getInputProps(fields.name, { type: "text" })} errors={fields.name.errors} />
      {own(fields)}
      <SeverityAndWindow fields={fields} />
      {after?.(fields)}
      <Button type="submit" disabled={busy}>
        {busy ? "Adding…" : submit}
      </Button>
    </Form>
  );
}

function EmailChannelForm() {
  return (
    <AddChannelForm
      intent="add-email"
      title="Email"
      label="Add an email channel"
      submit="Add email channel"
      fields={(fields) => (
        <Field
          label="Recipients"
          help="Email addresses, separated by commas."
          inputProps={getInputProps(fields.emailTo, { type: "text" })}
          errors={fields.emailTo.errors}
        />
      )}
      after={(fields) => (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input {...getInputProps(fields.dailyDigest, { type: "checkbox" })} />
          Daily digest instead of one email per alert
        </label>
      )}
    />
  );
}

function WebhookChannelForm() {
  return (
    <AddChannelForm
      intent="add-webhook"
      title="Signed webhook"
      label="Add a webhook channel"
      submit="Add webhook channel"
      fields={(fields) => (
        <Field
          label="Receiver URL"
          help="HTTPS; each request carries X-Nexius-Timestamp and X-Nexius-Signature (HMAC-SHA256 of timestamp.body)."
          inputProps={getInputProps(fields.url, { type: "url" })}
          errors={fields.url.errors}
        />
      )}
    />
  );
}
