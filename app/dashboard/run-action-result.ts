import { type SubmissionResult } from "@conform-to/react";

/** What the run page's POST answers: the form (null when the intent was unknown), the sentence to show and, for a QA check, the company and Conform's reply. */
export type RunActionResult = {
  ok: boolean;
  intent: "qa-check" | "approve-push" | null;
  uen?: string;
  message: string;
  submission?: SubmissionResult<string[]>;
};
