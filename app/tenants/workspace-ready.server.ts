import { platformDb } from "~/db.server";

/** The workspace, once provisioned (a fresh clone provisions the demo tenants at first start). */
export async function waitForWorkspace(slug: string, progress: (line: string) => void) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const tenant = await platformDb.tenant.findUnique({ where: { slug }, select: { id: true, status: true } });
    if (!tenant) throw new Error(`No tenant "${slug}". The demo tenants are acme and globex; others appear when their first user signs in.`);
    if (tenant.status === "active") return tenant;
    if (tenant.status === "paused" || tenant.status === "decommissioned") throw new Error(`Tenant "${slug}" is ${tenant.status}`);
    if (tenant.status === "error") throw new Error(`Tenant "${slug}" failed to provision; see /admin`);
    if (Date.now() > deadline) throw new Error(`Tenant "${slug}" is still being set up`);
    progress(`waiting for the "${slug}" workspace to be set up…`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
