import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformDb } from "~/db.server";
import { type OdooSession } from "~/odoo/client.server";
import { applyRunPush, planRunPush } from "~/odoo/lead-push.server";
import { type OdooSimulator } from "../sims/odoo";
import { createTenantWithOdoo, ODOO_DB, plainLeads, seedRun, startPushSimulator } from "../support/lead-push-fixtures";
import { waitFor } from "../support/wait-for";

/**
 * A worker SIGKILLed mid-push resumes with no
 * duplicate Odoo partners. A real child process runs the push job against the
 * simulator over HTTP and is killed with SIGKILL once the second batch has
 * started writing; the push then runs again, as the retried job would.
 */
let sim: OdooSimulator;
let admin: OdooSession;

beforeAll(async () => {
  ({ sim, admin } = await startPushSimulator());
});
afterAll(() => sim.stop());

function startChild(
  tenantId: string,
  runId: string,
): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/odoo/push-child.ts", tenantId, runId], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

describe("a worker killed mid-push", () => {
  it("resumes with no duplicate partners", { timeout: 120_000 }, async () => {
    const tenant = await createTenantWithOdoo(sim, admin);
    const leads = plainLeads(250, "S");
    const runId = await seedRun(tenant.tenantId, leads);
    // Slow enough that the kill lands while the push is between calls, not after it.
    sim.faults.setLatency(25);
    sim.state.resetCalls();

    const { child, exited, output } = startChild(tenant.tenantId, runId);
    // Batches of 100: creates 1-2 are batch 1 (companies, contacts), create 3 is batch 2's companies.
    await waitFor(() => sim.state.countCalls({ method: "create", model: "res.partner" }) >= 3 || child.exitCode !== null, {
      timeoutMs: 60_000,
      intervalMs: 5,
      what: "the child push to reach its second batch",
    });
    child.kill("SIGKILL");
    expect(await exited, output()).toEqual({ code: null, signal: "SIGKILL" });
    sim.faults.setLatency(0);

    const partners = () =>
      sim.state
        .database(ODOO_DB)
        .records("res.partner")
        .filter((p) => p.company_id === tenant.companyId);
    const companiesBefore = partners().filter((p) => p.is_company === true).length;
    expect(companiesBefore).toBeGreaterThanOrEqual(100);
    expect(companiesBefore).toBeLessThan(250);
    const linksBefore = await platformDb.odooPartnerLink.count({ where: { tenantId: tenant.tenantId } });

    const resumed = await applyRunPush(tenant.tenantId, runId);
    expect(resumed.status).toBe("applied");
    expect(resumed.companies.created).toBe(250 - companiesBefore);
    expect(resumed.companies.skipped).toBe(linksBefore);

    const companies = partners().filter((p) => p.is_company === true);
    expect(companies.map((p) => p.ref).sort()).toEqual(leads.map((l) => l.uen).sort());
    const contacts = partners().filter((p) => p.parent_id);
    expect(new Set(contacts.map((p) => p.email)).size).toBe(250);
    expect(contacts).toHaveLength(250);
    expect(await platformDb.odooPartnerLink.count({ where: { tenantId: tenant.tenantId } })).toBe(250);

    const check = await planRunPush(tenant.tenantId, runId, { recheck: true });
    expect([check.companies.create, check.companies.update, check.contacts.create, check.contacts.update].flat()).toEqual([]);
  });
});
