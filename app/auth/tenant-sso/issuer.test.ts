import { describe, expect, it } from "vitest";
import { entraIssuer, federatedSub, isFederatedSub, issuerMatchesTid, parseEntraIssuer } from "./issuer";

const TID_A = "9188040d-6c67-4c5b-b112-36a304b66dad";
const TID_B = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0";

describe("issuers of tenants' identity providers", () => {
  it("accepts a multi-tenant token only when its iss is the template with its own tid", () => {
    expect(issuerMatchesTid(TEMPLATE, `https://login.microsoftonline.com/${TID_A}/v2.0`, TID_A)).toBe(true);
    // A token claiming directory B but issued by directory A's issuer (or the other way round) is refused.
    expect(issuerMatchesTid(TEMPLATE, `https://login.microsoftonline.com/${TID_A}/v2.0`, TID_B)).toBe(false);
    expect(issuerMatchesTid(TEMPLATE, `https://login.microsoftonline.com/${TID_A}/v2.0`, undefined)).toBe(false);
    expect(issuerMatchesTid(TEMPLATE, "https://login.microsoftonline.com/{tenantid}/v2.0", "{tenantid}")).toBe(false);
    expect(issuerMatchesTid(TEMPLATE, `https://evil.example/${TID_A}/v2.0`, TID_A)).toBe(false);
    expect(issuerMatchesTid(TEMPLATE, `https://sts.windows.net/${TID_A}/`, TID_A)).toBe(false);
    expect(issuerMatchesTid(TEMPLATE, 42, TID_A)).toBe(false);
  });

  it("compares a template without the placeholder exactly", () => {
    expect(issuerMatchesTid("https://idp.example.com", "https://idp.example.com", undefined)).toBe(true);
    expect(issuerMatchesTid("https://idp.example.com", "https://idp.example.com/", undefined)).toBe(false);
  });

  it("names a directory's issuer on its login host and reads it back", () => {
    expect(entraIssuer("https://login.microsoftonline.com/", TID_A.toUpperCase())).toBe(`https://login.microsoftonline.com/${TID_A}/v2.0`);
    expect(parseEntraIssuer(`http://127.0.0.1:4000/${TID_B}/v2.0`)).toEqual({ loginHost: "http://127.0.0.1:4000", tid: TID_B });
    expect(parseEntraIssuer("https://login.microsoftonline.com/common/v2.0")).toBeNull();
  });

  it("gives users of two providers, and the platform IdP's, subjects that cannot collide", () => {
    const entra = federatedSub("entra", { iss: `https://login.microsoftonline.com/${TID_A}/v2.0`, sub: "pairwise", tid: TID_A, oid: "OID-1" });
    expect(entra).toBe(`entra|${TID_A}|oid-1`);
    const oidc = federatedSub("oidc", { iss: "https://idp.example.com", sub: "42" });
    expect(oidc).toBe("oidc|https://idp.example.com|42");
    expect(federatedSub("oidc", { iss: "https://other.example.com", sub: "42" })).not.toBe(oidc);
    expect([entra, oidc].every(isFederatedSub)).toBe(true);
    expect(isFederatedSub("0f7c2a52-8d0e-4f5e-a1a5-3f2b1c9d8e7f")).toBe(false);
    expect(() => federatedSub("entra", { iss: "x", sub: "y" })).toThrow(/tid or oid/);
  });
});
