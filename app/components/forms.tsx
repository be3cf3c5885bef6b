import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

/**
 * Form fields with their label, help and errors, for every form of the app.
 * A field with errors is marked aria-invalid and points at its error list
 * (and its help) with aria-describedby, so a screen reader reads why when the
 * field gets focus. Props usually come from Conform's getInputProps and
 * friends; the field's own id wins so the label and errors stay tied to it.
 */
export type ListOfErrors = ReadonlyArray<string | null | undefined> | null | undefined;

export const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-500";

const labelClass = "block text-sm font-medium text-slate-700";

/** The errors of one field (or of a whole form), or nothing when there are none. */
export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
  const shown = errors?.filter((e): e is string => Boolean(e));
  if (!shown?.length) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-700">
      {shown.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/** The aria attributes tying a control to its errors and help text. */
export function describedBy(id: string, errors: ListOfErrors, help: ReactNode) {
  const invalid = Boolean(errors?.some(Boolean));
  const ids = [invalid ? `${id}-error` : null, help ? `${id}-help` : null].filter(Boolean);
  return {
    "aria-invalid": invalid || undefined,
    "aria-describedby": ids.length ? ids.join(" ") : undefined,
  };
}

type FieldFrame = {
  label: ReactNode;
  errors?: ListOfErrors;
  help?: ReactNode;
  className?: string;
};

function Frame({ id, label, errors, help, className, children }: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children}
      {help ? (
        <p id={`${id}-help`} className="mt-1 text-xs text-slate-500">
          {help}
        </p>
      ) : null}
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function Field({
  inputProps,
  ...frame
}: FieldFrame & {
  inputProps: InputHTMLAttributes<HTMLInputElement> & { key?: string };
}) {
  const fallbackId = useId();
  const { key, ...props } = inputProps;
  const id = props.id ?? fallbackId;
  return (
    <Frame id={id} {...frame}>
      <input key={key} className={inputClass} {...props} id={id} {...describedBy(id, frame.errors, frame.help)} />
    </Frame>
  );
}

export function TextareaField({
  textareaProps,
  ...frame
}: FieldFrame & {
  textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> & { key?: string };
}) {
  const fallbackId = useId();
  const { key, className = "", ...props } = textareaProps;
  const id = props.id ?? fallbackId;
  return (
    <Frame id={id} {...frame}>
      <textarea key={key} className={`${inputClass} ${className}`} {...props} id={id} {...describedBy(id, frame.errors, frame.help)} />
    </Frame>
  );
}

export function SelectField({
  selectProps,
  children,
  ...frame
}: FieldFrame & {
  selectProps: SelectHTMLAttributes<HTMLSelectElement> & { key?: string };
  children: ReactNode;
}) {
  const fallbackId = useId();
  const { key, ...props } = selectProps;
  const id = props.id ?? fallbackId;
  return (
    <Frame id={id} {...frame}>
      <select key={key} className={inputClass} {...props} id={id} {...describedBy(id, frame.errors, frame.help)}>
        {children}
      </select>
    </Frame>
  );
}
