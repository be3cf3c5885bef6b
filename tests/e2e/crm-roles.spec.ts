import { DEMO_USERS as IDP_USERS } from "../../app/dev/idp-accounts.server";
import { formatCount, formatPercent } from "../../app/utils/number-format";
import { expectFigure, syncNow } from "./support/crm";
import {
  expectedDashboard,
  odooUserOf,
  opportunityLines,
  readOdooCrm,
  salesScope,
  type ExpectedDashboard,
  type KeyFigures,
  type OdooCrm,
  type Outcome,
} from "./support/crm-expectations";
import { DEMO_USERS, expect, test, type Page } from "./support/test";

/**
 * The sales hierarchy on globex's demo CRM, signed in as its admin (who also
 * leads Channel Sales), the leader of Direct Sales and one of its reps: what
 * each gets from the dashboard API and the deal list matches what the test
 * computes from Odoo's own records, and a deal beyond their reach is a 404.
 */
const TENANT = "globex";

type Role = "globexAdmin" | "globexManager" | "globexRep";

type ApiDeal = { id: string; name: string; value: number; stage: string; outcome: Outcome; owner: { id: string; name: string | null } | null };
type Overview = {
  openPipeline: { count: number; value: number; weightedValue: number };
  thisMonth: { won: number; lost: number; wonValue: number; averageCycleDays: number | null };
  lastMonth: { won: number; lost: number; wonValue: number; averageCycleDays: number | null };
  activities: { byRep: Array<{ ownerId: string | null; name: string | null; done: number }> };
};

/** What each role's figures are checked against; read once the sync has ended, after the Odoo records it copied. */
let crm: OdooCrm;

/** Every page of `/api/opportunities` the signed-in user may read. */
async function allDeals(page: Page): Promise<ApiDeal[]> {
  const deals: ApiDeal[] = [];
  let cursor: string | null = "";
  while (cursor !== null) {
    const response = await page.request.get(`/api/opportunities?limit=200&sort=value&cursor=${encodeURIComponent(cursor)}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { items: ApiDeal[]; next_cursor: string | null };
    deals.push(...body.items);
    cursor = body.next_cursor;
  }
  return deals;
}

function expectedFor(role: Role, now = new Date()): ExpectedDashboard & { odooUser: string } {
  const sub = IDP_USERS.find((u) => u.email === DEMO_USERS[role])!.sub;
  const user = odooUserOf(crm, sub);
  return { ...expectedDashboard(crm, salesScope(crm, user.id, { admin: role === "globexAdmin" }), now), odooUser: user.name };
}

/** The overview's figures against the expected ones; `exactReps` when no other source's people (Outlook calendars) can be in scope. */
async function expectOverview(page: Page, expected: ExpectedDashboard, options: { exactReps: boolean }) {
  expect(expected.openPipeline.count, "the demo CRM gives every role open deals").toBeGreaterThan(0);
  expect(expected.activitiesByRep.size, "and done activities in the last 30 days").toBeGreaterThan(0);
  const response = await page.request.get("/api/dashboard/overview");
  expect(response.status()).toBe(200);
  const overview = (await response.json()) as Overview;
  expect(overview.openPipeline.count).toBe(expected.openPipeline.count);
  expect(overview.openPipeline.value).toBe(expected.openPipeline.value);
  expect(overview.openPipeline.weightedValue).toBeCloseTo(expected.openPipeline.weightedValue, 2);
  for (const month of ["thisMonth", "lastMonth"] as const) {
    const { averageCycleDays, ...counts } = expected[month];
    expect(overview[month], month).toMatchObject(counts);
    if (averageCycleDays === null) expect(overview[month].averageCycleDays).toBeNull();
    else expect(overview[month].averageCycleDays).toBeCloseTo(averageCycleDays, 3);
  }
  const done = new Map(overview.activities.byRep.map((rep) => [rep.name, rep.done]));
  if (options.exactReps) expect(done).toEqual(expected.activitiesByRep);
  else for (const [name, count] of expected.activitiesByRep) expect(done.get(name), `activities done by ${name}`).toBe(count);
}

async function expectDeals(page: Page, expected: ExpectedDashboard): Promise<ApiDeal[]> {
  const deals = await allDeals(page);
  const lines = opportunityLines(deals.map((d) => ({ name: d.name, value: d.value, stage: d.stage, owner: d.owner?.name ?? null, outcome: d.outcome })));
  expect(lines).toEqual(opportunityLines(expected.opportunities));
  return deals;
}

async function expectNotFound(page: Page, deal: ApiDeal) {
  const response = await page.request.get(`/api/opportunities/${deal.id}`);
  expect(response.status(), `${deal.name} (${deal.owner?.name}) is out of reach`).toBe(404);
}

async function expectFound(page: Page, deal: ApiDeal) {
  const response = await page.request.get(`/api/opportunities/${deal.id}`);
  expect(response.status()).toBe(200);
  expect(((await response.json()) as ApiDeal).name).toBe(deal.name);
}

/**
 * A page's check for one signed-in salesperson: it opens `url` and compares
 * what the page shows with the figures computed from Odoo. Add the CRM pages
 * here as they land (Pipeline, Opportunities, Activities, Performance); each
 * role's journey runs every one.
 */
type PageCheck = { url: string; check: (page: Page, expected: ExpectedDashboard, outOfReach: string[]) => Promise<void> };

/** A Singapore month `back` months before now, as the Pipeline page's period takes it (YYYY-MM). */
function singaporeMonthsAgo(back: number): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return month.toISOString().slice(0, 7);
}

/** The rows of the deal list from the page shown to its last, following "Next page". */
async function dealRowsOnEveryPage(page: Page): Promise<number> {
  let rows = 0;
  for (;;) {
    rows += await page
      .getByRole("table", { name: /^Deals sorted by/ })
      .locator("tbody tr")
      .count();
    const next = page.getByRole("navigation", { name: "Deal pages" }).getByRole("link", { name: "Next page" });
    if ((await next.count()) === 0) return rows;
    // A full load of the next page, so no row of the page before is counted twice.
    await page.goto((await next.getAttribute("href"))!);
  }
}

/** The Performance page's key figures against what the caller's deals in Odoo add up to. */
async function expectKeyFigures(page: Page, figures: KeyFigures) {
  const grid = page.getByTestId("kpi-figures");
  await expectFigure(grid, "Won value", formatCount(figures.wonValue), `${formatCount(figures.won)} deals won`);
  await expectFigure(grid, "Win rate", formatPercent(figures.winRate), `${formatCount(figures.lost)} lost`);
  await expectFigure(grid, "Average deal size", formatCount(figures.averageDealSize));
  await expectFigure(grid, "Sales cycle", figures.averageCycleDays === null ? "—" : `${formatCount(figures.averageCycleDays)} days`, "opened to won");
}

const PAGE_CHECKS: PageCheck[] = [
  {
    // The funnel over the longest period the page allows (the demo CRM is younger) counts each stage's open deals the caller may see.
    url: `/app/pipeline?opened_from=${singaporeMonthsAgo(59)}&opened_to=${singaporeMonthsAgo(0)}`,
    check: async (page, expected) => {
      const funnel = page.getByRole("figure", { name: /Open pipeline by stage/ });
      await funnel.getByText("Show as table").click();
      expect(expected.openPipelineByStage.size).toBeGreaterThan(0);
      for (const [stage, figures] of expected.openPipelineByStage)
        await expect(funnel.getByTestId(`funnel-count-${stage}`), stage).toHaveText(String(figures.count));
      await expect(funnel.locator('[data-testid^="funnel-count-"]')).toHaveCount(expected.openPipelineByStage.size);
    },
  },
  {
    // Overdue planned activities per owner: exactly the salespeople in reach, each with Odoo's count.
    url: "/app/activities",
    check: async (page, expected) => {
      const table = page.getByTestId("overdue-by-owner");
      const shown = new Map<string, number>();
      for (const row of await table.locator("tbody tr").all()) {
        const owner = (await row.locator("th").textContent())!.trim();
        if (owner !== "No owner") shown.set(owner, Number((await row.locator("td").first().textContent())!.replace(/,/g, "")));
      }
      expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(expected.overdueActivitiesByOwner));
    },
  },
  {
    // The deal list's overdue filter, every page of it, lists exactly the caller's open deals whose deadline Odoo says is past.
    url: "/app/opportunities?closing=overdue&limit=200",
    check: async (page, expected) => {
      await expect(expected.overdue.count > 0 ? page.getByRole("table", { name: /^Deals sorted by/ }) : page.getByText("No deals match")).toBeVisible();
      expect(await dealRowsOnEveryPage(page)).toBe(expected.overdue.count);
    },
  },
  {
    // The key figures of the page's own period (the last 90 Singapore days): the deals in reach Odoo closed on those days.
    url: "/app/performance",
    check: async (page, expected) => {
      const { period, figures } = expected.performance;
      expect(figures.won, "the demo CRM gives every role deals won in the period").toBeGreaterThan(0);
      await expect(page.getByLabel("From", { exact: true })).toHaveValue(period.from);
      await expect(page.getByLabel("To", { exact: true })).toHaveValue(period.to);
      await expectKeyFigures(page, figures);
    },
  },
  {
    // The Data page's entity browser follows the hierarchy: one's own deals are found, the others' are not.
    url: "/app/data?type=opportunities",
    check: async (page, expected, outOfReach) => {
      const entities = page.getByRole("region", { name: "Canonical entities" });
      const search = async (name: string) => {
        await entities.getByRole("searchbox", { name: "Search opportunities" }).fill(name);
        await entities.getByRole("button", { name: "Search" }).click();
        await page.waitForURL((url) => url.searchParams.get("q") === name);
      };
      const own = expected.opportunities[0]!.name;
      await search(own);
      await expect(entities.getByRole("table", { name: "Canonical opportunities" }).getByRole("row").filter({ hasText: own }).first()).toBeVisible();
      for (const name of outOfReach.slice(0, 2)) {
        await search(name);
        await expect(entities).toContainText(`No opportunities match “${name}”.`);
      }
    },
  },
];

async function checkPages(page: Page, expected: ExpectedDashboard, outOfReach: string[]) {
  for (const { url, check } of PAGE_CHECKS) {
    await page.goto(url);
    await check(page, expected, outOfReach);
  }
}

/** Deal names none of the visible deals contains, so a search for them finds nothing the caller may see. */
function namesOutOfReach(all: readonly ApiDeal[], expected: ExpectedDashboard): string[] {
  const visible = expected.opportunities.map((d) => d.name);
  return [...new Set(all.map((d) => d.name))].filter((name) => !visible.some((v) => v.includes(name)));
}

let adminDeals: ApiDeal[];

test.beforeAll(async ({ browser, signedInState }) => {
  test.setTimeout(360_000);
  // Each salesperson signs in once first, so their Odoo user is linked as at any first sign-in.
  for (const role of ["globexManager", "globexRep"] as const) await signedInState(role);
  const context = await browser.newContext({ storageState: await signedInState("globexAdmin") });
  try {
    const page = await context.newPage();
    await page.goto("/app");
    await syncNow(page.request, { Origin: new URL(page.url()).origin });
    crm = await readOdooCrm(TENANT);
    adminDeals = await allDeals(page);
  } finally {
    await context.close();
  }
});

test.describe("admin", () => {
  test.use({ signedInAs: "globexAdmin" });

  test("an admin who also leads a team sees every deal and the whole workspace's figures", async ({ page }) => {
    const expected = expectedFor("globexAdmin");
    expect(salesScope(crm, odooUserOf(crm, IDP_USERS.find((u) => u.email === DEMO_USERS.globexAdmin)!.sub).id, { admin: false }).role).toBe("manager");
    expect(expected.opportunities).toHaveLength(crm.leads.length);
    await expectOverview(page, expected, { exactReps: false });
    await expectDeals(page, expected);
    await checkPages(page, expected, []);
  });
});

test.describe("team manager", () => {
  test.use({ signedInAs: "globexManager" });

  test("a team manager sees their team's deals and figures, and no deal of the other team", async ({ page }) => {
    const expected = expectedFor("globexManager");
    const owners = new Set(expected.opportunities.map((d) => d.owner));
    expect(owners.size, "the manager's team has several owners").toBeGreaterThan(1);
    expect(expected.opportunities.length).toBeLessThan(crm.leads.length);
    await expectOverview(page, expected, { exactReps: true });
    const deals = await expectDeals(page, expected);
    expect(deals.length).toBeGreaterThan(0);

    const teammate = deals.find((d) => d.owner?.name !== expected.odooUser)!;
    await expectFound(page, teammate);
    const otherTeam = adminDeals.filter((d) => !owners.has(d.owner?.name ?? null));
    expect(otherTeam.length).toBeGreaterThan(0);
    await expectNotFound(page, otherTeam[0]!);
    await checkPages(page, expected, namesOutOfReach(otherTeam, expected));
  });
});

test.describe("rep", () => {
  test.use({ signedInAs: "globexRep" });

  test("a rep sees only their own deals and figures, and a colleague's deal is a 404", async ({ page }) => {
    const expected = expectedFor("globexRep");
    expect(new Set(expected.opportunities.map((d) => d.owner))).toEqual(new Set([expected.odooUser]));
    await expectOverview(page, expected, { exactReps: true });
    const deals = await expectDeals(page, expected);
    await expectFound(page, deals[0]!);

    const colleagues = adminDeals.filter((d) => d.owner?.name !== expected.odooUser);
    await expectNotFound(page, colleagues[0]!);
    await checkPages(page, expected, namesOutOfReach(colleagues, expected));
  });
});
