/** The tenants list's sorts (`-` first for descending), shared by the page, GET /api/tenants and the server. */
export const TENANT_SORTS = ["name", "-name", "created", "-created", "status", "-status", "plan", "-plan"] as const;
export type TenantSort = (typeof TENANT_SORTS)[number];

const FIELDS = { name: "name", created: "createdAt", status: "status", plan: "plan" } as const;

export function parseTenantSort(value: string | null | undefined): TenantSort {
  return (TENANT_SORTS as readonly string[]).includes(value ?? "") ? (value as TenantSort) : "-created";
}

export function tenantOrder(sort: TenantSort): { field: (typeof FIELDS)[keyof typeof FIELDS]; direction: "asc" | "desc" } {
  const descending = sort.startsWith("-");
  return { field: FIELDS[sort.replace(/^-/, "") as keyof typeof FIELDS], direction: descending ? "desc" : "asc" };
}

/** The sort a column header links to: ascending first, then descending. */
export function nextSort(current: TenantSort, column: keyof typeof FIELDS): TenantSort {
  return current === column ? (`-${column}` as TenantSort) : column;
}
