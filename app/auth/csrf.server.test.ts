import { describe, expect, it } from "vitest";
import { checkCrossSite } from "./csrf.server";

const base = { appOrigin: "https://app.nexius.example", hasSessionCookie: true };

describe("checkCrossSite", () => {
  it("lets reads through", () => {
    expect(checkCrossSite({ ...base, method: "GET", secFetchSite: "cross-site" })).toEqual({ allowed: true });
  });

  it("accepts same-origin writes by Sec-Fetch-Site or Origin", () => {
    expect(checkCrossSite({ ...base, method: "POST", secFetchSite: "same-origin" }).allowed).toBe(true);
    expect(checkCrossSite({ ...base, method: "POST", origin: "https://app.nexius.example" }).allowed).toBe(true);
  });

  it("refuses cross-site and same-site-but-other-origin writes carrying the session cookie", () => {
    expect(checkCrossSite({ ...base, method: "POST", secFetchSite: "cross-site" })).toMatchObject({ allowed: false });
    expect(checkCrossSite({ ...base, method: "DELETE", secFetchSite: "same-site" })).toMatchObject({ allowed: false });
    expect(checkCrossSite({ ...base, method: "POST", origin: "https://evil.example" })).toMatchObject({
      allowed: false,
      reason: "request from another origin (https://evil.example)",
    });
  });

  it("refuses a cookie-carrying write that says nothing about where it came from", () => {
    expect(checkCrossSite({ ...base, method: "POST" })).toMatchObject({ allowed: false });
  });

  it("does not check writes without a session cookie (bearer clients)", () => {
    expect(checkCrossSite({ ...base, hasSessionCookie: false, method: "POST", origin: "https://evil.example" }).allowed).toBe(true);
  });
});
