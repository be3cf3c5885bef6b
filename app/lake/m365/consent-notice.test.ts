import { describe, expect, it } from "vitest";
import { consentNotice } from "./consent-notice";

describe("consentNotice", () => {
  it("says what happened for each outcome, and that a failed one changed nothing", () => {
    expect(consentNotice("connected", null)).toMatchObject({ ok: true });
    for (const code of ["declined", "bad_state", "expired", "used", "other_user"]) {
      expect(consentNotice(code, null)).toMatchObject({ ok: false, message: expect.stringContaining("Nothing was changed.") });
    }
    expect(consentNotice("connected_failing", null)?.message).toContain("connection test failed");
  });

  it("names Microsoft's error code only when it looks like one", () => {
    expect(consentNotice("declined", "permission_denied")?.message).toContain("at Microsoft (permission_denied).");
    expect(consentNotice("declined", "<script>alert(1)</script>")?.message).toContain("at Microsoft. Nothing");
  });

  it("shows nothing for an unknown or missing code", () => {
    expect(consentNotice(null, null)).toBeNull();
    expect(consentNotice("pwned", null)).toBeNull();
  });
});
