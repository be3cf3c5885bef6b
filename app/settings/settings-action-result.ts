import { type Submission, type SubmissionResult } from "@conform-to/react";
import { type SettingsIntent } from "./settings-forms";
import { type RowError } from "./suppression";

/**
 * What a settings form's POST answers: which form it was (null when the
 * intent was unknown), the sentence to show, Conform's reply (field errors
 * and the values to keep) and, for imports, the refused rows.
 */
export type SettingsActionResult = {
  intent: SettingsIntent | null;
  ok: boolean;
  message: string;
  submission?: SubmissionResult<string[]>;
  rowErrors?: RowError[];
};

/** The part of a parsed submission the intent handlers need: its reply. */
export type SettingsReply = Pick<Submission<Record<string, unknown>>, "reply">;
