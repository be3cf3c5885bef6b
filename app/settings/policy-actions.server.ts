import { type Actor } from "~/audit.server";
import { InvalidIcpRulesError } from "~/icp/rules";
import { log } from "~/logger.server";
import { formatCount } from "~/utils/number-format";
import { type SettingsActionResult, type SettingsReply } from "./settings-action-result";
import { ODOO_PUSH_MODES, type FreeMailPolicy, type OdooPushMode } from "./settings-forms";
import { changeOdooPushMode, setDailyTokenBudget, setMinWebsiteContacts, updateIcpField } from "./settings.server";

/**
 * The workspace policies' intents. The free-mail policy and the score
 * thresholds are fields of the ICP rules, so saving one saves an ICP version.
 */
export function saveFreeMail(tenantId: string, actor: Actor, freeMail: FreeMailPolicy, submission: SettingsReply): Promise<SettingsActionResult> {
  return saveIcpField("free-mail", () => updateIcpField(tenantId, actor, { freeMail }), "Free-mail policy saved", submission);
}

export function saveThresholds(
  tenantId: string,
  actor: Actor,
  scoreThresholds: { high: number; medium: number },
  submission: SettingsReply,
): Promise<SettingsActionResult> {
  return saveIcpField("thresholds", () => updateIcpField(tenantId, actor, { scoreThresholds }), "Score thresholds saved", submission);
}

export async function changePushMode(tenantId: string, actor: Actor, mode: OdooPushMode, submission: SettingsReply): Promise<SettingsActionResult> {
  const { changed } = await changeOdooPushMode(tenantId, actor, mode);
  const label = ODOO_PUSH_MODES.find((m) => m.value === mode)!.label;
  return {
    intent: "push-mode",
    ok: true,
    message: changed ? `Odoo push mode is now “${label}”.` : `Odoo push mode was already “${label}”.`,
    submission: submission.reply({ resetForm: true }),
  };
}

export async function setTokenBudget(tenantId: string, actor: Actor, budget: number, submission: SettingsReply): Promise<SettingsActionResult> {
  const { changed } = await setDailyTokenBudget(tenantId, actor, budget);
  return {
    intent: "budget",
    ok: true,
    message: changed ? `The daily token budget is now ${formatCount(budget)} tokens.` : "The daily token budget was unchanged.",
    submission: submission.reply({ resetForm: true }),
  };
}

export async function setWebsiteContactsMinimum(tenantId: string, actor: Actor, minimum: number, submission: SettingsReply): Promise<SettingsActionResult> {
  const { changed } = await setMinWebsiteContacts(tenantId, actor, minimum);
  return {
    intent: "website-contacts",
    ok: true,
    message: changed
      ? `The LinkedIn search now runs when a company's website names fewer than ${minimum} role-qualified people.`
      : "The minimum of website contacts was unchanged.",
    submission: submission.reply({ resetForm: true }),
  };
}

async function saveIcpField(
  intent: "free-mail" | "thresholds",
  save: () => Promise<{ changed: boolean; version: { version: number } }>,
  done: string,
  submission: SettingsReply,
): Promise<SettingsActionResult> {
  try {
    const result = await save();
    return {
      intent,
      ok: true,
      message: result.changed ? `${done} as ICP version ${result.version.version}.` : `${done}: nothing changed.`,
      submission: submission.reply({ resetForm: true }),
    };
  } catch (error) {
    if (!(error instanceof InvalidIcpRulesError)) throw error;
    // The field itself was checked above; this is another field of the saved rules that today's schema refuses.
    log().warn({ err: error }, "the current ICP rules do not validate");
    return {
      intent,
      ok: false,
      message: `The current ICP rules could not be saved again: ${error.issues.map((i) => i.message).join("; ")}. Fix them on the ICP page first.`,
      submission: submission.reply(),
    };
  }
}
