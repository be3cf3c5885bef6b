/**
 * Which tables hold a tenant's rows, and in which order to delete them. The
 * list is read from the database's catalog (every table with a tenant_id
 * column), so a table added later is exported and purged without anyone
 * remembering to list it here.
 */

/**
 * Kept when a tenant is decommissioned: billing records the law requires
 * (invoices and their lines, once billing exists), the history of the
 * tenant's lifecycle operations, and the lifecycle's files (the export and
 * the deletion receipt; its Odoo backups are deleted with the rest).
 */
export const RETAINED_TABLES: readonly string[] = ["invoices", "invoice_lines", "tenant_operations", "tenant_files"];

/** Not in the export: the platform's own credentials and sessions, and the lifecycle's files themselves. */
export const UNEXPORTED_TABLES: readonly string[] = ["odoo_connections", "sessions", "tenant_files"];

export type ForeignKey = { child: string; parent: string };

/**
 * The tables in an order that deletes a row before the row it references:
 * children first. A table referencing itself is fine (one DELETE removes the
 * whole tenant's rows); a cycle between tables is not, and is reported.
 */
export function purgeOrder(tables: readonly string[], foreignKeys: readonly ForeignKey[]): string[] {
  const inSet = new Set(tables);
  const children = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const { child, parent } of foreignKeys) {
    if (child !== parent && inSet.has(child) && inSet.has(parent)) children.get(parent)!.add(child);
  }
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: string, path: string[]) => {
    if (state.get(table) === "done") return;
    if (state.get(table) === "visiting") throw new Error(`tenant tables reference each other in a cycle: ${[...path, table].join(" → ")}`);
    state.set(table, "visiting");
    for (const child of [...children.get(table)!].sort()) visit(child, [...path, table]);
    state.set(table, "done");
    order.push(table);
  };
  for (const table of [...tables].sort()) visit(table, []);
  return order;
}

export function purgeableTables(tenantTables: readonly string[]): string[] {
  return tenantTables.filter((t) => !RETAINED_TABLES.includes(t));
}

export type PurgeCounts = Record<string, number>;

/** The deletion receipt: what went, what stayed, in a form a customer or an auditor reads without us. */
export function deletionReceipt(input: {
  tenant: { id: string; slug: string; name: string };
  requestedBy: string;
  requestedAt: string;
  purgedAt: string;
  odoo: string;
  counts: PurgeCounts;
  export: { filename: string; sha256: string; sizeBytes: number } | null;
}) {
  const total = Object.values(input.counts).reduce((sum, n) => sum + n, 0);
  return {
    receipt: "tenant-decommission",
    tenant: input.tenant,
    requested_by: input.requestedBy,
    requested_at: input.requestedAt,
    purged_at: input.purgedAt,
    odoo: input.odoo,
    rows_deleted: Object.fromEntries(Object.entries(input.counts).sort(([a], [b]) => a.localeCompare(b))),
    rows_deleted_total: total,
    retained_tables: RETAINED_TABLES,
    export: input.export,
  };
}
