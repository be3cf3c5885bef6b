import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchesContactTitle } from "~/enrichment/contact-titles.server";
import { type DevWorld } from "../sims/dev-world/dev-world";
import { type WorldCompany } from "../sims/world/model";
import { waitFor } from "../support/wait-for";
import { startRunTenant, startRunWorld } from "./run-world";

/**
 * The paid LinkedIn search is spent only where the website falls short: a
 * company whose team page names two people with the wanted titles causes no
 * request at the Apify simulator; one whose site names nobody causes the
 * chain's actor runs. Counted at the simulator, not by the platform.
 */
let world: DevWorld;
let app: Awaited<ReturnType<typeof startRunTenant>>;
let titles: readonly string[];
/** The registry's companies (the world adds demo companies the registry lacks). */
let registry: Set<string>;

beforeAll(async () => {
  world = await startRunWorld({ rows: 80 });
  app = await startRunTenant("spend-co", { dailyCap: 80, concurrency: 4 });
  const { leadEngineClients } = await import("~/runs/clients.server");
  titles = leadEngineClients().defaultContactTitles;
  const rows = await app.db.platformDb.$queryRaw<Array<{ uen: string }>>`SELECT uen FROM staging_acra_companies`;
  registry = new Set(rows.map((r) => r.uen));
}, 120_000);

afterAll(async () => {
  await app?.worker.stop();
  await world?.close();
});

/** Of the world's companies with a plain, crawlable site and a LinkedIn page: how many people with the wanted titles their team page shows. */
function qualifiedOnTeamPage(company: WorldCompany): number | null {
  const site = company.site;
  if (!registry.has(company.uen) || !site || !company.linkedin || site.kind !== "rich" || site.redirect || site.robots.kind === "disallow_all") return null;
  const team = [...site.pages().values()].find((p) => p.kind === "team");
  if (!team) return 0;
  return team.sections.filter((s) => titles.some((t) => matchesContactTitle(s.paragraphs[0], t))).length;
}

async function apifyRequestsFor(uen: string): Promise<number> {
  const before = world.vendors.apify.stats.calls;
  const { runId } = await app.runs.startRun(app.tenantId, {
    kind: "manual",
    actor: { sub: "test", email: "ops@test" },
    options: { uens: [uen], includeRecent: true },
  });
  await waitFor(async () => ["succeeded", "failed"].includes((await app.events.runProgress(app.tenantId, runId))?.status ?? ""), {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: "the run to finish",
  });
  return world.vendors.apify.stats.calls - before;
}

describe("the Apify LinkedIn search, gated on the website's own contacts", () => {
  it("is not run for a company whose team page names two role-qualified people", async () => {
    const company = world.world.companies().find((c) => (qualifiedOnTeamPage(c) ?? 0) >= 2);
    expect(company && qualifiedOnTeamPage(company), "a company with two role-qualified people on its team page").toBeGreaterThanOrEqual(2);
    expect(await apifyRequestsFor(company!.uen)).toBe(0);
  });

  it("runs for a company whose website names nobody", async () => {
    const company = world.world.companies().find((c) => qualifiedOnTeamPage(c) === 0);
    expect(company && qualifiedOnTeamPage(company), "a company whose website names nobody").toBe(0);
    expect(await apifyRequestsFor(company!.uen)).toBeGreaterThanOrEqual(1);
  });
});
