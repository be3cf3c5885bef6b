import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { type Actor } from "~/audit.server";
import { approvePush } from "./odoo-push.server";
import { type RunActionResult } from "./run-action-result";
import { NotInQaSampleError, QaCheckForm, recordQaCheck } from "./runs.server";

/** The run page's forms, told apart by the intent they post: approve the Odoo push, record a QA verdict. */
const RunForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve-push") }),
  z.object({
    intent: z.literal("qa-check"),
    uen: QaCheckForm.shape.uen,
    verdict: QaCheckForm.shape.verdict,
    notes: z.string().default("").pipe(QaCheckForm.shape.notes),
  }),
]);

export async function runAction(form: FormData, tenantId: string, runId: string, actor: Actor): Promise<RunActionResult> {
  // The form's fields are all text, read as typed: an empty notes box is no notes.
  const submission = parseWithZod(form, {
    schema: RunForm,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    if (submission.error?.intent) return { ok: false, intent: null, message: "Unknown action" };
    return {
      ok: false,
      intent: "qa-check",
      uen: String(submission.payload.uen ?? ""),
      message: "Check the highlighted fields.",
      submission: submission.reply(),
    };
  }
  const { value } = submission;
  if (value.intent === "approve-push")
    return {
      intent: "approve-push",
      ...(await approvePush(tenantId, runId, actor)),
    };
  try {
    await recordQaCheck(tenantId, actor, runId, value);
  } catch (error) {
    if (error instanceof NotInQaSampleError)
      return {
        ok: false,
        intent: "qa-check",
        uen: value.uen,
        message: error.message,
        submission: submission.reply(),
      };
    throw error;
  }
  return {
    ok: true,
    intent: "qa-check",
    uen: value.uen,
    message: `${value.uen} marked ${value.verdict === "ok" ? "OK" : "as a problem"}.`,
    submission: submission.reply({ resetForm: true }),
  };
}
