import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { storedOdooConnection } from "../support/workspace-users";
import { daysBefore, startWorkspace, type Member } from "./workspace";

/**
 * /app/shortlist and /app/companies/:uen through their loaders and actions,
 * in-process against Postgres with RLS: filters, search, pagination and date;
 * the company page for ops and (masked) for viewers; the guarded re-enrich.
 */
let ws: Awaited<ReturnType<typeof startWorkspace>>;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
let acme: Tenant;
let globex: Tenant;
let initech: Tenant;
const m: Record<string, Member> = {};
let acmeRun: { runId: string; uens: string[]; highUens: string[] };
let globexRun: { runId: string; uens: string[] };
let olderRun: { runId: string; uens: string[] };

async function loadRoutes() {
  const [shortlist, company] = await Promise.all([import("~/routes/app+/shortlist"), import("~/routes/app+/companies.$uen")]);
  return { shortlist, company };
}

beforeAll(async () => {
  ws = await startWorkspace();
  routes = await loadRoutes();
  [acme, globex, initech] = await Promise.all([ws.tenant("acme"), ws.tenant("globex"), ws.tenant("initech")]);
  m.acmeOps = await ws.member(acme, "ops");
  m.acmeViewer = await ws.member(acme, "viewer");
  m.globexOps = await ws.member(globex, "ops");
  m.initechOps = await ws.member(initech, "ops");
  m.initechViewer = await ws.member(initech, "viewer");
  acmeRun = await ws.seedFinishedRun(acme.id, { companies: 60, seed: 11, runDate: ws.today });
  globexRun = await ws.seedFinishedRun(globex.id, { companies: 12, seed: 12, runDate: ws.today });
  olderRun = await ws.seedFinishedRun(acme.id, { companies: 4, seed: 13, runDate: daysBefore(ws.today, 3) });
  // Two industries, so the filter has something to tell apart.
  await ws.db.$withTenant(acme.id, (tx) => tx.leadFeature.updateMany({ where: { uen: { in: acmeRun.uens.slice(0, 6) } }, data: { industry: "Logistics" } }));
}, 120_000);

afterAll(async () => {
  await ws?.standIns.stop();
});

type ShortlistData = {
  date: string;
  latestDate: string | null;
  active: { id: string; status: string } | null;
  errors: Record<string, string>;
  shortlist: null | {
    run: { id: string; runDate: string };
    rows: Array<{ rank: number; uen: string; name: string; bucket: string; score: number; domain: string; industry: string; verifiedContacts: number }>;
    total: number;
    page: number;
    pages: number;
    buckets: Record<string, number>;
    industries: string[];
  };
};

async function shortlist(query: string, who: Member = m.acmeOps!) {
  const response = await invoke(routes.shortlist.loader, appRequest(`/app/shortlist${query}`, { cookie: who.cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as ShortlistData;
}

describe("the shortlist", () => {
  it("shows today's run ranked by score, 50 per page", async () => {
    const first = await shortlist("");
    expect(first.date).toBe(ws.today);
    expect(first.shortlist!.run.id).toBe(acmeRun.runId);
    expect(first.shortlist!.total).toBe(60);
    expect(first.shortlist!.pages).toBe(2);
    expect(first.shortlist!.buckets).toEqual({ High: 20, Medium: 20, Low: 20 });
    const rows = first.shortlist!.rows;
    expect(rows).toHaveLength(50);
    expect(rows.map((r) => r.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.score).toBeGreaterThanOrEqual(rows[i]!.score);
    expect(rows[0]).toMatchObject({ bucket: "High", name: expect.stringMatching(/PTE\. LTD\.$/), domain: expect.stringMatching(/\.com\.sg$/) });

    const second = await shortlist("?page=2");
    expect(second.shortlist!.rows.map((r) => r.rank)).toEqual(Array.from({ length: 10 }, (_, i) => i + 51));
    const seen = new Set([...rows, ...second.shortlist!.rows].map((r) => r.uen));
    expect(seen).toEqual(new Set(acmeRun.uens));
  });

  it("filters by bucket, industry and verified email, keeping each company's overall rank", async () => {
    const high = await shortlist("?bucket=High");
    expect(high.shortlist!.total).toBe(20);
    expect(high.shortlist!.rows.every((r) => r.bucket === "High")).toBe(true);
    expect(high.shortlist!.rows.map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    const logistics = await shortlist("?industry=Logistics");
    expect(logistics.shortlist!.industries).toEqual(["Logistics", "Software"]);
    expect(new Set(logistics.shortlist!.rows.map((r) => r.uen))).toEqual(new Set(acmeRun.uens.slice(0, 6)));

    // The fixture gives companies 0 and 1 of every four a verified address.
    const withEmail = await shortlist("?hasEmail=1");
    expect(withEmail.shortlist!.total).toBe(30);
    const verified = new Set(acmeRun.uens.filter((_, i) => i % 4 === 0 || i % 4 === 1));
    expect(withEmail.shortlist!.rows.every((r) => verified.has(r.uen))).toBe(true);

    const combined = await shortlist("?bucket=Low&industry=Logistics&hasEmail=1");
    expect(combined.shortlist!.rows.map((r) => r.uen)).toEqual([acmeRun.uens[5]]);
  });

  it("searches names, UENs and domains, treating wildcards literally", async () => {
    const byName = await shortlist("?q=lumen");
    expect(byName.shortlist!.rows.length).toBeGreaterThan(0);
    expect(byName.shortlist!.rows.every((r) => r.name.includes("LUMEN DATA"))).toBe(true);

    const uen = acmeRun.uens[17]!;
    expect((await shortlist(`?q=${uen.toLowerCase()}`)).shortlist!.rows.map((r) => r.uen)).toEqual([uen]);

    const byDomain = await shortlist("?q=harbourlinklogistics2.com");
    expect(byDomain.shortlist!.rows.map((r) => r.domain)).toEqual(["harbourlinklogistics2.com.sg"]);

    expect((await shortlist("?q=%25")).shortlist!.total).toBe(0);
    expect((await shortlist("?q=_")).shortlist!.total).toBe(0);
  });

  it("shows another day's run, and says when a day has none", async () => {
    const older = await shortlist(`?date=${daysBefore(ws.today, 3)}`);
    expect(older.shortlist!.run.id).toBe(olderRun.runId);
    expect(older.shortlist!.rows.map((r) => r.uen).sort()).toEqual([...olderRun.uens].sort());

    const empty = await shortlist(`?date=${daysBefore(ws.today, 1)}`);
    expect(empty.shortlist).toBeNull();
    expect(empty.latestDate).toBe(ws.today);
  });

  it("reports a bad filter next to its field and applies the others", async () => {
    const data = await shortlist("?bucket=Top&date=2026-13-01&q=lumen");
    expect(data.errors).toEqual({ bucket: expect.stringMatching(/High, Medium or Low/), date: expect.any(String) });
    expect(data.date).toBe(ws.today);
    expect(data.shortlist!.rows.every((r) => r.name.includes("LUMEN"))).toBe(true);
  });

  it("ranks a company by its later re-enrich score of the same day", async () => {
    const low = acmeRun.uens[2]!;
    // The shortlist was ranked when first read; the re-enrich run's finalizing ranks it again.
    expect((await shortlist("")).shortlist!.rows[0]!.uen).not.toBe(low);
    await ws.finishReEnrich(acme.id, low, { score: 99, bucket: "High", verifiedContacts: 2 });
    const data = await shortlist("");
    expect(data.shortlist!.run.id).toBe(acmeRun.runId);
    expect(data.shortlist!.rows[0]).toMatchObject({ uen: low, rank: 1, bucket: "High", score: 99, verifiedContacts: 2 });
    expect(data.shortlist!.total).toBe(60);
    expect(data.shortlist!.buckets).toEqual({ High: 21, Medium: 20, Low: 19 });
  });

  it("shows each tenant only its own companies", async () => {
    const data = await shortlist("", m.globexOps);
    expect(data.shortlist!.run.id).toBe(globexRun.runId);
    expect(data.shortlist!.rows.map((r) => r.uen).sort()).toEqual([...globexRun.uens].sort());
    expect((await shortlist(`?q=${acmeRun.uens[0]}`, m.globexOps)).shortlist!.total).toBe(0);
  });

  it("offers Run now to ops on an empty workspace and refuses a viewer's forged POST", async () => {
    const empty = await shortlist("", m.initechOps);
    expect(empty).toMatchObject({ shortlist: null, latestDate: null, active: null });

    const forged = await invoke(routes.shortlist.action, appRequest("/app/shortlist", { cookie: m.initechViewer!.cookie, form: { intent: "run_now" } }));
    expect(forged.status).toBe(403);
    expect(await ws.db.$withTenant(initech.id, (tx) => tx.run.count())).toBe(0);

    const started = await invoke(routes.shortlist.action, appRequest("/app/shortlist", { cookie: m.initechOps!.cookie, form: { intent: "run_now" } }));
    expect(started.status).toBe(302);
    const run = await ws.db.$withTenant(initech.id, (tx) => tx.run.findFirstOrThrow({ select: { id: true, kind: true, status: true, startedByEmail: true } }));
    expect(started.headers.get("location")).toBe(`/app/runs/${run.id}`);
    expect(run).toMatchObject({ kind: "manual", status: "queued", startedByEmail: "ops@initech.test" });

    expect((await shortlist("", m.initechOps)).active).toEqual({ id: run.id, status: "queued" });
    const again = await invoke(routes.shortlist.action, appRequest("/app/shortlist", { cookie: m.initechOps!.cookie, form: { intent: "run_now" } }));
    expect(again.headers.get("location")).toBe(`/app/runs/${run.id}`);
    expect(await ws.db.$withTenant(initech.id, (tx) => tx.run.count())).toBe(1);

    // Once the plan's manual runs for the day are used, the page says so (402) instead of failing.
    const { platformDb } = await import("~/db.server");
    await ws.db.$withTenant(initech.id, (tx) => tx.run.updateMany({ where: { id: run.id }, data: { status: "succeeded", finishedAt: new Date() } }));
    await platformDb.plan.create({ data: { code: "one-manual-run", name: "One a day", runsPerDay: 1 } });
    await platformDb.tenant.update({ where: { id: initech.id }, data: { plan: "one-manual-run" } });
    const refused = await invoke(routes.shortlist.action, appRequest("/app/shortlist", { cookie: m.initechOps!.cookie, form: { intent: "run_now" } }));
    expect(refused.status).toBe(402);
    expect(await refused.json()).toMatchObject({ ok: false, message: expect.stringContaining("allows 1 manual runs per day (1 used today)") });
    expect(await ws.db.$withTenant(initech.id, (tx) => tx.run.count())).toBe(1);
  });
});

type CompanyData = {
  canOperate: boolean;
  company: {
    uen: string;
    name: string;
    masked: boolean;
    registry: { status: string; entityType: string; incorporatedOn: string; address: string; ssic: Array<{ code: string; description: string }> };
    enrichment: {
      domain: string;
      contentSha256: string;
      fields: Array<{ field: string; value: string | null; provenance: { source: string; at: string | null } | null }>;
    };
    contacts: Array<{ name: string; title: string; linkedinUrl: string | null; emails: Array<{ email: string; status: string }> }>;
    otherEmails: Array<{ email: string }>;
    sources: Array<{ url: string; kind: string; source: string; sha256: string; fetchedAt: string }>;
    score: {
      runId: string;
      bucket: string;
      score: number;
      rationale: string;
      breakdown: Array<{ feature: string; label: string; points: number; weight: number }>;
    };
    odoo: { partnerId: number; url: string | null } | null;
    reEnrichRun: { id: string; status: string } | null;
  };
};

async function companyPage(uen: string, who: Member) {
  const response = await invoke(routes.company.loader, appRequest(`/app/companies/${uen}`, { cookie: who.cookie }), { uen });
  return { status: response.status, text: await response.clone().text(), data: (response.status === 200 ? await response.json() : null) as CompanyData | null };
}

function reEnrich(uen: string, who: Member, form: Record<string, string> = { intent: "re_enrich" }) {
  return invoke(routes.company.action, appRequest(`/app/companies/${uen}`, { cookie: who.cookie, form }), { uen });
}

describe("the company page", () => {
  it("explains a High company to ops: registry, provenance, contacts, sources, breakdown and rationale", async () => {
    const uen = acmeRun.highUens[4]!;
    const { status, data } = await companyPage(uen, m.acmeOps!);
    expect(status).toBe(200);
    const c = data!.company;
    expect(data!.canOperate).toBe(true);
    expect(c.masked).toBe(false);
    expect(c.name).toMatch(/PTE\. LTD\.$/);
    expect(c.registry).toMatchObject({
      status: "Live Company",
      entityType: "Local Company",
      address: expect.stringContaining("ANSON ROAD"),
      ssic: [{ code: "62011", description: expect.stringContaining("software") }],
    });
    expect(c.registry.incorporatedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(c.enrichment.fields.find((f) => f.field === "about_text")).toMatchObject({
      value: expect.stringContaining("builds software"),
      provenance: { source: "llm_extraction", at: expect.any(String) },
    });
    expect(c.enrichment.fields.find((f) => f.field === "domain")).toMatchObject({ value: c.enrichment.domain, provenance: { source: "crawler:high" } });
    expect(c.contacts).toHaveLength(1);
    expect(c.contacts[0]!.name).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)* [A-Z][a-z]+$/);
    expect(c.contacts[0]!.linkedinUrl).toMatch(/^https:\/\/www\.linkedin\.com\/in\//);
    expect(c.contacts[0]!.emails[0]).toMatchObject({ email: expect.stringMatching(/^[a-z]+@/), status: "verified" });
    expect(c.sources[0]).toMatchObject({ kind: "about", source: "crawler", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(c.score).toMatchObject({ runId: acmeRun.runId, bucket: "High", rationale: expect.stringContaining("verified decision-maker") });
    expect(c.score.breakdown.map((b) => b.label)).toEqual(["ICP match", "Decision-makers"]);
    expect(c.odoo).toBeNull();
    expect(c.reEnrichRun).toBeNull();
  });

  it("masks personal data for a viewer, in the data sent to the browser", async () => {
    const uen = acmeRun.highUens[4]!;
    const full = (await companyPage(uen, m.acmeOps!)).data!.company;
    const { data, text } = await companyPage(uen, m.acmeViewer!);
    const c = data!.company;
    expect(data!.canOperate).toBe(false);
    expect(c.masked).toBe(true);
    const realName = full.contacts[0]!.name;
    const realEmail = full.contacts[0]!.emails[0]!.email;
    expect(c.contacts[0]!.name).toBe(
      realName
        .split(" ")
        .map((p) => `${p[0]}.`)
        .join(" "),
    );
    expect(c.contacts[0]!.emails[0]!.email).toBe(`${realEmail[0]}***@${realEmail.split("@")[1]}`);
    expect(c.contacts[0]!.linkedinUrl).toBeNull();
    expect(c.enrichment.fields.find((f) => f.field === "phones")!.value).toMatch(/^\*\*\* \d{3}$/);
    expect(text).not.toContain(realEmail);
    expect(text).not.toContain(realName);
    expect(text).not.toContain("linkedin.com/in/");
    // Everything else is the same.
    expect(c.score).toEqual(full.score);
    expect(c.sources).toEqual(full.sources);
  });

  it("never sends a stored non-LinkedIn link for the page's href, and canonicalises a LinkedIn one", async () => {
    const [scripted, plain] = [acmeRun.highUens[6]!, acmeRun.highUens[7]!];
    // As a Lusha contact stored before vendor links were checked.
    await ws.db.$withTenant(acme.id, async (tx) => {
      await tx.leadContact.updateMany({ where: { uen: scripted }, data: { linkedinUrl: "javascript:alert(document.cookie)", source: "lusha" } });
      await tx.leadContact.updateMany({ where: { uen: plain }, data: { linkedinUrl: "http://sg.linkedin.com/in/plain-http?trk=lusha", source: "lusha" } });
    });
    const page = await companyPage(scripted, m.acmeOps!);
    expect(page.data!.company.contacts[0]!.linkedinUrl).toBeNull();
    expect(page.text).not.toContain("javascript:");
    expect((await companyPage(plain, m.acmeOps!)).data!.company.contacts[0]!.linkedinUrl).toBe("https://www.linkedin.com/in/plain-http/");
  });

  it("answers 404 for an unknown UEN, another tenant's company and a malformed one", async () => {
    expect((await companyPage("199999999Z", m.acmeOps!)).status).toBe(404);
    expect((await companyPage(globexRun.uens[0]!, m.acmeOps!)).status).toBe(404);
    expect((await companyPage("not-a-uen!", m.acmeOps!)).status).toBe(404);
    expect((await companyPage(globexRun.uens[0]!, m.globexOps!)).status).toBe(200);
  });

  it("links the Odoo partner once the company was pushed", async () => {
    const uen = acmeRun.highUens[2]!;
    await storedOdooConnection(acme.id, "https://odoo.acme.example/");
    await ws.db.$withTenant(acme.id, (tx) => tx.odooPartnerLink.create({ data: { tenantId: acme.id, uen, partnerId: 314 } }));
    const { data } = await companyPage(uen, m.acmeViewer!);
    expect(data!.company.odoo).toMatchObject({ partnerId: 314, url: "https://odoo.acme.example/web#id=314&model=res.partner&view_type=form" });
  });
});

describe("re-enrich", () => {
  const reEnrichRuns = (tenantId: string) => ws.db.$withTenant(tenantId, (tx) => tx.run.findMany({ where: { kind: "re_enrich", status: "queued" } }));

  it("refuses a viewer's forged POST with 403 and starts nothing", async () => {
    const before = (await reEnrichRuns(acme.id)).length;
    const response = await reEnrich(acmeRun.highUens[0]!, m.acmeViewer!, { intent: "re_enrich", includeCareers: "on" });
    expect(response.status).toBe(403);
    expect(await reEnrichRuns(acme.id)).toHaveLength(before);
  });

  it("answers 404 for another tenant's company and starts nothing", async () => {
    const before = (await reEnrichRuns(acme.id)).length;
    expect((await reEnrich(globexRun.uens[0]!, m.acmeOps!)).status).toBe(404);
    expect(await reEnrichRuns(acme.id)).toHaveLength(before);
    expect(await reEnrichRuns(globex.id)).toHaveLength(0);
  });

  it("starts a one-company run with the chosen options, audited, and the page follows it", async () => {
    const uen = acmeRun.highUens[0]!;
    const response = await reEnrich(uen, m.acmeOps!, { intent: "re_enrich", includeCareers: "on" });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { ok: boolean; runId: string };
    expect(result.ok).toBe(true);
    const run = await ws.db.$withTenant(acme.id, (tx) => tx.run.findUniqueOrThrow({ where: { tenantId_id: { tenantId: acme.id, id: result.runId } } }));
    expect(run).toMatchObject({
      kind: "re_enrich",
      status: "queued",
      startedByEmail: "ops@acme.test",
      options: { uens: [uen], includeCareers: true, forceRecrawl: false },
    });
    const audit = await ws.platformDb.auditLog.findFirst({ where: { tenantId: acme.id, action: "run.started", target: result.runId } });
    expect(audit).toMatchObject({ actorEmail: "ops@acme.test" });
    const [job] = await ws.platformDb.$queryRaw<
      Array<{ task_identifier: string }>
    >`SELECT task_identifier FROM graphile_worker.jobs WHERE key = ${`run:${result.runId}:start`}`;
    expect(job?.task_identifier).toBe("start_run");

    const page = await companyPage(uen, m.acmeOps!);
    expect(page.data!.company.reEnrichRun).toEqual({ id: result.runId, status: "queued" });
  });

  it("rejects a malformed form without starting a run", async () => {
    const before = (await reEnrichRuns(acme.id)).length;
    const response = await reEnrich(acmeRun.highUens[0]!, m.acmeOps!, { intent: "explode" });
    expect(await response.json()).toMatchObject({ ok: false });
    expect(await reEnrichRuns(acme.id)).toHaveLength(before);
  });
});
