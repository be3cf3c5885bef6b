import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field, SelectField, TextareaField } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { FormCard, keptValue, useBusy, useSettingsForm } from "./settings-form-state";
import { SUPPRESSION_KIND_LABELS, SUPPRESSION_KINDS } from "./suppression";

/** The three ways onto the suppression list: one value, a pasted list, a CSV file. */
/** The kind a bulk upload applies to rows that do not name one; a refused upload keeps the chosen kind. */
function KeptKindSelect({
  label,
  field,
  kept,
  className,
}: {
  label: string;
  field: Parameters<typeof getSelectProps>[0];
  kept: string | undefined;
  className?: string;
}) {
  return (
    <SelectField className={className} label={label} selectProps={{ ...getSelectProps(field), defaultValue: kept ?? "auto" }} errors={field.errors}>
      <KindOptions />
    </SelectField>
  );
}

function KindOptions() {
  return (
    <>
      <option value="auto">Auto-detect</option>
      {SUPPRESSION_KINDS.map((k) => (
        <option key={k} value={k}>
          {SUPPRESSION_KIND_LABELS[k]}
        </option>
      ))}
    </>
  );
}

const optional = (
  <>
    Reason <span className="font-normal text-slate-500">(optional)</span>
  </>
);

export function AddOneForm() {
  const { result, form, fields } = useSettingsForm("suppress-one", {
    kind: "auto",
    value: "",
    reason: "",
  });
  const busy = useBusy("suppress-one");
  return (
    <FormCard title="Add one">
      <Form method="post" {...getFormProps(form)} preventScrollReset>
        <input type="hidden" name="intent" value="suppress-one" />
        <SelectField label="Kind" selectProps={getSelectProps(fields.kind)} errors={fields.kind.errors}>
          <KindOptions />
        </SelectField>
        <Field
          className="mt-3"
          label="Value"
          inputProps={{
            ...getInputProps(fields.value, { type: "text" }),
            placeholder: "jane@acme.sg, acme.sg or 201912345K",
          }}
          errors={fields.value.errors}
        />
        <Field
          className="mt-3"
          label={optional}
          inputProps={{
            ...getInputProps(fields.reason, { type: "text" }),
            maxLength: 200,
          }}
          errors={fields.reason.errors}
        />
        <Button type="submit" className="mt-3 w-full" disabled={busy}>
          {busy ? "Adding…" : "Add to the list"}
        </Button>
      </Form>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={`mt-2 text-sm ${result.ok ? "text-emerald-800" : "text-red-700"}`}>
          {result.ok ? result.message : null}
        </p>
      ) : null}
    </FormCard>
  );
}

export function PasteListForm() {
  const { result, form, fields } = useSettingsForm("suppress-paste", {
    kind: "auto",
    values: "",
    reason: "",
  });
  const busy = useBusy("suppress-paste");
  // The refused lines come back in place of what was pasted; the form is drawn afresh to show them.
  const refused = result?.rowErrors?.length ? keptValue(result, "values") : undefined;
  return (
    <FormCard title="Paste a list">
      <Form method="post" {...getFormProps(form)} key={result ? result.message : "paste"} preventScrollReset>
        <input type="hidden" name="intent" value="suppress-paste" />
        <KeptKindSelect label="Kind" field={fields.kind} kept={keptValue(result, "kind")} />
        <TextareaField
          className="mt-3"
          label="Values, one per line"
          textareaProps={{
            ...getTextareaProps(fields.values),
            rows: 5,
            className: "font-mono text-xs",
            defaultValue: refused ?? fields.values.initialValue,
          }}
          help="Blank lines and lines starting with # are skipped."
          errors={fields.values.errors}
        />
        <Field
          className="mt-3"
          label={optional}
          inputProps={{
            ...getInputProps(fields.reason, { type: "text" }),
            defaultValue: keptValue(result, "reason") ?? fields.reason.initialValue,
            maxLength: 200,
          }}
          errors={fields.reason.errors}
        />
        <Button type="submit" className="mt-3 w-full" disabled={busy}>
          {busy ? "Adding…" : "Add all"}
        </Button>
      </Form>
      {result && !result.submission?.error && !result.rowErrors ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {result.message}
        </p>
      ) : null}
    </FormCard>
  );
}

export function CsvUploadForm() {
  const { result, form, fields } = useSettingsForm("suppress-csv", {
    kind: "auto",
    file: "",
  });
  const busy = useBusy("suppress-csv");
  return (
    <FormCard title="Upload a CSV">
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} key={result ? result.message : "csv"} preventScrollReset>
        <input type="hidden" name="intent" value="suppress-csv" />
        <Field
          label="CSV file (up to 1 MB)"
          inputProps={{
            ...getInputProps(fields.file, { type: "file" }),
            accept: ".csv,text/csv",
            className:
              "mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium",
          }}
          help={
            <>
              Header <code>kind,value,reason</code> (any order), or a single <code>email</code>, <code>domain</code> or <code>uen</code> column. Without a
              header each row is <code>value,reason</code> of the kind below.
            </>
          }
          errors={fields.file.errors}
        />
        <KeptKindSelect className="mt-3" label="Kind for rows that do not say" field={fields.kind} kept={keptValue(result, "kind")} />
        <Button type="submit" className="mt-3 w-full" disabled={busy}>
          {busy ? "Uploading…" : "Upload"}
        </Button>
      </Form>
      {result && !result.rowErrors && !result.submission?.error?.file ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {result.message}
        </p>
      ) : null}
    </FormCard>
  );
}
