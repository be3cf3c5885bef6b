import { describe, expect, it } from "vitest";
import { adminConsentUrl, parseConsentCallback } from "./admin-consent";

describe("adminConsentUrl", () => {
  it("sends the admin to the directory's admin-consent endpoint with our client id, the redirect and the state", () => {
    const url = new URL(
      adminConsentUrl({
        loginBaseUrl: "https://login.microsoftonline.com/",
        directoryId: "a8990e1f-ff32-408a-9f8e-78d3b9139b95",
        clientId: "535fb089-9ff3-47b6-9bfb-4f1264799865",
        redirectUri: "https://leads.example.com/settings/m365/consent",
        state: "tenant-acme.nonce",
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe("https://login.microsoftonline.com/a8990e1f-ff32-408a-9f8e-78d3b9139b95/adminconsent");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "535fb089-9ff3-47b6-9bfb-4f1264799865",
      redirect_uri: "https://leads.example.com/settings/m365/consent",
      state: "tenant-acme.nonce",
    });
  });

  it("keeps a directory given by domain or as `organizations` inside its path segment", () => {
    const url = adminConsentUrl({
      loginBaseUrl: "http://127.0.0.1:4810",
      directoryId: "contoso.onmicrosoft.com/../x",
      clientId: "c",
      redirectUri: "r",
      state: "s",
    });
    expect(new URL(url).pathname).toBe("/contoso.onmicrosoft.com%2F..%2Fx/adminconsent");
  });
});

describe("parseConsentCallback", () => {
  it("reads the documented success answer", () => {
    const query = new URLSearchParams("tenant=a8990e1f-ff32-408a-9f8e-78d3b9139b95&state=state=12345&admin_consent=True");
    expect(parseConsentCallback(query)).toEqual({ ok: true, directoryId: "a8990e1f-ff32-408a-9f8e-78d3b9139b95", state: "state=12345" });
  });

  it("reads the documented refusal", () => {
    const query = new URLSearchParams("error=permission_denied&error_description=The+admin+canceled+the+request&state=s1");
    expect(parseConsentCallback(query)).toEqual({ ok: false, error: "permission_denied", description: "The admin canceled the request", state: "s1" });
  });

  it("never takes an answer without admin_consent=True and a tenant as consent", () => {
    for (const q of ["tenant=t1", "admin_consent=False&tenant=t1", "admin_consent=True", ""]) {
      expect(parseConsentCallback(new URLSearchParams(q))).toMatchObject({ ok: false, error: "invalid_callback" });
    }
  });
});
