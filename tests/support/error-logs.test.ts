import { describe, expect, test } from "vitest";
import { log, withLogContext } from "../../app/logger.server";
import { expectErrorLogs, takeUnexpectedErrorLogs } from "./error-logs";

describe("error logs during a test", () => {
  test("an error logged through the silenced app logger is caught, with its message and error", () => {
    withLogContext({ task: "score_run" }, () => log().error({ err: new Error("vendor down") }, "scoring failed"));
    log().fatal("worker gone");
    log().warn("only a warning");
    const lines = takeUnexpectedErrorLogs();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: scoring failed .*vendor down/);
    expect(lines[1]).toBe("fatal: worker gone");
  });

  test("console.error is caught", () => {
    console.error("hydration failed for %s", "/runs");
    expect(takeUnexpectedErrorLogs()).toEqual(["console.error: hydration failed for /runs"]);
  });

  test("a declared error passes, an undeclared one beside it does not, and restore ends the declaration", () => {
    const restore = expectErrorLogs(/scoring failed/);
    log().error("scoring failed");
    log().error("something else");
    restore();
    log().error("scoring failed");
    expect(takeUnexpectedErrorLogs()).toEqual(["error: something else", "error: scoring failed"]);
  });
});
