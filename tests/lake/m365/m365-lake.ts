import { randomUUID } from "node:crypto";
import { db, platformDb } from "~/db.server";
import { createM365Connector } from "~/lake/m365/connector.server";
import { createGraphClient } from "~/lake/m365/graph-client.server";
import { lakeMailboxHoldings } from "~/lake/m365/mailbox-holdings.server";
import { createM365Mapper } from "~/lake/m365/mapper";
import { requestSyncIn } from "~/lake/sync-requests.server";
import { runSync } from "~/lake/sync-runner.server";
import { type DirectoryCredentials, type GraphDirectory } from "../../sims/graph/directory";
import { startGraphSimulator, type GraphSim } from "../../sims/graph/server";

export const TODAY = new Date("2026-12-04T12:00:00Z");

export type M365Lake = { sim: GraphSim; directory: GraphDirectory; tenantId: string; sync(mode: "full" | "incremental"): ReturnType<typeof runSync> };

/**
 * A tenant whose lake syncs a demo directory of the Graph simulator through
 * the whole engine, as the worker would: a new one, or `tenantId` (whose Odoo
 * demo CRM's customers the meetings invite when `crmAccounts` is its seed).
 */
export async function startM365Lake(
  credentials: DirectoryCredentials,
  seed: number,
  options: { tenantId?: string; crmAccounts?: string } = {},
): Promise<M365Lake> {
  const sim = await startGraphSimulator({
    directories: [credentials],
    demo: { seed, today: TODAY, crmAccounts: options.crmAccounts === undefined ? undefined : { [credentials.directoryId]: options.crmAccounts } },
  });
  const tenant = options.tenantId
    ? { id: options.tenantId }
    : await platformDb.tenant.create({ data: { slug: `m365-${randomUUID().slice(0, 8)}`, name: "M365 Co", status: "active" } });
  const client = createGraphClient({ graphBaseUrl: sim.url, loginBaseUrl: sim.url, ...credentials, maxPageSize: 50, sleep: async () => {} });
  const kit = { connector: createM365Connector(client, lakeMailboxHoldings(tenant.id), { now: () => TODAY }), mapper: createM365Mapper({ now: () => TODAY }) };
  return {
    sim,
    directory: sim.directory(credentials.directoryId),
    tenantId: tenant.id,
    async sync(mode) {
      const { syncRunId } = await db.$withTenant(tenant.id, (tx) => requestSyncIn(tx, tenant.id, { source: "m365", mode, trigger: "cli", queue: false }));
      return runSync(tenant.id, syncRunId, kit);
    },
  };
}
