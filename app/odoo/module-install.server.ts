import { z } from "zod";
import { log } from "~/logger.server";
import { OdooTransportError, type OdooSession } from "./client.server";
import { idSchema, OdooProvisioningError, provisioningStep } from "./provisioning-step.server";

/**
 * Modules a tenant's Odoo needs: auth_oauth (provider + user fields) and
 * sales_team (the role groups) for provisioning, and crm (leads, stages,
 * teams, activities) for the data lake's sync.
 */
export const REQUIRED_MODULES = ["auth_oauth", "sales_team", "contacts", "crm"];

const moduleRowSchema = z.object({ id: idSchema, name: z.string(), state: z.string() });

/**
 * Installs the modules a database lacks. The install call may outlast any
 * reasonable HTTP timeout, so after a timeout the module states are polled
 * until they read "installed" or `timeoutMs` passes.
 */
export async function installModules(
  session: OdooSession,
  names: readonly string[],
  options: { pollIntervalMs?: number; timeoutMs?: number; installCallTimeoutMs?: number } = {},
): Promise<{ installed: string[]; alreadyInstalled: string[] }> {
  return provisioningStep("install_modules", async () => {
    const wanted = [...new Set(names)];
    const lookup = () => session.searchRead("ir.module.module", [["name", "in", wanted]], { fields: ["id", "name", "state"], schema: moduleRowSchema });
    let rows = await lookup();
    if (rows.length < wanted.length) {
      // Modules added to the addons path after the database was created are unknown until the list is refreshed.
      await session.call("ir.module.module", "update_list");
      rows = await lookup();
    }
    const missing = wanted.filter((n) => !rows.some((r) => r.name === n));
    if (missing.length) throw new OdooProvisioningError("install_modules", `Odoo has no module named ${missing.join(", ")}`, { retryable: false });
    const blocked = rows.filter((r) => r.state === "uninstallable");
    if (blocked.length) {
      throw new OdooProvisioningError("install_modules", `Odoo cannot install ${blocked.map((r) => r.name).join(", ")} (uninstallable)`, {
        retryable: false,
      });
    }
    const pending = rows.filter((r) => r.state !== "installed");
    const alreadyInstalled = rows.filter((r) => r.state === "installed").map((r) => r.name);
    if (pending.length === 0) return { installed: [], alreadyInstalled };

    try {
      await session.call(
        "ir.module.module",
        "button_immediate_install",
        [pending.map((r) => r.id)],
        {},
        {
          timeoutMs: options.installCallTimeoutMs ?? session.client.slowCallTimeoutMs,
        },
      );
    } catch (error) {
      // The install goes on server-side after we stop waiting; polling tells us when it is done.
      if (!(error instanceof OdooTransportError && (error.kind === "timeout" || error.kind === "network"))) throw error;
    }
    const deadline = Date.now() + (options.timeoutMs ?? 900_000);
    for (;;) {
      const states = await lookup();
      const notYet = states.filter((r) => pending.some((p) => p.id === r.id) && r.state !== "installed");
      if (notYet.length === 0) break;
      if (Date.now() > deadline) {
        throw new OdooProvisioningError("install_modules", `Odoo modules still not installed: ${notYet.map((r) => `${r.name} (${r.state})`).join(", ")}`, {
          retryable: true,
        });
      }
      await new Promise((r) => setTimeout(r, options.pollIntervalMs ?? 2_000));
    }
    log().info({ odoo: { step: "install_modules", db: session.db, installed: pending.map((r) => r.name) } }, "odoo modules installed");
    return { installed: pending.map((r) => r.name), alreadyInstalled };
  });
}
