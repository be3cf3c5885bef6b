import { describe, expect, it } from "vitest";
import { GraphAuthError, GraphError, GraphSyncReset, GraphTransientError, graphErrorCodes, graphErrorFor } from "./graph-errors.server";

describe("graphErrorFor", () => {
  it("takes 410, and any 4xx naming syncStateNotFound or resyncRequired at any depth, as a sync reset", () => {
    expect(graphErrorFor(410, undefined, undefined, "delta")).toBeInstanceOf(GraphSyncReset);
    const nested = { error: { code: "badRequest", message: "x", innerError: { code: "resyncRequired" } } };
    expect(graphErrorFor(400, nested, undefined, "delta")).toBeInstanceOf(GraphSyncReset);
    expect(graphErrorFor(404, { error: { code: "syncStateNotFound" } }, undefined, "delta")).toBeInstanceOf(GraphSyncReset);
    expect(graphErrorFor(500, { error: { code: "syncStateNotFound" } }, undefined, "delta")).not.toBeInstanceOf(GraphSyncReset);
  });

  it("makes 429/503/504 transient with the wait asked for, 401 an auth failure, anything else a plain GraphError", () => {
    const throttled = graphErrorFor(429, { error: { code: "TooManyRequests", message: "slow down" } }, 3000, "users");
    expect(throttled).toBeInstanceOf(GraphTransientError);
    expect(throttled).toMatchObject({ status: 429, code: "TooManyRequests", retryAfterMs: 3000, message: "users: HTTP 429 TooManyRequests: slow down" });
    expect(graphErrorFor(504, undefined, undefined, "users")).toBeInstanceOf(GraphTransientError);
    expect(graphErrorFor(401, { error: { code: "InvalidAuthenticationToken" } }, undefined, "users")).toBeInstanceOf(GraphAuthError);
    const denied = graphErrorFor(403, { error: { code: "ErrorAccessDenied" } }, undefined, "users");
    expect([denied.constructor, denied.status]).toEqual([GraphError, 403]);
  });
});

describe("graphErrorCodes", () => {
  it("lists the codes from the outermost error inwards, and nothing for other bodies", () => {
    expect(graphErrorCodes({ error: { code: "a", innererror: { code: "b", innerError: { code: "c" } } } })).toEqual(["a", "b", "c"]);
    expect(graphErrorCodes("oops")).toEqual([]);
    expect(graphErrorCodes(null)).toEqual([]);
  });
});
