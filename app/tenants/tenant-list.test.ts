import { describe, expect, it } from "vitest";
import { nextSort, parseTenantSort, tenantOrder } from "./tenant-list";

describe("the tenants list's sort", () => {
  it("reads a known sort and falls back to newest first", () => {
    expect(parseTenantSort("name")).toBe("name");
    expect(parseTenantSort("-plan")).toBe("-plan");
    expect(parseTenantSort("secret")).toBe("-created");
    expect(parseTenantSort(null)).toBe("-created");
  });

  it("maps to a column and a direction", () => {
    expect(tenantOrder("-created")).toEqual({ field: "createdAt", direction: "desc" });
    expect(tenantOrder("name")).toEqual({ field: "name", direction: "asc" });
  });

  it("toggles a column ascending, then descending", () => {
    expect(nextSort("-created", "name")).toBe("name");
    expect(nextSort("name", "name")).toBe("-name");
    expect(nextSort("-name", "name")).toBe("name");
  });
});
