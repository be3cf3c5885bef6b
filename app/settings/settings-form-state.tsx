import { useForm, type DefaultValue } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useActionData, useNavigation } from "@remix-run/react";
import { type ReactNode } from "react";
import { type z } from "zod";
import { Notice } from "~/dashboard/section";
import { type SettingsActionResult } from "./settings-action-result";
import { SettingsForm, type SettingsIntent } from "./settings-forms";

type SettingsFormValue = z.output<typeof SettingsForm>;

/** The settings action's answer when it is for one of these forms. */
export function useSettingsResult(intent: SettingsIntent | SettingsIntent[]) {
  const result = useActionData<SettingsActionResult>();
  const intents = Array.isArray(intent) ? intent : [intent];
  return result && result.intent && intents.includes(result.intent) ? result : undefined;
}

/** A settings form on Conform: validated in the browser with the action's schema, the server's errors and kept values shown the same way. */
export function useSettingsForm<Name extends string>(intent: SettingsIntent, defaultValue: Record<Name, string>) {
  const result = useSettingsResult(intent);
  const [form, fields] = useForm<Record<Name, string>, SettingsFormValue>({
    // Sections take their intent as the id of their heading; the form needs an id of its own.
    id: `${intent}-form`,
    lastResult: result?.submission,
    defaultValue: defaultValue as DefaultValue<Record<Name, string>>,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsForm }),
  });
  return { result, form, fields };
}

/** A value the server gave back for the form to show again (a file input cannot be refilled, so this is how its kind comes back). */
export function keptValue(result: SettingsActionResult | undefined, name: string): string | undefined {
  const value = result?.submission?.initialValue?.[name];
  return typeof value === "string" ? value : undefined;
}

export function useBusy(intent: SettingsIntent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

export function Outcome({ result }: { result: SettingsActionResult | undefined }) {
  return result ? <Notice ok={result.ok}>{result.message}</Notice> : null;
}

export function FormCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-slate-200 p-4">
      <h3 className="mb-3 text-sm font-semibold text-slate-900">{title}</h3>
      {children}
    </div>
  );
}
