import { type z } from "zod";

/**
 * A failed parse in plain lines, "ODOO_URL: Invalid URL", for logs, API
 * errors and start-up failures. A problem with the value as a whole (an
 * empty path) is named by `whole`, e.g. "(body)" for a request body.
 */
export function zodIssueLines(error: z.ZodError, whole = "(root)"): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || whole}: ${issue.message}`);
}

/** The lines of `zodIssueLines` on one line, separated by "; ". */
export function formatZodIssues(error: z.ZodError, whole = "(root)"): string {
  return zodIssueLines(error, whole).join("; ");
}
