import { getCollectionProps, getInputProps, getSelectProps, type FieldMetadata, type useForm } from "@conform-to/react";
import { type InputHTMLAttributes, type ReactNode } from "react";
import { ErrorList, Field, inputClass, SelectField, type ListOfErrors } from "~/components/forms";
import { type IcpFormValues } from "./rules-form";

/**
 * The ICP editor's inputs, bound to its Conform fields. Each shows the errors
 * it is given rather than Conform's own, because the live preview's errors are
 * newer than the last save's while the user edits.
 */
export type IcpRulesFields = ReturnType<typeof useForm<IcpFormValues>>[1];
export type FieldMessages = Partial<Record<string, ListOfErrors>>;
export type RuleSectionsProps = { fields: IcpRulesFields; errors: FieldMessages };

const controlClass = `${inputClass} text-sm`;
const checkboxClass = "h-4 w-4 rounded border-slate-300";

export function RuleSection({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
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

export function RuleTextField({
  field,
  type = "text",
  label,
  errors,
  hint,
  ...input
}: {
  field: FieldMetadata<string>;
  type?: "text" | "number" | "date";
  label: string;
  errors: ListOfErrors;
  hint?: string;
} & Pick<InputHTMLAttributes<HTMLInputElement>, "placeholder" | "inputMode">) {
  const invalid = Boolean(errors?.some(Boolean));
  return (
    <Field
      label={label}
      inputProps={{ ...getInputProps(field, { type }), className: controlClass, ...input }}
      help={hint && !invalid ? hint : undefined}
      errors={errors}
    />
  );
}

export function RuleSelect({ field, label, errors, children }: { field: FieldMetadata<string>; label: string; errors: ListOfErrors; children: ReactNode }) {
  return (
    <SelectField label={label} selectProps={{ ...getSelectProps(field), className: controlClass }} errors={errors}>
      {children}
    </SelectField>
  );
}

/** One on/off rule: checked posts "on", unchecked posts nothing. */
export function RuleCheckbox({ field, label, className }: { field: FieldMetadata<string>; label: string; className: string }) {
  const { key, ...props } = getInputProps(field, { type: "checkbox" });
  return (
    <label className={className}>
      <input key={key} {...props} className={checkboxClass} />
      {label}
    </label>
  );
}

/** The values picked in a list field: FormData gives one value as a string, several as a list. */
export function pickedValues(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === "string" && v !== "");
}

export function RuleCheckboxList({
  field,
  legend,
  options,
  errors,
  compact,
}: {
  field: FieldMetadata<string[]>;
  legend: string;
  options: Array<{ value: string; label: string }>;
  errors: ListOfErrors;
  compact?: boolean;
}) {
  const invalid = Boolean(errors?.some(Boolean));
  const picked = pickedValues(field.value).length;
  const boxes = getCollectionProps(field, { type: "checkbox", options: options.map((o) => o.value) });
  return (
    <fieldset aria-describedby={invalid ? field.errorId : undefined} aria-invalid={invalid || undefined}>
      <legend className="text-sm font-medium text-slate-700">
        {legend} <span className="font-normal text-slate-500">({picked ? `${picked} selected` : "none: any"})</span>
      </legend>
      <div
        className={`mt-1 grid gap-x-4 gap-y-1 rounded-md border p-2 sm:grid-cols-2 ${compact ? "" : "max-h-48 overflow-y-auto"} ${invalid ? "border-red-500" : "border-slate-200"}`}
      >
        {boxes.map(({ key, ...box }, i) => (
          <label key={key} className="flex items-center gap-2 text-sm text-slate-800">
            <input {...box} aria-invalid={undefined} aria-describedby={undefined} className={checkboxClass} />
            {options[i]!.label}
          </label>
        ))}
      </div>
      <ErrorList id={field.errorId} errors={errors} />
    </fieldset>
  );
}
