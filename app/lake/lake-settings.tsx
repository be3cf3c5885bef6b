import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import { Field, SelectField } from "~/components/forms";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Notice, Section } from "~/dashboard/section";
import { Outcome, useBusy, useSettingsForm, useSettingsResult } from "~/settings/settings-form-state";
import { SettingsForm } from "~/settings/settings-forms";
import { formatWhen } from "~/utils/date-format";
import { connectionTone, SOURCE_LABEL } from "./data-page";
import { type LakeSource } from "./pipeline";
import { FRESHNESS_SLAS, formatMinutes, formatReconcileHour, INCREMENTAL_INTERVALS, type SyncSchedule } from "./sync-schedule";

/**
 * The data sources on the settings page: the Microsoft 365 connection (see,
 * connect, test, disconnect) and each source's sync schedule. Everyone who
 * sees Settings sees them; only admins get the buttons.
 */
type Instant = string | Date | null;

export type M365ConnectionProps = {
  directoryId: string | null;
  status: string;
  lastError: string | null;
  checkedAt: Instant;
  connectedAt: Instant;
  connectedBy: string | null;
  ownClientId: string | null;
  consentAvailable: boolean;
  quotaRefusal: string | null;
};

export function M365Section({
  connection,
  canManage,
  consentNotice,
  consentRedirectUri,
}: {
  connection: M365ConnectionProps;
  canManage: boolean;
  consentNotice: { ok: boolean; message: string } | null;
  consentRedirectUri: string;
}) {
  const result = useSettingsResult(["m365-connect", "m365-test", "m365-disconnect"]);
  const connected = connection.directoryId !== null;
  const connecting = useBusy("m365-connect");
  const testing = useBusy("m365-test");
  const disconnecting = useBusy("m365-disconnect");
  return (
    <Section id="m365" title="Microsoft 365" actions={<Badge tone={connectionTone(connection.status)}>{connection.status.replaceAll("_", " ")}</Badge>}>
      {consentNotice && !result ? <Notice ok={consentNotice.ok}>{consentNotice.message}</Notice> : null}
      <Outcome result={result} />
      {connection.quotaRefusal && !result ? <Notice ok={false}>{connection.quotaRefusal}</Notice> : null}
      <p className="mb-3 text-sm text-slate-600">
        The data lake reads users, contacts and calendars of your Microsoft 365 directory through Microsoft Graph, with the read-only application permissions a
        directory administrator grants once (User.Read.All, Contacts.Read, Calendars.Read).
      </p>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Directory (tenant) id</dt>
        <dd className="break-all font-mono text-xs leading-5 text-slate-900">{connection.directoryId ?? "None"}</dd>
        <dt className="text-slate-500">Connected</dt>
        <dd className="text-slate-900">
          {connected ? `${formatWhen(connection.connectedAt)}${connection.connectedBy ? ` by ${connection.connectedBy}` : ""}` : "Not connected"}
        </dd>
        <dt className="text-slate-500">Last checked</dt>
        <dd className="text-slate-900">{connection.checkedAt ? formatWhen(connection.checkedAt) : "Never"}</dd>
        <dt className="text-slate-500">Last error</dt>
        <dd className="break-words text-slate-900">{connection.lastError ?? "None"}</dd>
        <dt className="text-slate-500">App registration</dt>
        <dd className="text-slate-900">
          {connection.ownClientId ? (
            <>
              This workspace&apos;s own, <span className="break-all font-mono text-xs">{connection.ownClientId}</span> (its secret is stored encrypted)
            </>
          ) : (
            "The platform's"
          )}
        </dd>
      </dl>
      {canManage ? (
        <div className="mt-4 flex flex-wrap items-start gap-2">
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="m365-connect" />
            <Button type="submit" disabled={connecting || !connection.consentAvailable || connection.quotaRefusal !== null}>
              {connecting ? "Opening Microsoft…" : connected ? "Reconnect" : "Connect"}
            </Button>
          </Form>
          {connected ? (
            <>
              <Form method="post" preventScrollReset>
                <input type="hidden" name="intent" value="m365-test" />
                <Button type="submit" variant="secondary" disabled={testing}>
                  {testing ? "Testing…" : "Test connection"}
                </Button>
              </Form>
              <details className="w-full rounded-md border border-slate-200 p-3 text-sm">
                <summary className="cursor-pointer font-medium text-red-700">Disconnect…</summary>
                <p className="mt-2 text-slate-700">
                  Scheduled and manual syncs of Microsoft 365 stop, and the directory id is forgotten. The users, contacts and activities already loaded stay in
                  the lake (marked as of their last sync) until you connect again.
                </p>
                <Form method="post" preventScrollReset className="mt-2">
                  <input type="hidden" name="intent" value="m365-disconnect" />
                  <Button type="submit" variant="danger" disabled={disconnecting}>
                    {disconnecting ? "Disconnecting…" : "Disconnect Microsoft 365"}
                  </Button>
                </Form>
              </details>
            </>
          ) : null}
          {connection.consentAvailable ? (
            <p className="w-full text-xs text-slate-500">
              Connect sends you to Microsoft to sign in as an administrator of the directory and grant the permissions.
            </p>
          ) : (
            <p className="w-full text-xs text-slate-500">
              This platform has no Microsoft Entra app registration configured (MS_CLIENT_ID): connect with your own app registration below.
            </p>
          )}
          <AppRegistrationForm connection={connection} consentRedirectUri={consentRedirectUri} />
        </div>
      ) : (
        <p className="mt-3 text-xs text-slate-500">Only a workspace admin connects, tests or disconnects Microsoft 365.</p>
      )}
    </Section>
  );
}

/**
 * A workspace that prefers its own Entra app registration to the platform's
 * enters its ids and a client secret; the secret field is write-only (never
 * filled in, never sent back) and blank keeps the stored one.
 */
function AppRegistrationForm({ connection, consentRedirectUri }: { connection: M365ConnectionProps; consentRedirectUri: string }) {
  const { result, form, fields } = useSettingsForm("m365-app", {
    directoryId: connection.directoryId ?? "",
    clientId: connection.ownClientId ?? "",
    clientSecret: "",
  });
  const busy = useBusy("m365-app");
  const hasOwn = connection.ownClientId !== null;
  return (
    <details className="w-full rounded-md border border-slate-200 p-3 text-sm" open={Boolean(result)}>
      <summary className="cursor-pointer font-medium text-slate-900">{hasOwn ? "Your own app registration…" : "Use your own app registration…"}</summary>
      <p className="mt-2 text-slate-600">
        Register an app in your Entra admin center, add the application permissions User.Read.All, Contacts.Read and Calendars.Read, grant admin consent for
        your organization, and create a client secret. To use Connect with it, add <span className="break-all font-mono text-xs">{consentRedirectUri}</span> as
        a web redirect URI. Saving tests the connection.
      </p>
      <Form method="post" {...getFormProps(form)} key={`${connection.directoryId}|${connection.ownClientId}`} preventScrollReset className="mt-3 space-y-3">
        <Outcome result={result} />
        <input type="hidden" name="intent" value="m365-app" />
        <Field
          label="Directory (tenant) ID"
          inputProps={{ ...getInputProps(fields.directoryId, { type: "text" }), autoComplete: "off", spellCheck: false }}
          errors={fields.directoryId.errors}
        />
        <Field
          label="Application (client) ID"
          inputProps={{ ...getInputProps(fields.clientId, { type: "text" }), autoComplete: "off", spellCheck: false }}
          errors={fields.clientId.errors}
        />
        <Field
          label="Client secret"
          help={hasOwn ? "Leave blank to keep the stored secret." : "The secret's value (not its id), as Entra showed it once when you created it."}
          inputProps={{ ...getInputProps(fields.clientSecret, { type: "password" }), defaultValue: "", autoComplete: "new-password" }}
          errors={fields.clientSecret.errors}
        />
        <Button type="submit" disabled={busy}>
          {busy ? "Saving and testing…" : "Save and test"}
        </Button>
      </Form>
    </details>
  );
}

export function SyncScheduleSection({ schedules, canManage }: { schedules: Array<SyncSchedule & { source: LakeSource }>; canManage: boolean }) {
  return (
    <Section id="sync-schedule" title="Sync schedule">
      <p className="mb-3 text-sm text-slate-600">
        Each connected source is synced incrementally at its interval and reconciled in full once a night; data older than its freshness target raises an alert
        on the dashboard.
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        {schedules.map((schedule) => (
          <ScheduleForm key={schedule.source} schedule={schedule} canManage={canManage} />
        ))}
      </div>
    </Section>
  );
}

function ScheduleForm({ schedule, canManage }: { schedule: SyncSchedule & { source: LakeSource }; canManage: boolean }) {
  const answered = useSettingsResult("sync-schedule");
  const result = answered?.submission?.initialValue?.source === schedule.source ? answered : undefined;
  const current = {
    source: schedule.source,
    incrementalEveryMinutes: String(schedule.incrementalEveryMinutes),
    fullReconcileHour: schedule.fullReconcileHour === null ? "off" : String(schedule.fullReconcileHour),
    freshnessSlaMinutes: String(schedule.freshnessSlaMinutes),
  };
  const [form, fields] = useForm({
    id: `sync-schedule-${schedule.source}`,
    lastResult: result?.submission,
    defaultValue: current,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsForm }),
  });
  const busy = useBusy("sync-schedule");
  const label = SOURCE_LABEL[schedule.source];
  return (
    <Form method="post" {...getFormProps(form)} key={Object.values(current).join("|")} preventScrollReset aria-label={`${label} sync schedule`}>
      <fieldset disabled={!canManage} className="space-y-3 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold text-slate-900">{label}</legend>
        <Outcome result={result} />
        <input type="hidden" name="intent" value="sync-schedule" />
        <input type="hidden" name="source" value={schedule.source} />
        <SelectField label="Incremental sync every" selectProps={getSelectProps(fields.incrementalEveryMinutes)} errors={fields.incrementalEveryMinutes.errors}>
          {minuteOptions(INCREMENTAL_INTERVALS)}
        </SelectField>
        <SelectField label="Nightly full reconcile" selectProps={getSelectProps(fields.fullReconcileHour)} errors={fields.fullReconcileHour.errors}>
          <option value="off">Off</option>
          {Array.from({ length: 24 }, (_, hour) => (
            <option key={hour} value={hour}>
              {formatReconcileHour(hour)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Stale after (freshness target)" selectProps={getSelectProps(fields.freshnessSlaMinutes)} errors={fields.freshnessSlaMinutes.errors}>
          {minuteOptions(FRESHNESS_SLAS)}
        </SelectField>
        {canManage ? (
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : `Save ${label} schedule`}
          </Button>
        ) : null}
      </fieldset>
    </Form>
  );
}

function minuteOptions(choices: readonly number[]) {
  return choices.map((minutes) => (
    <option key={minutes} value={minutes}>
      {formatMinutes(minutes)}
    </option>
  ));
}
