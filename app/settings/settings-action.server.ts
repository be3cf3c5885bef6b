import { parseWithZod } from "@conform-to/zod/v4";
import { type Actor } from "~/audit.server";
import { lakeSettingsAction } from "~/lake/lake-settings-actions.server";
import { saveRetentionOverrides } from "~/retention/retention-settings.server";
import { changePushMode, saveFreeMail, saveThresholds, setTokenBudget, setWebsiteContactsMinimum } from "./policy-actions.server";
import { type SettingsActionResult } from "./settings-action-result";
import { MAX_UPLOAD_BYTES, SettingsForm, type SettingsIntent } from "./settings-forms";
import { importCsv, importPaste, removeOne, suppressOne } from "./suppression-actions.server";

/**
 * The settings page's POST: one schema per form, picked by its intent; a
 * refused form answers with its field errors and the typed values, a valid
 * one goes to the handler of its intent.
 */
export async function settingsAction(request: Request, tenantId: string, actor: Actor, roles: readonly string[]): Promise<SettingsActionResult> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > 2 * MAX_UPLOAD_BYTES)
    return {
      intent: null,
      ok: false,
      message: "That upload is too large: the limit is 1 MB.",
    };
  const submission = parseWithZod(await request.formData(), {
    schema: SettingsForm,
  });
  if (submission.status !== "success") {
    if (submission.error?.intent) return { intent: null, ok: false, message: "Unknown action" };
    const intent = submission.payload.intent as SettingsIntent;
    if (intent === "suppress-remove") return { intent, ok: false, message: "That entry was already removed." };
    return {
      intent,
      ok: false,
      message: "Check the highlighted fields.",
      // A typed secret never travels back to the browser, even to be shown again.
      submission: submission.reply({ hideFields: ["clientSecret"] }),
    };
  }
  const form = submission.value;
  switch (form.intent) {
    case "suppress-one":
      return suppressOne(tenantId, actor, form.row, submission);
    case "suppress-paste":
      return importPaste(tenantId, actor, form, submission);
    case "suppress-csv":
      return importCsv(tenantId, actor, form, submission);
    case "suppress-remove":
      return removeOne(tenantId, actor, form.id);
    case "free-mail":
      return saveFreeMail(tenantId, actor, form.freeMail, submission);
    case "thresholds":
      return saveThresholds(tenantId, actor, { high: form.high, medium: form.medium }, submission);
    case "push-mode":
      return changePushMode(tenantId, actor, form.odooPushMode, submission);
    case "budget":
      return setTokenBudget(tenantId, actor, form.dailyTokenBudget, submission);
    case "website-contacts":
      return setWebsiteContactsMinimum(tenantId, actor, form.minWebsiteContacts, submission);
    case "m365-connect":
    case "m365-test":
    case "m365-disconnect":
    case "m365-app":
    case "sync-schedule":
      return lakeSettingsAction(tenantId, actor, roles, form, submission);
    case "retention": {
      const { intent: _intent, ...overrides } = form;
      return saveRetentionOverrides(tenantId, actor, roles, overrides, submission);
    }
  }
}
