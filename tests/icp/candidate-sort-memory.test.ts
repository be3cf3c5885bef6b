import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoRegistry } from "../../app/dev/demo-registry.server";
import { DEV_APP_ROLE } from "../../app/dev/dev-logins.server";
import { refreshCandidates } from "../../app/icp/candidates.server";
import { saveIcpRules } from "../../app/icp/icp.server";

/**
 * A full evaluation sorts the whole candidate set (to write it in UEN order)
 * and hashes it against the current set; both must stay in memory. The app
 * role here gets a tiny `work_mem` and no temporary file space at all, so a
 * refresh that relied on the server's default memory would spill and fail.
 */
let owner: pg.Client;
const alice = { sub: "alice-sub", email: "alice@a.example" };
const asOf = new Date("2026-10-01T00:00:00Z");

beforeAll(async () => {
  owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await owner.connect();
  await ensureDemoRegistry({ connectionString: process.env.DATABASE_URL!, rows: 5000 });
  // Per database: each test file has its own, and the app's pool connects after this.
  const database = (await owner.query("SELECT current_database() AS d")).rows[0].d;
  await owner.query(`ALTER ROLE ${DEV_APP_ROLE.user} IN DATABASE ${database} SET work_mem = '64kB'`);
  await owner.query(`ALTER ROLE ${DEV_APP_ROLE.user} IN DATABASE ${database} SET temp_file_limit = 0`);
});
afterAll(async () => {
  await owner.end();
});

describe("candidate refresh memory", () => {
  it("fills and narrows a set larger than the role's work_mem without temporary files", async () => {
    const app = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
    await app.connect();
    try {
      // The role's settings are in force: sorting a few thousand rows needs a temporary file, and gets none.
      await expect(app.query("SELECT uen FROM staging_acra_companies ORDER BY entity_name, uen")).rejects.toThrow(/temp_file_limit/);
    } finally {
      await app.end();
    }
    const { rows } = await owner.query("INSERT INTO tenants (slug, name, status) VALUES ('wide', 'Wide', 'active') RETURNING id");
    const tenantId = rows[0].id;
    await saveIcpRules(tenantId, alice, { statuses: ["live", "live company", "struck off", "cancelled"] });
    const first = await refreshCandidates(tenantId, { reason: "test", floor: 1, asOf });
    expect(first.added).toBeGreaterThan(2000);
    await saveIcpRules(tenantId, alice, { statuses: ["live", "live company"] });
    const narrowed = await refreshCandidates(tenantId, { reason: "icp_changed", floor: 1, asOf });
    expect(narrowed.removed).toBeGreaterThan(0);
    expect(narrowed.candidateCount).toBe(first.candidateCount - narrowed.removed);
  });
});
