import { describe, expect, it } from "vitest";
import { tenantSeverity } from "./health";

const healthy = { status: "active", worstAlert: null, odooReachable: true, syncStale: false };

describe("a tenant's severity", () => {
  it("is ok when nothing is wrong, and when Odoo was never checked", () => {
    expect(tenantSeverity(healthy)).toBe("ok");
    expect(tenantSeverity({ ...healthy, odooReachable: null, worstAlert: "info" })).toBe("ok");
  });

  it("is a warning for a warning alert, a stale sync or a workspace being set up", () => {
    expect(tenantSeverity({ ...healthy, worstAlert: "warning" })).toBe("warning");
    expect(tenantSeverity({ ...healthy, syncStale: true })).toBe("warning");
    expect(tenantSeverity({ ...healthy, status: "provisioning" })).toBe("warning");
  });

  it("is critical for an error status, a critical alert or an Odoo that stopped answering, whatever else holds", () => {
    expect(tenantSeverity({ ...healthy, status: "error" })).toBe("critical");
    expect(tenantSeverity({ ...healthy, worstAlert: "critical" })).toBe("critical");
    expect(tenantSeverity({ ...healthy, odooReachable: false, syncStale: true })).toBe("critical");
  });
});
