import { describe, expect, it } from "vitest";
import { runbookPath, RUNBOOKS } from "~/support/runbooks";
import { mayStart, refusalReason, remainingSteps, STEPS_OF, OPERATION_STEPS } from "./operations";

describe("lifecycle operations", () => {
  it("start only from the states that make sense, and an error state can be run again", () => {
    expect(mayStart("pause", "active")).toBe(true);
    expect(mayStart("pause", "paused")).toBe(false);
    expect(mayStart("resume", "paused")).toBe(true);
    expect(mayStart("resume", "active")).toBe(false);
    expect(mayStart("rebuild", "error")).toBe(true);
    expect(mayStart("rebuild", "provisioning")).toBe(false);
    expect(mayStart("pause", "decommissioned")).toBe(false);
    expect(refusalReason("resume", "active")).toBe("A resume needs a workspace that is paused or error; this one is active.");
    expect(refusalReason("pause", "active")).toBeNull();
  });

  it("resume at the first step not yet done", () => {
    expect(remainingSteps("rebuild", [])).toEqual(STEPS_OF.rebuild);
    expect(remainingSteps("rebuild", ["starting", "creating_odoo"])).toEqual(["configuring_oidc", "seeding", "restore_status"]);
    expect(remainingSteps("resume", ["verify_odoo", "reopen_workspace"])).toEqual([]);
  });

  it("have a description and a runbook for every step", () => {
    for (const step of Object.values(STEPS_OF).flat()) {
      expect(OPERATION_STEPS[step], step).toBeTruthy();
      expect(RUNBOOKS[step].length, step).toBeGreaterThan(0);
    }
    expect(runbookPath("verify_odoo")).toBe("/support#verify_odoo");
  });
});
