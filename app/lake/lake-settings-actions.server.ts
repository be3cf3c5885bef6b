import { redirect } from "@remix-run/node";
import { type Actor } from "~/audit.server";
import { isTenantAdmin } from "~/auth/roles";
import { PlanRefusal } from "~/billing/quotas";
import { type SettingsActionResult, type SettingsReply } from "~/settings/settings-action-result";
import { SOURCE_LABEL } from "./data-page";
import { type LakeSettingsIntent } from "./lake-settings-forms";
import { saveSyncSchedule } from "./lake-settings.server";
import { beginM365Consent, checkM365Connection, disconnectM365, saveM365AppRegistration } from "./m365/connection.server";
import { type LakeSource } from "./pipeline";
import { SourceNotConnectedError } from "./sources.server";
import { formatMinutes, formatReconcileHour, type SyncSchedule } from "./sync-schedule";

/**
 * The data lake's settings intents. Only a workspace admin connects sources
 * and sets their schedules; ops see the section but are refused here (403),
 * like a forged POST.
 */
export type LakeSettingsForm =
  | { intent: "m365-connect" | "m365-test" | "m365-disconnect" }
  | { intent: "m365-app"; directoryId: string; clientId: string; clientSecret?: string }
  | ({ intent: "sync-schedule"; source: LakeSource } & SyncSchedule);

export async function lakeSettingsAction(
  tenantId: string,
  actor: Actor,
  roles: readonly string[],
  form: LakeSettingsForm,
  submission: SettingsReply,
): Promise<SettingsActionResult> {
  if (!isTenantAdmin(roles)) throw new Response("Only a workspace admin changes the data sources", { status: 403 });
  const intent: LakeSettingsIntent = form.intent;
  switch (form.intent) {
    case "m365-connect": {
      let consentUrl: string;
      try {
        consentUrl = await beginM365Consent(tenantId, actor);
      } catch (error) {
        if (error instanceof PlanRefusal) return { intent, ok: false, message: `Microsoft 365 was not connected. ${error.message}` };
        if (!(error instanceof SourceNotConnectedError)) throw error;
        return { intent, ok: false, message: `Microsoft 365 cannot be connected on this platform: ${error.message}` };
      }
      // Off to Microsoft's admin-consent page; it sends the admin back to the consent callback.
      throw redirect(consentUrl);
    }
    case "m365-test": {
      const outcome = await checkM365Connection(tenantId);
      return outcome.ok
        ? { intent, ok: true, message: "Connection test passed: Microsoft Graph gave the app a token and answered a read of the directory's users." }
        : { intent, ok: false, message: `Connection test failed: ${outcome.error}` };
    }
    case "m365-disconnect":
      return (await disconnectM365(tenantId, actor))
        ? { intent, ok: true, message: "Microsoft 365 is disconnected: its syncs have stopped; the data already in the lake stays." }
        : { intent, ok: false, message: "Microsoft 365 was not connected." };
    case "m365-app": {
      const { directoryId, clientId, clientSecret } = form;
      const saved = await saveM365AppRegistration(tenantId, actor, { directoryId, clientId, clientSecret });
      // A plan refusal is the form's message, not the secret field's.
      const fieldErrors = saved.ok || saved.overQuota ? {} : { fieldErrors: { clientSecret: [saved.error] } };
      const reply = submission.reply({ hideFields: ["clientSecret"], ...fieldErrors });
      if (!saved.ok) return { intent, ok: false, message: saved.error, submission: reply };
      const stored = saved.secretKept ? "The app registration is saved (the stored secret was kept)" : "The app registration is saved, its secret encrypted";
      return saved.check.ok
        ? { intent, ok: true, message: `${stored}, and the connection test passed.`, submission: reply }
        : { intent, ok: false, message: `${stored}, but the connection test failed: ${saved.check.error}`, submission: reply };
    }
    case "sync-schedule": {
      const { source, incrementalEveryMinutes, fullReconcileHour, freshnessSlaMinutes } = form;
      const { changed } = await saveSyncSchedule(tenantId, actor, source, { incrementalEveryMinutes, fullReconcileHour, freshnessSlaMinutes });
      const summary = `every ${formatMinutes(incrementalEveryMinutes)}, nightly reconcile ${formatReconcileHour(fullReconcileHour)}, stale after ${formatMinutes(freshnessSlaMinutes)}`;
      return {
        intent,
        ok: true,
        message: changed ? `${SOURCE_LABEL[source]} now syncs ${summary}.` : `${SOURCE_LABEL[source]} already syncs ${summary}.`,
        submission: submission.reply({ resetForm: true }),
      };
    }
  }
}
