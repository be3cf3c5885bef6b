import { getFormProps, getInputProps } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import { type ReactNode } from "react";
import { ErrorList, Field } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { Section } from "~/dashboard/section";
import { formatWhen } from "~/utils/date-format";
import { Outcome, useBusy, useSettingsForm } from "./settings-form-state";
import { FREE_MAIL_CHOICES, ODOO_PUSH_MODES, type FreeMailPolicy, type OdooPushMode, type SettingsIntent } from "./settings-forms";

/** The workspace policies on the settings page: free-mail, Odoo push mode, score thresholds, token budget. */
function ChoiceForm<T extends string>({
  id,
  title,
  intent,
  name,
  current,
  choices,
  note,
}: {
  id: string;
  title: string;
  intent: SettingsIntent;
  name: string;
  current: T;
  choices: ReadonlyArray<{ value: T; label: string; help: string }>;
  note?: ReactNode;
}) {
  const { result, form, fields } = useSettingsForm(intent, { [name]: current });
  const busy = useBusy(intent);
  const errors = fields[name]?.errors;
  const errorId = `${form.id}-${name}-error`;
  return (
    <Section id={id} title={title}>
      <Outcome result={result} />
      <Form method="post" {...getFormProps(form)} key={current} preventScrollReset>
        <input type="hidden" name="intent" value={intent} />
        <fieldset aria-invalid={errors ? true : undefined} aria-describedby={errors ? errorId : undefined}>
          <legend className="sr-only">{title}</legend>
          <div className="space-y-2">
            {choices.map((c) => (
              <label
                key={c.value}
                className="flex gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
              >
                <input type="radio" name={name} value={c.value} defaultChecked={c.value === current} className="mt-0.5" />
                <span>
                  <span className="block font-medium text-slate-900">
                    {c.label}
                    {c.value === current ? <span className="ml-2 text-xs font-normal text-slate-500">(current)</span> : null}
                  </span>
                  <span className="block text-slate-600">{c.help}</span>
                </span>
              </label>
            ))}
          </div>
          <ErrorList id={errorId} errors={errors} />
        </fieldset>
        {note ? <p className="mt-2 text-xs text-slate-500">{note}</p> : null}
        <Button type="submit" className="mt-3" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </Button>
      </Form>
    </Section>
  );
}

export function FreeMailSection({ current }: { current: FreeMailPolicy }) {
  return (
    <ChoiceForm
      id="free-mail"
      title="Free-mail addresses"
      intent="free-mail"
      name="freeMail"
      current={current}
      choices={FREE_MAIL_CHOICES}
      note="Saved as a new version of the ICP; suppression lists always win."
    />
  );
}

export function PushModeSection({ current, latestRun }: { current: OdooPushMode; latestRun: { id: string; runDate: string } | null }) {
  const note =
    current !== "on_approval" ? undefined : latestRun ? (
      <Link to={`/app/runs/${latestRun.id}#odoo-push`} className="text-brand-700 underline">
        Review the dry-run of the run of {latestRun.runDate} and approve it
      </Link>
    ) : (
      "Each finished run's page shows its dry-run and the Approve button."
    );
  return <ChoiceForm id="odoo-push" title="Odoo push" intent="push-mode" name="odooPushMode" current={current} choices={ODOO_PUSH_MODES} note={note} />;
}

export function ThresholdsSection({ current }: { current: { high: number; medium: number } }) {
  const { result, form, fields } = useSettingsForm("thresholds", {
    high: String(current.high),
    medium: String(current.medium),
  });
  const busy = useBusy("thresholds");
  return (
    <Section id="thresholds" title="Score thresholds">
      <Outcome result={result} />
      <Form method="post" {...getFormProps(form)} preventScrollReset>
        <input type="hidden" name="intent" value="thresholds" />
        <p className="mb-3 text-sm text-slate-600">Scores run from 0 to 100: at or above High is High, at or above Medium is Medium, the rest Low.</p>
        <div className="grid grid-cols-2 gap-3">
          <Field
            label="High from"
            inputProps={{
              ...getInputProps(fields.high, { type: "text" }),
              inputMode: "numeric",
            }}
            errors={fields.high.errors}
          />
          <Field
            label="Medium from"
            inputProps={{
              ...getInputProps(fields.medium, { type: "text" }),
              inputMode: "numeric",
            }}
            errors={fields.medium.errors}
          />
        </div>
        <Button type="submit" className="mt-3" disabled={busy}>
          {busy ? "Saving…" : "Save thresholds"}
        </Button>
      </Form>
    </Section>
  );
}

export function BudgetSection({ current, updatedBy, updatedAt }: { current: number; updatedBy: string | null; updatedAt: string | Date | null }) {
  const { result, form, fields } = useSettingsForm("budget", {
    dailyTokenBudget: String(current),
  });
  const busy = useBusy("budget");
  return (
    <Section id="budget" title="Daily token budget">
      <Outcome result={result} />
      <Form method="post" {...getFormProps(form)} preventScrollReset>
        <input type="hidden" name="intent" value="budget" />
        <Field
          label="LLM tokens per day (Singapore time)"
          inputProps={{
            ...getInputProps(fields.dailyTokenBudget, { type: "text" }),
            inputMode: "numeric",
          }}
          help={`When it is used up, rationales use the template text until midnight.${updatedBy ? ` Last changed by ${updatedBy}, ${formatWhen(updatedAt)}.` : ""}`}
          errors={fields.dailyTokenBudget.errors}
        />
        <Button type="submit" className="mt-3" disabled={busy}>
          {busy ? "Saving…" : "Save budget"}
        </Button>
      </Form>
    </Section>
  );
}

export function WebsiteContactsSection({ current }: { current: number }) {
  const { result, form, fields } = useSettingsForm("website-contacts", {
    minWebsiteContacts: String(current),
  });
  const busy = useBusy("website-contacts");
  return (
    <Section id="website-contacts" title="Contacts from the website">
      <Outcome result={result} />
      <Form method="post" {...getFormProps(form)} preventScrollReset>
        <input type="hidden" name="intent" value="website-contacts" />
        <Field
          label="Role-qualified people the website must name"
          inputProps={{
            ...getInputProps(fields.minWebsiteContacts, { type: "text" }),
            inputMode: "numeric",
          }}
          help="When a company's own team pages name at least this many people with the ICP's contact titles, the paid LinkedIn search (three Apify actor runs) is skipped for it. 1 to 20."
          errors={fields.minWebsiteContacts.errors}
        />
        <Button type="submit" className="mt-3" disabled={busy}>
          {busy ? "Saving…" : "Save minimum"}
        </Button>
      </Form>
    </Section>
  );
}
