import { getFormProps, getInputProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Section } from "~/dashboard/section";
import { Outcome, useBusy, useSettingsForm } from "~/settings/settings-form-state";
import { formatDate, formatWhen } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";
import { formatWindow, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, RETENTION_CLASS_INFO, type RetentionClass } from "./retention-windows";

/**
 * The Retention section of the settings page: how long each class of data is
 * kept (the platform default, or the workspace's override) and what the last
 * daily sweep removed. Admins set the overrides; ops read them.
 */
type Instant = string | Date;

export type RetentionClassProps = {
  dataClass: RetentionClass;
  defaultDays: number | null;
  overrideDays: number | null;
  days: number | null;
  lastSweep: { finishedAt: Instant; cutoff: Instant; rowsDeleted: number; rowsCleared: number } | null;
};

export function RetentionSection({ classes, lastSweepAt, canManage }: { classes: RetentionClassProps[]; lastSweepAt: Instant | null; canManage: boolean }) {
  return (
    <Section id="retention" title="Retention">
      <p className="mb-3 text-sm text-slate-600">
        A daily sweep removes what is older than each window. Scores, rationales and content hashes stay for audit; the text behind them goes. Last sweep:{" "}
        <span className="font-medium text-slate-900">{lastSweepAt ? formatWhen(lastSweepAt) : "not yet"}</span>.
      </p>
      <DataTable
        label="Retention windows"
        rowKey={(c) => c.dataClass}
        rows={classes}
        columns={[
          { header: "Data", rowHeader: true, cell: (c) => RETENTION_CLASS_INFO[c.dataClass].label },
          {
            header: "Kept for",
            cell: (c) => (
              <>
                {formatWindow(c.days)}
                <span className="ml-1 text-xs text-slate-500">{c.overrideDays === null ? "(default)" : `(default ${formatWindow(c.defaultDays)})`}</span>
              </>
            ),
          },
          { header: "Last swept", cell: (c) => (c.lastSweep ? formatDate(c.lastSweep.finishedAt) : "—") },
          { header: "Removed", align: "right", cell: (c) => (c.lastSweep ? formatCount(c.lastSweep.rowsDeleted) : "—") },
          { header: "Emptied", align: "right", cell: (c) => (c.lastSweep ? formatCount(c.lastSweep.rowsCleared) : "—") },
        ]}
      />
      {canManage ? <OverridesForm classes={classes} /> : <p className="mt-3 text-xs text-slate-500">Only a workspace admin changes the retention windows.</p>}
    </Section>
  );
}

function OverridesForm({ classes }: { classes: RetentionClassProps[] }) {
  const current = Object.fromEntries(classes.map((c) => [c.dataClass, c.overrideDays === null ? "" : String(c.overrideDays)])) as Record<
    RetentionClass,
    string
  >;
  const { result, form, fields } = useSettingsForm<RetentionClass>("retention", current);
  const busy = useBusy("retention");
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      key={Object.values(current).join("|")}
      preventScrollReset
      className="mt-4 space-y-3"
      aria-label="Retention windows"
    >
      <Outcome result={result} />
      <input type="hidden" name="intent" value="retention" />
      <div className="grid gap-3 md:grid-cols-2">
        {classes.map((c) => (
          <Field
            key={c.dataClass}
            label={`${RETENTION_CLASS_INFO[c.dataClass].label} (days)`}
            help={`${RETENTION_CLASS_INFO[c.dataClass].what} Empty: the default, ${formatWindow(c.defaultDays)}.`}
            inputProps={{
              ...getInputProps(fields[c.dataClass], { type: "text" }),
              inputMode: "numeric",
              placeholder: c.defaultDays === null ? "kept" : String(c.defaultDays),
            }}
            errors={fields[c.dataClass].errors}
          />
        ))}
      </div>
      <p className="text-xs text-slate-500">
        Whole days from {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS.toLocaleString("en-SG")}.
      </p>
      <Button type="submit" disabled={busy}>
        {busy ? "Saving…" : "Save retention windows"}
      </Button>
    </Form>
  );
}
