import { afterAll, describe, expect, it } from "vitest";
import { createScopedClientFor, platformDb, REQUEST_CONNECTION_WAIT_MS } from "~/db.server";
import { env } from "~/env.server";
import { withLogContext } from "~/logger.server";

/**
 * A worker runs many more jobs than it has pool connections. A web request
 * that finds none free within a few seconds gives up and says so; a job waits
 * for its turn instead of failing its attempt (which would repeat its
 * company's vendor calls, and on the last attempt leave the run unfinished).
 */
const single = createScopedClientFor(env().APP_DATABASE_URL, 1);
afterAll(() => single.$disconnect());

/** Holds the client's one connection in a transaction until `release` is called. */
function holdTheConnection(tenantId: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const done = single.$withTenant(
    tenantId,
    async (tx) => {
      await tx.$executeRaw`SELECT 1`;
      holding();
      await released;
    },
    { timeout: 60_000 },
  );
  return { held, release, done };
}

describe("waiting for a pool connection", () => {
  it("a web request gives up after the request wait; a job waits until a connection is free", async () => {
    const tenant = await platformDb.tenant.create({ data: { slug: "connection-wait", name: "connection-wait", status: "active" } });

    const first = holdTheConnection(tenant.id);
    await first.held;
    const request = single.$withTenant(tenant.id, (tx) => tx.$executeRaw`SELECT 1`);
    await expect(request).rejects.toMatchObject({ code: "P2028" });
    first.release();
    await first.done;

    const second = holdTheConnection(tenant.id);
    await second.held;
    let settled = false;
    const job = withLogContext({ jobId: "42", task: "enrich_company" }, () =>
      single.$withTenant(tenant.id, (tx) => tx.$queryRaw<Array<{ tenant: string }>>`SELECT current_setting('app.tenant_id') AS tenant`),
    ).finally(() => (settled = true));
    // Longer than a request would have waited: the job is still waiting, not failed.
    await new Promise((resolve) => setTimeout(resolve, REQUEST_CONNECTION_WAIT_MS + 1_000));
    expect(settled).toBe(false);
    second.release();
    await second.done;
    expect(await job).toEqual([{ tenant: tenant.id }]);
  });
});
