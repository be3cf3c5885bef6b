import { type Actor } from "~/audit.server";
import { formatCount } from "~/utils/number-format";
import { importMessage, rejectedLines } from "./import-outcome";
import { type SettingsActionResult, type SettingsReply } from "./settings-action-result";
import { MAX_IMPORT_ROWS, parsePastedList, type SuppressionKind, type SuppressionRow } from "./suppression";
import { parseSuppressionCsv } from "./suppression-csv.server";
import { addSuppressions, removeSuppression } from "./suppression.server";

/** The suppression list's intents: add one value, a pasted list or a CSV, remove an entry. */
export async function suppressOne(tenantId: string, actor: Actor, row: SuppressionRow, submission: SettingsReply): Promise<SettingsActionResult> {
  const result = await addSuppressions(tenantId, actor, [row], "single");
  return {
    intent: "suppress-one",
    ok: true,
    message: result.added ? `${row.value} is now suppressed.` : `${row.value} was already on the list.`,
    submission: submission.reply({ resetForm: true }),
  };
}

export async function importPaste(
  tenantId: string,
  actor: Actor,
  form: { kind: SuppressionKind | "auto"; values: string; reason?: string },
  submission: SettingsReply,
): Promise<SettingsActionResult> {
  const { rows, errors } = parsePastedList(form.values, form.kind, form.reason);
  if (rows.length + errors.length > MAX_IMPORT_ROWS) {
    return {
      intent: "suppress-paste",
      ok: false,
      message: `Paste at most ${formatCount(MAX_IMPORT_ROWS)} lines at once.`,
      submission: submission.reply(),
    };
  }
  const result = await addSuppressions(tenantId, actor, rows, "paste");
  const reply = submission.reply({ resetForm: errors.length === 0 });
  return {
    intent: "suppress-paste",
    ok: errors.length === 0,
    message: importMessage(result.added, result.alreadyListed, errors.length),
    rowErrors: errors,
    // Only the refused lines go back into the box, so fixing them and submitting again adds nothing twice.
    submission: errors.length
      ? {
          ...reply,
          initialValue: {
            ...reply.initialValue,
            values: rejectedLines(form.values, errors),
          },
        }
      : reply,
  };
}

export async function importCsv(
  tenantId: string,
  actor: Actor,
  form: { kind: SuppressionKind | "auto"; file: File },
  submission: SettingsReply,
): Promise<SettingsActionResult> {
  // A browser cannot put a file back into its input, but the chosen kind comes back.
  const reply = submission.reply();
  const { rows, errors, tooMany } = parseSuppressionCsv(await form.file.text(), form.kind);
  if (tooMany) {
    return {
      intent: "suppress-csv",
      ok: false,
      message: `The file has more than ${formatCount(MAX_IMPORT_ROWS)} rows; split it into smaller files. Nothing was stored.`,
      submission: reply,
    };
  }
  const result = await addSuppressions(tenantId, actor, rows, "csv");
  return {
    intent: "suppress-csv",
    ok: errors.length === 0,
    message: `${form.file.name}: ${importMessage(result.added, result.alreadyListed, errors.length)}`,
    rowErrors: errors,
    submission: reply,
  };
}

export async function removeOne(tenantId: string, actor: Actor, id: string): Promise<SettingsActionResult> {
  const removed = await removeSuppression(tenantId, actor, id);
  return removed
    ? {
        intent: "suppress-remove",
        ok: true,
        message: `${removed.value} is no longer suppressed.`,
      }
    : {
        intent: "suppress-remove",
        ok: false,
        message: "That entry was already removed.",
      };
}
