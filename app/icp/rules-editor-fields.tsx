import { type InputHTMLAttributes, type ReactNode } from "react";
import { ErrorList, Field, inputClass, SelectField } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { INDUSTRIES } from "./industries";
import { POSTAL_DISTRICTS, REGIONS } from "./postal";
import { FREE_MAIL_POLICIES } from "./rules";
import { COMMON_STATUSES, type FieldErrors, type FormValues } from "./rules-form";

const selectClass = `${inputClass} text-sm`;

const FREE_MAIL_LABELS: Record<(typeof FREE_MAIL_POLICIES)[number], string> = {
  exclude: "Exclude free-mail addresses (gmail.com, …)",
  allow_low_confidence: "Allow them, marked low confidence",
  allow: "Allow them",
};

function list(values: FormValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : v ? [v] : [];
}

function text(values: FormValues, name: string): string {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

const errorsOf = (errors: FieldErrors, name: string) => (errors[name] ? [errors[name]] : undefined);

/**
 * The ICP editor's fields, one section per kind of rule. Inputs are
 * uncontrolled and named as the flat form of rules-form.ts expects; errors
 * come from the last save or the live preview, whichever is newer.
 */
export function IcpRulesFields({
  values,
  errors,
  canEdit,
  saving,
  dirty,
  version,
}: {
  values: FormValues;
  errors: FieldErrors;
  canEdit: boolean;
  saving: boolean;
  dirty: boolean;
  version: number | null;
}) {
  return (
    <fieldset disabled={!canEdit} className="space-y-5">
      <IcpSection title="Industries" hint="Words from the industry vocabulary; each stands for SSIC 2020 code prefixes.">
        <CheckboxList
          name="industries"
          legend="Target industries"
          options={INDUSTRIES.map((i) => ({ value: i.key, label: i.label }))}
          checked={list(values, "industries")}
          error={errors.industries}
        />
        <CheckboxList
          name="excludedIndustries"
          legend="Excluded industries"
          options={INDUSTRIES.map((i) => ({ value: i.key, label: i.label }))}
          checked={list(values, "excludedIndustries")}
          error={errors.excludedIndustries}
        />
      </IcpSection>

      <IcpSection title="SSIC codes" hint="Codes or prefixes of 1–5 digits, separated by commas.">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name="ssicInclude" label="Include" defaultValue={text(values, "ssicInclude")} error={errors.ssicInclude} placeholder="62, 5820" />
          <TextField name="ssicExclude" label="Exclude" defaultValue={text(values, "ssicExclude")} error={errors.ssicExclude} placeholder="64" />
        </div>
        <label className="mt-3 flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="includeSecondarySsic"
            defaultChecked={text(values, "includeSecondarySsic") === "on"}
            className="h-4 w-4 rounded border-slate-300"
          />
          Also match the secondary SSIC code
        </label>
      </IcpSection>

      <IcpSection title="Registry filters">
        <CheckboxList
          name="statuses"
          legend="Statuses"
          options={[...new Set([...COMMON_STATUSES, ...list(values, "statuses")])].map((s) => ({ value: s, label: s }))}
          checked={list(values, "statuses")}
          error={errors.statuses}
          compact
        />
        <TextField
          name="entityTypes"
          label="Entity types"
          defaultValue={text(values, "entityTypes")}
          error={errors.entityTypes}
          placeholder="Local Company, Limited Liability Partnership"
          hint="Leave empty for any type."
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="incorporatedFrom"
            label="Incorporated from"
            type="date"
            defaultValue={text(values, "incorporatedFrom")}
            error={errors.incorporatedFrom}
          />
          <TextField name="incorporatedTo" label="Incorporated until" type="date" defaultValue={text(values, "incorporatedTo")} error={errors.incorporatedTo} />
          <TextField name="ageMin" label="Age at least (years)" type="number" inputMode="decimal" defaultValue={text(values, "ageMin")} error={errors.ageMin} />
          <TextField name="ageMax" label="Age at most (years)" type="number" inputMode="decimal" defaultValue={text(values, "ageMax")} error={errors.ageMax} />
        </div>
      </IcpSection>

      <IcpSection title="Location">
        <CheckboxList
          name="regions"
          legend="Regions"
          options={REGIONS.map((r) => ({ value: r, label: r }))}
          checked={list(values, "regions")}
          error={errors.regions}
          compact
        />
        <CheckboxList
          name="postalDistricts"
          legend="Postal districts"
          options={POSTAL_DISTRICTS.map((d) => ({
            value: String(d.district),
            label: `D${String(d.district).padStart(2, "0")} ${d.name}`,
          }))}
          checked={list(values, "postalDistricts")}
          error={errors.postalDistricts}
        />
      </IcpSection>

      <IcpSection title="Company names" hint="Words a company's registered name must (not) contain.">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="nameInclude"
            label="Name contains"
            defaultValue={text(values, "nameInclude")}
            error={errors.nameInclude}
            placeholder="tech, digital"
          />
          <TextField
            name="nameExclude"
            label="Name does not contain"
            defaultValue={text(values, "nameExclude")}
            error={errors.nameExclude}
            placeholder="holdings"
          />
        </div>
      </IcpSection>

      <IcpSection title="After enrichment" hint="The registry has no headcount: the employee range filters companies once their websites are read.">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="employeesMin"
            label="Employees at least"
            type="number"
            inputMode="numeric"
            defaultValue={text(values, "employeesMin")}
            error={errors.employeesMin}
          />
          <TextField
            name="employeesMax"
            label="Employees at most"
            type="number"
            inputMode="numeric"
            defaultValue={text(values, "employeesMax")}
            error={errors.employeesMax}
          />
        </div>
        <TextField
          name="contactTitles"
          label="Contact titles"
          defaultValue={text(values, "contactTitles")}
          error={errors.contactTitles}
          placeholder="Founder, CEO, Head of Sales"
        />
        <SelectField
          label="Free-mail addresses"
          selectProps={{
            id: "freeMail",
            name: "freeMail",
            defaultValue: text(values, "freeMail"),
            className: selectClass,
          }}
          errors={errorsOf(errors, "freeMail")}
        >
          <option value="">Platform default</option>
          {FREE_MAIL_POLICIES.map((p) => (
            <option key={p} value={p}>
              {FREE_MAIL_LABELS[p]}
            </option>
          ))}
        </SelectField>
      </IcpSection>

      <IcpSection title="Runs and scoring">
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-700">
            <input
              type="checkbox"
              name="nightlyEnabled"
              defaultChecked={text(values, "nightlyEnabled") === "on"}
              className="h-4 w-4 rounded border-slate-300"
            />
            Run nightly
          </label>
          <SelectField
            label="At (Singapore time)"
            selectProps={{
              id: "nightlyHour",
              name: "nightlyHour",
              defaultValue: text(values, "nightlyHour"),
              className: selectClass,
            }}
            errors={errorsOf(errors, "nightlyHour")}
          >
            <option value="">Platform default</option>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={String(h)}>
                {String(h).padStart(2, "0")}:00
              </option>
            ))}
          </SelectField>
          <TextField
            name="dailyCap"
            label="Companies per day (cap)"
            type="number"
            inputMode="numeric"
            defaultValue={text(values, "dailyCap")}
            error={errors.dailyCap}
          />
          <TextField
            name="candidateFloor"
            label="Alert below this many candidates"
            type="number"
            inputMode="numeric"
            defaultValue={text(values, "candidateFloor")}
            error={errors.candidateFloor}
          />
          <TextField
            name="scoreHigh"
            label="High from score"
            type="number"
            inputMode="decimal"
            defaultValue={text(values, "scoreHigh")}
            error={errors.scoreHigh}
          />
          <TextField
            name="scoreMedium"
            label="Medium from score"
            type="number"
            inputMode="decimal"
            defaultValue={text(values, "scoreMedium")}
            error={errors.scoreMedium}
          />
        </div>
      </IcpSection>

      {canEdit ? (
        <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 py-3">
          <Button type="submit" disabled={saving}>
            {saving ? "Saving…" : `Save as version ${(version ?? 0) + 1}`}
          </Button>
          <span className="text-xs text-slate-500">{dirty ? "Unsaved changes; the preview shows them." : "No unsaved changes."}</span>
        </div>
      ) : null}
    </fieldset>
  );
}

function IcpSection({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label={title}>
      <div>
        <h2 className="font-semibold text-slate-900">{title}</h2>
        {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      </div>
      {children}
    </section>
  );
}

function TextField({
  name,
  label,
  defaultValue,
  error,
  hint,
  ...input
}: {
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
  hint?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue">) {
  return (
    <Field
      label={label}
      inputProps={{
        id: name,
        name,
        defaultValue,
        className: `${inputClass} text-sm`,
        ...input,
      }}
      help={hint && !error ? hint : undefined}
      errors={error ? [error] : undefined}
    />
  );
}

function CheckboxList({
  name,
  legend,
  options,
  checked,
  error,
  compact,
}: {
  name: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  checked: string[];
  error?: string;
  compact?: boolean;
}) {
  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined} aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-700">
        {legend} <span className="font-normal text-slate-500">({checked.length ? `${checked.length} selected` : "none: any"})</span>
      </legend>
      <div
        className={`mt-1 grid gap-x-4 gap-y-1 rounded-md border p-2 sm:grid-cols-2 ${compact ? "" : "max-h-48 overflow-y-auto"} ${error ? "border-red-500" : "border-slate-200"}`}
      >
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} className="h-4 w-4 rounded border-slate-300" />
            {o.label}
          </label>
        ))}
      </div>
      <ErrorList id={`${name}-error`} errors={error ? [error] : undefined} />
    </fieldset>
  );
}
