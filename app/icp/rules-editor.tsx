import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { type FormEvent } from "react";
import { ErrorList } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { RegistryRuleSections } from "./registry-rule-fields";
import { type FieldMessages } from "./rule-inputs";
import { type IcpFormValues } from "./rules-form";
import { RunRuleSections } from "./run-rule-fields";

/**
 * The ICP rules as one Conform form, validated by the server: a save answers
 * with Conform's reply, the live preview with its own field errors. Whichever
 * came last is shown, so errors follow the user's edits before any save.
 * Keyed by the saved version, so a new version starts from its own values.
 */
export function IcpRulesEditor({
  values,
  lastResult,
  previewErrors,
  canEdit,
  saving,
  dirty,
  version,
  onChange,
}: {
  values: IcpFormValues;
  lastResult: SubmissionResult<string[]> | undefined;
  /** The live preview's errors (empty when it accepted the rules); null before the first preview. */
  previewErrors: FieldMessages | null;
  canEdit: boolean;
  saving: boolean;
  dirty: boolean;
  version: number | null;
  onChange: (event: FormEvent<HTMLFormElement>) => void;
}) {
  const [form, fields] = useForm<IcpFormValues>({ id: "icp-rules", lastResult, defaultValue: values, shouldValidate: "onSubmit" });
  const errors: FieldMessages = previewErrors ?? form.allErrors;
  return (
    <Form method="post" {...getFormProps(form)} onChange={onChange} aria-label="ICP rules">
      <input type="hidden" name="intent" value="save" />
      <fieldset disabled={!canEdit} className="space-y-5">
        <RegistryRuleSections fields={fields} errors={errors} />
        <RunRuleSections fields={fields} errors={errors} />
        {canEdit ? (
          <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 py-3">
            <Button type="submit" disabled={saving}>
              {saving ? "Saving…" : `Save as version ${(version ?? 0) + 1}`}
            </Button>
            <span className="text-xs text-slate-500">{dirty ? "Unsaved changes; the preview shows them." : "No unsaved changes."}</span>
            <ErrorList id={form.errorId} errors={errors[""]} />
          </div>
        ) : null}
      </fieldset>
    </Form>
  );
}
