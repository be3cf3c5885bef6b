import { describe, expect, it } from "vitest";
import { checkCrossSite } from "./csrf.server";

const base = { appOrigin: "https://app.nexius.example", hasSessionCookie: true, path: "/app/runs" };

describe("checkCrossSite", () => {
  it("lets reads through", () => {
    expect(checkCrossSite({ ...base, method: "GET", secFetchSite: "cross-site" })).toEqual({ allowed: true });
  });

  it("refuses an export download another site started, since each one counts against the plan", () => {
    const download = { ...base, method: "GET", path: "/api/export/shortlist.csv" };
    expect(checkCrossSite({ ...download, secFetchSite: "cross-site" })).toEqual({
      allowed: false,
      reason: "export download from another site (Sec-Fetch-Site: cross-site)",
    });
    expect(checkCrossSite({ ...download, path: "/api/export/crm/pipeline.csv", secFetchSite: "same-site" }).allowed).toBe(false);
    // Our own link, a typed or bookmarked address, a browser that says nothing, a bearer client.
    expect(checkCrossSite({ ...download, secFetchSite: "same-origin" }).allowed).toBe(true);
    expect(checkCrossSite({ ...download, secFetchSite: "none" }).allowed).toBe(true);
    expect(checkCrossSite(download).allowed).toBe(true);
    expect(checkCrossSite({ ...download, hasSessionCookie: false, secFetchSite: "cross-site" }).allowed).toBe(true);
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
