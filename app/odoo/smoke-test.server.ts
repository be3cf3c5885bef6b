import { type OdooSession } from "./client.server";
import { OdooProvisioningError, provisioningStep } from "./provisioning-step.server";

export type SmokeTestResult = {
  partnerId: number;
  created: boolean;
  steps: Array<{ step: "lookup" | "create" | "write" | "read"; ms: number }>;
  totalMs: number;
};

/**
 * Read/write round trip on a dedicated, archived res.partner (so it never
 * shows in the tenant's contact lists), found again by `ref` on later runs.
 */
export async function smokeTest(session: OdooSession, input: { tenantSlug: string; companyId?: number }): Promise<SmokeTestResult> {
  return provisioningStep("smoke_test", async () => {
    const started = performance.now();
    const steps: SmokeTestResult["steps"] = [];
    const timed = async <T>(name: SmokeTestResult["steps"][number]["step"], fn: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const result = await fn();
      steps.push({ step: name, ms: Math.round(performance.now() - t) });
      return result;
    };
    const ref = `nexius-smoke:${input.tenantSlug}`;
    const context = { active_test: false };
    const [found] = await timed("lookup", () => session.search("res.partner", [["ref", "=", ref]], { context, limit: 1, order: "id asc" }));
    let partnerId = found;
    if (partnerId === undefined) {
      partnerId = await timed("create", () =>
        session.create("res.partner", {
          name: "Nexius connectivity check",
          ref,
          active: false,
          company_id: input.companyId ?? false,
        }),
      );
    }
    const marker = `Nexius connectivity check ${new Date().toISOString()}`;
    await timed("write", () => session.write("res.partner", [partnerId], { name: marker }));
    const [row] = await timed("read", () => session.read("res.partner", [partnerId], ["name"], { context }));
    if (row?.name !== marker) {
      throw new OdooProvisioningError("smoke_test", `Odoo did not return what was written to partner ${partnerId}`, { retryable: true });
    }
    return { partnerId, created: found === undefined, steps, totalMs: Math.round(performance.now() - started) };
  });
}
