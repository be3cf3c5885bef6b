/** A filter's control, as every CRM page's GET form draws it. */
export const FILTER_CONTROL = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

type Choice = { id: string; name: string };

/** A labelled picker of one of `choices` (or all of them), shown only when there is something to choose. */
export function ChoiceSelect({
  label,
  name,
  all,
  choices,
  value,
  min = 1,
}: {
  label: string;
  name: string;
  all: string;
  choices: Choice[];
  value: string | null | undefined;
  min?: number;
}) {
  if (choices.length < min) return null;
  return (
    <label className="text-sm font-medium text-slate-700">
      {label}
      <select name={name} defaultValue={value ?? ""} className={FILTER_CONTROL}>
        <option value="">{all}</option>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.name}
          </option>
        ))}
      </select>
    </label>
  );
}
