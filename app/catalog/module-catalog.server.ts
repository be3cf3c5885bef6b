import { platformDb } from "~/db.server";
import { log } from "~/logger.server";
import { readModules } from "~/odoo/modules.server";
import { singleton } from "~/singleton.server";
import { adminSessionFor } from "~/tenants/provisioning.server";
import { type CatalogModule } from "./plan";

/**
 * The module catalog: what the tenants' Odoo databases offer, aggregated
 * across every reachable one (one read per database: tenants sharing a
 * database see the same modules). Kept in memory for ten minutes; the
 * catalog page's Refresh reads again.
 */

export type CatalogEntry = Omit<CatalogModule, "state"> & {
  /** In how many of the databases read the module is installed. */
  installedIn: number;
  /** Every state the module has across them (uninstallable on one Odoo version, installed on another…). */
  states: string[];
};

export type ModuleCatalog = { modules: CatalogEntry[]; databases: number; unreachable: string[]; fetchedAt: string };

const TTL_MS = 10 * 60_000;
const cache = () => singleton("module-catalog", () => ({ value: null as ModuleCatalog | null, at: 0 }));

export async function moduleCatalog(options: { refresh?: boolean } = {}): Promise<ModuleCatalog> {
  const cached = cache();
  if (!options.refresh && cached.value && Date.now() - cached.at < TTL_MS) return cached.value;
  const connections = await platformDb.odooConnection.findMany({
    where: { tenant: { status: { not: "decommissioned" } } },
    select: { tenantId: true, baseUrl: true, database: true, tenant: { select: { slug: true } } },
    orderBy: { tenantId: "asc" },
  });
  const databases = new Map<string, (typeof connections)[number]>();
  for (const c of connections) if (!databases.has(`${c.baseUrl}|${c.database}`)) databases.set(`${c.baseUrl}|${c.database}`, c);
  const entries = new Map<string, CatalogEntry>();
  const unreachable: string[] = [];
  let read = 0;
  for (const connection of databases.values()) {
    try {
      const { admin } = await adminSessionFor(connection.tenantId);
      for (const m of await readModules(admin)) {
        const entry = entries.get(m.name) ?? { ...m, installedIn: 0, states: [] };
        if (m.state === "installed") entry.installedIn += 1;
        if (!entry.states.includes(m.state)) entry.states.push(m.state);
        entries.set(m.name, entry);
      }
      read += 1;
    } catch (error) {
      log().warn({ err: error, database: connection.database }, "module catalog: Odoo not reachable");
      unreachable.push(`${connection.database} (${connection.tenant.slug})`);
    }
  }
  const value: ModuleCatalog = {
    modules: [...entries.values()]
      .map(({ name, summary, author, source, dependencies, installedIn, states }) => ({ name, summary, author, source, dependencies, installedIn, states }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    databases: read,
    unreachable,
    fetchedAt: new Date().toISOString(),
  };
  Object.assign(cached, { value, at: Date.now() });
  return value;
}
