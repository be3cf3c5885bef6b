import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorkerHandle } from "~/jobs/worker.server";
import { DRILL_HEARTBEAT_MS } from "../support/drill-heartbeat";
import { startStandIns, type StandIns } from "../support/platform";
import { waitFor } from "../support/wait-for";

/**
 * Fault drill: the worker process is killed (SIGKILL) in the middle of a
 * first-login provisioning, after Odoo has been half set up. A fresh worker
 * releases the dead process's job and resumes at the phase that was cut:
 * the workspace becomes ready with one Odoo company and one integration user.
 */
let standIns: StandIns;
let child: ChildProcess | undefined;
let worker: WorkerHandle | undefined;

beforeAll(async () => {
  standIns = await startStandIns();
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await worker?.stop();
  await standIns?.stop();
});

describe("drill: the worker killed during provisioning", () => {
  it("resumes at the cut phase and creates nothing twice", async () => {
    const { platformDb } = await import("~/db.server");
    const { resolveIdentity } = await import("~/auth/identity.server");
    const { provisioningStatus } = await import("~/tenants/provisioning.server");
    const { startWorker } = await import("~/jobs/worker.server");
    // Slow Odoo, so the kill lands between phases' calls.
    standIns.odoo.faults.setLatency(150);
    const tag = `kill-${randomBytes(3).toString("hex")}`;
    const { tenant } = await resolveIdentity({ sub: `sub-${tag}`, email: `${tag}@example.test`, email_verified: true, name: `User ${tag}`, roles: [] });

    child = spawn(process.execPath, ["--import", "tsx", "tests/runs/worker-child.ts"], { env: process.env, stdio: ["ignore", "ignore", "inherit"] });
    await waitFor(async () => ["configuring_oidc", "seeding"].includes((await provisioningStatus(tenant!.id))?.phase ?? ""), {
      timeoutMs: 60_000,
      intervalMs: 20,
      what: "Odoo to be set up halfway",
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child!.once("exit", resolve));
    const cut = await provisioningStatus(tenant!.id);
    expect(cut).toMatchObject({ status: "provisioning" });

    // The dead process's heartbeat goes stale; a new worker releases its job once it has beaten for three intervals itself.
    await platformDb.workerHeartbeat.updateMany({ data: { seenAt: new Date(Date.now() - 5 * 60_000) } });
    standIns.odoo.faults.setLatency(0);
    worker = await startWorker({ crontabFile: null, pollInterval: 100, concurrency: 2, heartbeatMs: DRILL_HEARTBEAT_MS });
    const ready = await waitFor(async () => ((await provisioningStatus(tenant!.id))?.status === "ready" ? provisioningStatus(tenant!.id) : null), {
      timeoutMs: 120_000,
      what: "the workspace to be ready",
    });
    expect(ready).toMatchObject({ status: "ready", phase: "ready", error: null });

    const row = await platformDb.tenant.findUniqueOrThrow({ where: { id: tenant!.id }, include: { odooConnection: true } });
    const odoo = standIns.odoo.state.database("platform");
    expect(odoo.records("res.company").filter((c) => c.name === row.name)).toHaveLength(1);
    const users = odoo.records("res.users").filter((u) => u.company_id === row.odooConnection!.companyId);
    expect(users.filter((u) => u.login === row.odooConnection!.login)).toHaveLength(1);
    expect(new Set(users.map((u) => u.login)).size).toBe(users.length);
  }, 240_000);
});
