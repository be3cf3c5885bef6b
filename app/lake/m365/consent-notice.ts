/**
 * What Settings says when the admin is back from Microsoft's consent page.
 * The callback redirects with an outcome code (and, for a refusal,
 * Microsoft's error code), never with text of its own, so the page can only
 * ever show these sentences. Browser-safe.
 */
export const CONSENT_OUTCOMES = ["connected", "connected_failing", "declined", "bad_state", "expired", "used", "other_user", "over_quota"] as const;
export type ConsentOutcomeCode = (typeof CONSENT_OUTCOMES)[number];

const UNCHANGED = "Nothing was changed.";

export function consentNotice(code: string | null, error: string | null): { ok: boolean; message: string } | null {
  if (!code || !(CONSENT_OUTCOMES as readonly string[]).includes(code)) return null;
  switch (code as ConsentOutcomeCode) {
    case "connected":
      return { ok: true, message: "Microsoft 365 is connected and the connection test passed. Its first sync starts within minutes." };
    case "connected_failing":
      return { ok: false, message: "Microsoft 365 is connected, but the connection test failed: see the last error below, then test again." };
    case "declined": {
      // Microsoft's error codes are short snake_case words; anything else is not shown.
      const reason = error && /^[a-z_]{1,60}$/.test(error) ? ` (${error})` : "";
      return {
        ok: false,
        message: `Microsoft 365 was not connected: the permissions were not granted at Microsoft${reason}. ${UNCHANGED} An administrator of the directory must accept them.`,
      };
    }
    case "expired":
      return { ok: false, message: `That consent took longer than 15 minutes to come back. ${UNCHANGED} Press Connect again.` };
    case "used":
      return { ok: false, message: `That consent answer was already used, or a newer Connect replaced it. ${UNCHANGED}` };
    case "other_user":
      return { ok: false, message: `That consent was started by another user of this workspace. ${UNCHANGED} Press Connect yourself.` };
    case "over_quota":
      return {
        ok: false,
        message: `Microsoft 365 was not connected: the workspace's plan does not include it, or has no data-lake source left. ${UNCHANGED} Ask your administrator to change the plan.`,
      };
    case "bad_state":
      return { ok: false, message: `That answer did not come from a Connect of this workspace. ${UNCHANGED}` };
  }
}
