import { randomUUID } from "node:crypto";
import { type JobHelpers } from "graphile-worker";
import { describe, expect, it, vi } from "vitest";
import { platformDb, platformSql } from "~/db.server";
import { tenantIsWorking } from "./tenant-gate.server";

vi.mock("~/db.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/db.server")>();
  return { ...actual, platformSql: vi.fn(actual.platformSql) };
});

const helpers = {} as JobHelpers;

describe("a job's look at its tenant", () => {
  it("is shared by the jobs that ask while it is under way, and the next look sees a change", async () => {
    const tenant = await platformDb.tenant.create({ data: { slug: `gate-${randomUUID().slice(0, 8)}`, name: "Gate Co", status: "active" } });
    const looks = () => vi.mocked(platformSql).mock.calls.length;
    const before = looks();

    const together = await Promise.all(Array.from({ length: 50 }, () => tenantIsWorking(tenant.id, helpers)));
    expect(together).toEqual(Array.from({ length: 50 }, () => true));
    expect(looks() - before).toBe(1);

    await platformDb.tenant.update({ where: { id: tenant.id }, data: { status: "decommissioned" } });
    expect(await tenantIsWorking(tenant.id, helpers)).toBe(false);
    expect(looks() - before).toBe(2);
  });
});
