import { type JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { toGraphileTask } from "~/jobs/define-task.server";
import pushRunToOdoo from "../../tasks/push_run_to_odoo";
import { type OdooSimulator, type SimDatabase } from "../../tests/sims/odoo";
import { expectErrorLogs } from "../../tests/support/error-logs";
import { createTenantWithOdoo, ODOO_DB, plainLeads, seedRun, startPushSimulator, type SeedLead } from "../../tests/support/lead-push-fixtures";
import { type OdooSession } from "./client.server";
import {
  aboutComment,
  applyRunPush,
  approveRunPush,
  buildPushSet,
  emailVerdict,
  normalizeDomain,
  OdooPushFailedError,
  planRunPush,
  pushHash,
  pushModeOf,
  registryAddress,
  requestRunPush,
  RunNotFinishedError,
  runPushJobKey,
  setPushMode,
} from "./lead-push.server";
import { type DesiredCompany } from "./partners.server";

// ---------------------------------------------------------------- pure parts

describe("push set mapping", () => {
  it("lays out an ACRA address the Singapore way", () => {
    expect(
      registryAddress({ block: "10", street_name: "ANSON ROAD", level_no: "12", unit_no: "01", building_name: "INTERNATIONAL PLAZA", postal_code: "079903" }),
    ).toEqual({ street: "10 ANSON ROAD", street2: "#12-01 INTERNATIONAL PLAZA", zip: "079903", city: "Singapore", countryCode: "SG" });
    expect(registryAddress({ block: null, street_name: "JURONG PORT ROAD", level_no: null, unit_no: null, building_name: " ", postal_code: "619110" })).toEqual(
      {
        street: "JURONG PORT ROAD",
        street2: null,
        zip: "619110",
        city: "Singapore",
        countryCode: "SG",
      },
    );
    expect(registryAddress({ block: null, street_name: null, level_no: null, unit_no: null, building_name: null, postal_code: null })).toEqual({});
  });

  it("keeps the note short: about text cut at a word, then the industry", () => {
    expect(aboutComment("  We build\n apps. ", "Software")).toBe("We build apps.\nIndustry: Software");
    const long = aboutComment(`${"word ".repeat(200)}end`, null)!;
    expect(long.length).toBeLessThanOrEqual(501);
    expect(long).toMatch(/word…$/);
    expect(aboutComment(null, null)).toBeNull();
  });

  it("normalises domains", () => {
    expect(normalizeDomain("https://WWW.Acme.com.sg/about")).toBe("acme.com.sg");
    expect(normalizeDomain("acme.sg")).toBe("acme.sg");
  });

  it("pushes verified emails, unknown ones only for a business address on the company's domain, and nothing suppressed", () => {
    const none = { domains: [] as string[], emails: new Set<string>() };
    const verdict = (email: string, status: string, domain: string | null = "acme.sg", suppressed = none) =>
      emailVerdict({ email, verificationStatus: status }, domain ?? undefined, suppressed).kind;
    expect(verdict("Jo@Acme.sg", "verified")).toBe("push");
    expect(verdict("jo@gmail.com", "verified")).toBe("push");
    expect(verdict("jo@acme.sg", "unknown")).toBe("push");
    expect(verdict("jo@sales.acme.sg", "unknown")).toBe("push");
    expect(verdict("jo@other.sg", "unknown")).toBe("unverified");
    expect(verdict("jo@acme.sg", "unknown", null)).toBe("unverified");
    expect(verdict("jo@gmail.com", "unknown", "gmail.com")).toBe("unverified");
    for (const status of ["pending", "catch_all", "invalid", "do_not_mail"]) expect(verdict("jo@acme.sg", status)).toBe("unverified");
    expect(verdict("not an email", "verified")).toBe("invalid");
    expect(verdict("jo@acme.sg", "verified", "acme.sg", { domains: ["acme.sg"], emails: new Set() })).toBe("suppressed");
    expect(verdict("jo@acme.sg", "verified", "acme.sg", { domains: [], emails: new Set(["jo@acme.sg"]) })).toBe("suppressed");
  });

  it("hashes what was sent independently of contact order, and per Odoo target", () => {
    const company: DesiredCompany = {
      uen: "U1",
      name: "A",
      contacts: [
        { name: "X", email: "x@a.sg" },
        { name: "Y", linkedinUrl: "https://www.linkedin.com/in/y" },
      ],
    };
    const target = { database: "db", companyId: 3 };
    const reversed = { ...company, contacts: [...company.contacts].reverse() };
    expect(pushHash(reversed, target)).toBe(pushHash(company, target));
    expect(pushHash({ ...company, name: "B" }, target)).not.toBe(pushHash(company, target));
    expect(pushHash(company, { database: "db", companyId: 4 })).not.toBe(pushHash(company, target));
  });
});

// ---------------------------------------------------------------- against Postgres and the Odoo simulator

let sim: OdooSimulator;
let admin: OdooSession;
let odoo: SimDatabase;
let tenant: { tenantId: string; companyId: number };

beforeAll(async () => {
  ({ sim, admin } = await startPushSimulator());
  odoo = sim.state.database(ODOO_DB);
});
afterAll(() => sim.stop());

beforeEach(async () => {
  sim.faults.clear();
  tenant = await createTenantWithOdoo(sim, admin);
  sim.state.resetCalls();
});

const OPERATOR = { sub: "op-1", email: "ops@tenant.example" };
const partnersOf = (companyId: number) => odoo.records("res.partner").filter((p) => p.company_id === companyId);
const companiesOf = (companyId: number) => partnersOf(companyId).filter((p) => p.is_company === true);
const writes = () => sim.state.countCalls({ method: "create" }) + sim.state.countCalls({ method: "write" });

/** Every UEN is one partner, every contact key one child: the duplicate check of the acceptance test. */
function expectNoDuplicates(companyId: number) {
  const refs = companiesOf(companyId).map((p) => p.ref);
  expect(new Set(refs).size).toBe(refs.length);
  const childKeys = partnersOf(companyId)
    .filter((p) => p.parent_id)
    .map((p) => `${p.parent_id}:${typeof p.email === "string" ? p.email.toLowerCase() : p.website}`);
  expect(new Set(childKeys).size).toBe(childKeys.length);
}

const codigo: SeedLead = {
  uen: "201912345A",
  name: "CODIGO PTE. LTD.",
  domain: "www.codigo.co",
  about: "Codigo designs & builds <mobile> apps for Singapore brands.",
  industry: "Software",
  phones: ["+65 6100 0000"],
  address: { block: "10", street: "ANSON ROAD", level: "12", unit: "01", building: "INTERNATIONAL PLAZA", postal: "079903" },
  companyEmails: [
    { email: "tan@codigo.co", status: "verified" },
    { email: "hello@codigo.co", status: "verified" },
  ],
  contacts: [
    { name: "Tan Wei", title: "CTO", linkedin: "https://sg.linkedin.com/in/tan-wei/", emails: [{ email: "Wei.Tan@codigo.co", status: "verified" }] },
    { name: "Lim Mei", title: "CEO", linkedin: "linkedin.com/in/lim-mei", emails: [{ email: "mei@codigo.co", status: "pending" }] },
  ],
};
const kopi: SeedLead = {
  uen: "53312345K",
  name: "KOPI LABS",
  bucket: "Medium",
  score: 55,
  domain: "kopilabs.sg",
  contacts: [{ name: "Ong", linkedin: "https://www.linkedin.com/in/ong", emails: [{ email: "ong@kopilabs.sg", status: "unknown" }] }],
};
const lowly: SeedLead = { uen: "T99000001L", name: "LOW CO", bucket: "Low", score: 10, domain: "low.example" };

describe("planRunPush and applyRunPush", () => {
  it("dry-runs the creates, applies exactly those, and then has nothing left to change", async () => {
    const runId = await seedRun(tenant.tenantId, [codigo, kopi, lowly]);

    const dry = await planRunPush(tenant.tenantId, runId);
    expect(writes()).toBe(0);
    expect(dry.companies.create.map((c) => c.uen)).toEqual(["201912345A", "53312345K"]);
    expect(dry.excluded).toEqual([{ uen: "T99000001L", reason: "bucket" }]);
    expect(dry.companies.create[0]!.values).toEqual({
      name: "CODIGO PTE. LTD.",
      website: "https://codigo.co",
      email: "hello@codigo.co",
      phone: "+65 6100 0000",
      street: "10 ANSON ROAD",
      street2: "#12-01 INTERNATIONAL PLAZA",
      zip: "079903",
      city: "Singapore",
      country_id: odoo.xmlId("base.sg"),
      comment: "<p>Codigo designs &amp; builds &lt;mobile&gt; apps for Singapore brands.<br>Industry: Software</p>",
      is_company: true,
      ref: "201912345A",
      company_id: tenant.companyId,
    });
    expect(dry.contacts.create.map((c) => c.values)).toEqual([
      {
        name: "Tan Wei",
        email: "wei.tan@codigo.co",
        website: "https://www.linkedin.com/in/tan-wei",
        function: "CTO",
        type: "contact",
        is_company: false,
        company_id: tenant.companyId,
      },
      // Her only email is still pending verification: she goes in by LinkedIn URL alone.
      { name: "Lim Mei", website: "https://www.linkedin.com/in/lim-mei", function: "CEO", type: "contact", is_company: false, company_id: tenant.companyId },
      { name: "Ong", email: "ong@kopilabs.sg", website: "https://www.linkedin.com/in/ong", type: "contact", is_company: false, company_id: tenant.companyId },
    ]);
    expect(dry.withheldEmails).toEqual({ unverified: 1, suppressed: 0, invalid: 0 });

    sim.state.resetCalls();
    const applied = await applyRunPush(tenant.tenantId, runId);
    expect(applied).toMatchObject({
      status: "applied",
      companies: { created: 2, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
      contacts: { created: 3, updated: 0, unchanged: 0 },
      excluded: 1,
      batches: 1,
    });
    expect(
      companiesOf(tenant.companyId)
        .map((p) => p.ref)
        .sort(),
    ).toEqual(["201912345A", "53312345K"]);
    expect(partnersOf(tenant.companyId).some((p) => p.email === "mei@codigo.co")).toBe(false);

    const links = await db.$withTenant(tenant.tenantId, (tx) => tx.odooPartnerLink.findMany({ orderBy: { uen: "asc" } }));
    const codigoPartner = companiesOf(tenant.companyId).find((p) => p.ref === "201912345A")!;
    expect(links.map((l) => [l.uen, l.partnerId, l.runId])).toEqual([
      ["201912345A", codigoPartner.id, runId],
      ["53312345K", companiesOf(tenant.companyId).find((p) => p.ref === "53312345K")!.id, runId],
    ]);
    expect(Object.keys(links[0]!.contactIds as object).sort()).toEqual(["https://www.linkedin.com/in/lim-mei", "wei.tan@codigo.co"]);
    expect(links.every((l) => /^[0-9a-f]{64}$/.test(l.pushedHash ?? ""))).toBe(true);

    const events = await db.$withTenant(tenant.tenantId, (tx) => tx.runEventLog.findMany({ where: { runId }, orderBy: { id: "asc" } }));
    expect(events.map((e) => [e.stage, e.event, e.status])).toEqual([
      ["odoo_push", "started", "info"],
      ["odoo_push", "batch_applied", "ok"],
      ["odoo_push", "finished", "ok"],
    ]);
    expect(events[1]!.durationMs).toEqual(expect.any(Number));
    expect(JSON.stringify(events.map((e) => ({ ...e, id: String(e.id) })))).not.toMatch(/svc-pw|@codigo\.co/);
    const usage = await db.$withTenant(tenant.tenantId, (tx) => tx.runVendorUsage.findMany({ where: { runId } }));
    expect(usage).toMatchObject([{ vendor: "odoo", calls: applied.calls, errors: 0 }]);
    expect(applied.calls).toBe(sim.state.calls.length);

    sim.state.resetCalls();
    const again = await planRunPush(tenant.tenantId, runId);
    expect(again.companies.create).toEqual([]);
    expect(again.companies.update).toEqual([]);
    expect(again.contacts.create).toEqual([]);
    expect(again.companies.skipped.map((s) => s.uen).sort()).toEqual(["201912345A", "53312345K"]);
    // Skipped by hash: Odoo was not even asked.
    expect(sim.state.calls).toHaveLength(0);

    const rechecked = await planRunPush(tenant.tenantId, runId, { recheck: true });
    expect(rechecked.companies.create).toEqual([]);
    expect(rechecked.companies.update).toEqual([]);
    expect(rechecked.contacts.create).toEqual([]);
    expect(rechecked.contacts.update).toEqual([]);
    expect(rechecked.companies.unchanged).toHaveLength(2);
    expect(rechecked.contacts.unchanged).toHaveLength(3);
    expect(writes()).toBe(0);
  });

  it("updates only what changed, never overwrites notes someone wrote, and recheck restores edits", async () => {
    const runId = await seedRun(tenant.tenantId, [codigo]);
    await applyRunPush(tenant.tenantId, runId);
    const partner = companiesOf(tenant.companyId)[0]!;
    await admin.write("res.partner", [partner.id], { comment: "<p>Met them at a fair</p>", name: "Codigo (edited)" });

    const next = await seedRun(tenant.tenantId, [{ ...codigo, about: "Something new", phones: ["+65 6200 0000"] }]);
    const dry = await planRunPush(tenant.tenantId, next);
    expect(dry.companies.update).toEqual([
      {
        uen: "201912345A",
        id: partner.id,
        archived: false,
        changes: [
          { field: "name", before: "Codigo (edited)", after: "CODIGO PTE. LTD." },
          { field: "phone", before: "+65 6100 0000", after: "+65 6200 0000" },
        ],
      },
    ]);
    await applyRunPush(tenant.tenantId, next);
    expect(odoo.get("res.partner", partner.id)).toMatchObject({ comment: "<p>Met them at a fair</p>", phone: "+65 6200 0000", name: "CODIGO PTE. LTD." });

    await admin.write("res.partner", [partner.id], { name: "Edited again" });
    expect((await applyRunPush(tenant.tenantId, next)).companies.skipped).toBe(1);
    expect(odoo.get("res.partner", partner.id)!.name).toBe("Edited again");
    expect((await applyRunPush(tenant.tenantId, next, undefined, { recheck: true })).companies.updated).toBe(1);
    expect(odoo.get("res.partner", partner.id)!.name).toBe("CODIGO PTE. LTD.");
  });

  it("reuses an archived partner with the same UEN and leaves it archived", async () => {
    const archived = await admin.create("res.partner", {
      name: "CODIGO PTE. LTD.",
      is_company: true,
      ref: "201912345A",
      active: false,
      company_id: tenant.companyId,
    });
    const runId = await seedRun(tenant.tenantId, [codigo]);
    const dry = await planRunPush(tenant.tenantId, runId);
    expect(dry.companies.create).toEqual([]);
    expect(dry.companies.update[0]).toMatchObject({ uen: "201912345A", id: archived, archived: true });
    await applyRunPush(tenant.tenantId, runId);
    expect(companiesOf(tenant.companyId)).toHaveLength(1);
    expect(odoo.get("res.partner", archived)).toMatchObject({ active: false, website: "https://codigo.co" });
    expect(partnersOf(tenant.companyId).filter((p) => p.parent_id === archived)).toHaveLength(2);
  });

  it("in a shared Odoo, never writes a partner without a company that every tenant sees: the tenant gets its own", async () => {
    const shared = await admin.create("res.partner", { name: "Codigo (everyone's)", is_company: true, ref: "201912345A", company_id: false });
    const before = structuredClone(odoo.get("res.partner", shared));
    const runId = await seedRun(tenant.tenantId, [codigo]);
    const dry = await planRunPush(tenant.tenantId, runId);
    expect(dry.companies.update).toEqual([]);
    expect(dry.companies.create.map((c) => c.values.company_id)).toEqual([tenant.companyId]);
    await applyRunPush(tenant.tenantId, runId);
    expect(odoo.get("res.partner", shared)).toEqual(before);
    expect(odoo.records("res.partner").filter((p) => p.parent_id === shared)).toEqual([]);
    expect(companiesOf(tenant.companyId).map((p) => p.ref)).toEqual(["201912345A"]);
  });

  it("keys contacts on email, else LinkedIn URL: a contact pushed by LinkedIn gains its email later without a duplicate", async () => {
    const first = await seedRun(tenant.tenantId, [codigo]);
    await applyRunPush(tenant.tenantId, first);
    const mei = partnersOf(tenant.companyId).find((p) => p.name === "Lim Mei")!;
    expect(mei.email).toBe(false);

    // Mei's address is verified now; Tan's LinkedIn URL changed but his email still identifies him.
    const later: SeedLead = {
      ...codigo,
      contacts: [
        { name: "Tan Wei", title: "CTO", linkedin: "https://www.linkedin.com/in/tan-wei-2", emails: [{ email: "wei.tan@codigo.co", status: "verified" }] },
        { name: "Lim Mei", title: "CEO", linkedin: "https://www.linkedin.com/in/lim-mei", emails: [{ email: "mei@codigo.co", status: "verified" }] },
      ],
    };
    const second = await seedRun(tenant.tenantId, [later]);
    const dry = await planRunPush(tenant.tenantId, second);
    expect(dry.contacts.create).toEqual([]);
    expect(dry.contacts.update.map((u) => [u.id, u.changes.map((c) => c.field)])).toEqual([
      [partnersOf(tenant.companyId).find((p) => p.name === "Tan Wei")!.id, ["website"]],
      [mei.id, ["email"]],
    ]);
    await applyRunPush(tenant.tenantId, second);
    expect(odoo.get("res.partner", mei.id)!.email).toBe("mei@codigo.co");
    expect(partnersOf(tenant.companyId).filter((p) => p.parent_id)).toHaveLength(2);
  });

  it("skips suppressed UENs, domains and people, and never pushes an unverified email", async () => {
    const runId = await seedRun(tenant.tenantId, [
      codigo,
      kopi,
      { uen: "T10000001S", name: "SUPPRESSED BY UEN", domain: "uen.example" },
      { uen: "T10000002S", name: "SUPPRESSED BY DOMAIN", domain: "https://www.blocked.example/" },
      { uen: "T10000003S", name: "NOT IN REGISTRY", inRegistry: false },
      {
        uen: "T10000004S",
        name: "MIXED EMAILS",
        domain: "mixed.example",
        companyEmails: [
          { email: "info@mixed.example", status: "catch_all" },
          { email: "owner@gmail.com", status: "unknown" },
        ],
        contacts: [
          { name: "Opted Out", linkedin: "https://www.linkedin.com/in/opted-out", emails: [{ email: "optout@mixed.example", status: "verified" }] },
          { name: "Pending Pat", linkedin: "https://www.linkedin.com/in/pat", emails: [{ email: "pat@mixed.example", status: "pending" }] },
          { name: "Guessed Gil", linkedin: "https://www.linkedin.com/in/gil", emails: [{ email: "gil@elsewhere.example", status: "unknown" }] },
          { name: "Invalid Ivy", linkedin: "https://www.linkedin.com/in/ivy", emails: [{ email: "ivy@mixed.example", status: "invalid" }] },
        ],
      },
    ]);
    await platformDb.suppressionEntry.createMany({
      data: [
        { tenantId: tenant.tenantId, kind: "uen", value: "t10000001s" },
        { tenantId: tenant.tenantId, kind: "domain", value: "blocked.example" },
        { tenantId: tenant.tenantId, kind: "email", value: "OptOut@mixed.example" },
      ],
    });
    const set = await db.$withTenant(tenant.tenantId, (tx) => buildPushSet(tx, runId));
    expect(set.excluded).toEqual([
      { uen: "T10000001S", reason: "suppressed_uen" },
      { uen: "T10000002S", reason: "suppressed_domain" },
      { uen: "T10000003S", reason: "not_in_registry" },
    ]);
    expect(set.droppedContacts).toEqual([{ uen: "T10000004S", name: "Opted Out", reason: "suppressed_email" }]);
    expect(set.withheldEmails).toEqual({ unverified: 6, suppressed: 1, invalid: 0 });

    await applyRunPush(tenant.tenantId, runId);
    const pushed = partnersOf(tenant.companyId);
    expect(
      companiesOf(tenant.companyId)
        .map((p) => p.ref)
        .sort(),
    ).toEqual(["201912345A", "53312345K", "T10000004S"]);
    const emails = pushed
      .map((p) => p.email)
      .filter((e): e is string => typeof e === "string")
      .sort();
    expect(emails).toEqual(["hello@codigo.co", "ong@kopilabs.sg", "wei.tan@codigo.co"]);
    expect(
      pushed
        .filter((p) => p.parent_id && companiesOf(tenant.companyId).find((c) => c.id === p.parent_id)?.ref === "T10000004S")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["Guessed Gil", "Invalid Ivy", "Pending Pat"]);
    expect(pushed.some((p) => p.name === "Opted Out")).toBe(false);

    // All three buckets when asked.
    const all = await db.$withTenant(tenant.tenantId, (tx) => buildPushSet(tx, runId, { buckets: ["High", "Medium", "Low"] }));
    expect(all.excluded.some((e) => e.reason === "bucket")).toBe(false);
  });

  it("batches: one read pair and one create per kind per batch, links and events per batch", async () => {
    const runId = await seedRun(tenant.tenantId, plainLeads(5, "B"));
    const result = await applyRunPush(tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(result).toMatchObject({ status: "applied", batches: 3, companies: { created: 5 }, contacts: { created: 5 } });
    // New companies have no contacts to read yet: one partner read, one country read, two creates per batch.
    expect(sim.state.countCalls({ method: "search_read", model: "res.partner" })).toBe(3);
    expect(sim.state.countCalls({ method: "search_read", model: "res.country" })).toBe(3);
    expect(sim.state.countCalls({ method: "create", model: "res.partner" })).toBe(6);
    expect(sim.state.countCalls({ method: "write" })).toBe(0);
    expect(result.calls).toBe(sim.state.calls.length);
    const events = await db.$withTenant(tenant.tenantId, (tx) => tx.runEventLog.findMany({ where: { runId, event: "batch_applied" }, orderBy: { id: "asc" } }));
    expect(events.map((e) => (e.args as { batch: number }).batch)).toEqual([0, 1, 2]);
    expect(await platformDb.odooPartnerLink.count({ where: { tenantId: tenant.tenantId } })).toBe(5);
    sim.state.resetCalls();
    const rechecked = await applyRunPush(tenant.tenantId, runId, undefined, { batchSize: 2, recheck: true });
    expect(rechecked).toMatchObject({ batches: 3, companies: { unchanged: 5 }, contacts: { unchanged: 5 } });
    expect(sim.state.countCalls({ method: "search_read", model: "res.partner" })).toBe(6);
    expect(writes()).toBe(0);
  });

  it("refuses a run that is still enriching", async () => {
    const runId = await seedRun(tenant.tenantId, [codigo], "running");
    await expect(applyRunPush(tenant.tenantId, runId)).rejects.toBeInstanceOf(RunNotFinishedError);
    expect(writes()).toBe(0);
  });
});

// ---------------------------------------------------------------- crashes and faults

describe("crash safety", () => {
  it("a lost answer to a committed create re-plans the batch instead of creating twice", async () => {
    const runId = await seedRun(tenant.tenantId, plainLeads(4, "L"));
    sim.faults.failNext({ method: "create", model: "res.partner", error: "network", applied: true });
    sim.faults.failNext({ method: "create", model: "res.partner", skip: 2, error: "http500", applied: true });
    const result = await applyRunPush(tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(result.status).toBe("applied");
    expect(result.errors).toBe(2);
    expect(companiesOf(tenant.companyId)).toHaveLength(4);
    expect(partnersOf(tenant.companyId).filter((p) => p.parent_id)).toHaveLength(4);
    expectNoDuplicates(tenant.companyId);
    const retried = await db.$withTenant(tenant.tenantId, (tx) => tx.runEventLog.count({ where: { runId, event: "batch_retried" } }));
    expect(retried).toBe(2);
    const usage = await platformDb.runVendorUsage.findFirstOrThrow({ where: { tenantId: tenant.tenantId, runId } });
    expect(usage.errors).toBe(2);
  });

  it("after a crash at any Odoo call, running the push again converges with no duplicate partners", async () => {
    const leads = plainLeads(3, "C");
    // A clean push to count its calls: each position below is where a crash happens.
    const probe = await createTenantWithOdoo(sim, admin);
    const probeRun = await seedRun(probe.tenantId, leads);
    sim.state.resetCalls();
    await applyRunPush(probe.tenantId, probeRun, undefined, { batchSize: 2 });
    const objectCalls = sim.state.countCalls({ service: "object" });
    // Two batches of: partner read, country read, company create, contact create.
    expect(objectCalls).toBe(8);

    for (let k = 0; k < objectCalls; k++) {
      for (const applied of [true, false]) {
        const t = await createTenantWithOdoo(sim, admin);
        const runId = await seedRun(t.tenantId, leads);
        // `times` covers the client's own retries of reads: the process is "down" for this call.
        sim.faults.failNext({ service: "object", skip: k, times: 3, error: "network", applied });
        await expect(applyRunPush(t.tenantId, runId, undefined, { batchSize: 2, maxBatchAttempts: 1 })).rejects.toBeInstanceOf(OdooPushFailedError);
        sim.faults.clear();
        const rerun = await applyRunPush(t.tenantId, runId, undefined, { batchSize: 2 });
        expect(rerun.status).toBe("applied");
        expect(
          companiesOf(t.companyId)
            .map((p) => p.ref)
            .sort(),
        ).toEqual(leads.map((l) => l.uen).sort());
        expect(partnersOf(t.companyId).filter((p) => p.parent_id)).toHaveLength(3);
        expectNoDuplicates(t.companyId);
        const check = await planRunPush(t.tenantId, runId, { recheck: true });
        expect([check.companies.create, check.companies.update, check.contacts.create, check.contacts.update].flat()).toEqual([]);
      }
    }
  });

  it("two pushes of one tenant at once (a queued job and an approval) take turns instead of both creating", async () => {
    const runId = await seedRun(tenant.tenantId, plainLeads(3, "P"));
    sim.faults.setLatency(10);
    try {
      const results = await Promise.all([applyRunPush(tenant.tenantId, runId), applyRunPush(tenant.tenantId, runId, OPERATOR)]);
      expect(results.map((r) => [r.companies.created, r.companies.skipped]).sort()).toEqual([
        [0, 3],
        [3, 0],
      ]);
    } finally {
      sim.faults.setLatency(0);
    }
    expect(companiesOf(tenant.companyId)).toHaveLength(3);
    expectNoDuplicates(tenant.companyId);
  });

  it("a crash after Odoo committed but before the links were saved loses nothing", async () => {
    const runId = await seedRun(tenant.tenantId, plainLeads(3, "K"));
    await applyRunPush(tenant.tenantId, runId);
    const before = partnersOf(tenant.companyId)
      .map((p) => p.id)
      .sort();
    await platformDb.odooPartnerLink.deleteMany({ where: { tenantId: tenant.tenantId } });
    const rerun = await applyRunPush(tenant.tenantId, runId);
    expect(rerun.companies).toMatchObject({ created: 0, unchanged: 3 });
    expect(
      partnersOf(tenant.companyId)
        .map((p) => p.id)
        .sort(),
    ).toEqual(before);
    expect(await platformDb.odooPartnerLink.count({ where: { tenantId: tenant.tenantId } })).toBe(3);
  });

  it("Odoo refusing one batch fails that batch only; the next push completes it", async () => {
    const runId = await seedRun(tenant.tenantId, plainLeads(4, "V"));
    sim.faults.failNext({ method: "create", model: "res.partner", skip: 2, error: "ValidationError" });
    const result = await applyRunPush(tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(result).toMatchObject({ status: "partial", companies: { created: 2, failed: 2 } });
    const events = await db.$withTenant(tenant.tenantId, (tx) => tx.runEventLog.findMany({ where: { runId }, orderBy: { id: "asc" } }));
    expect(events.map((e) => e.event)).toEqual(["started", "batch_applied", "batch_failed", "finished"]);
    expect(events[2]!.message).toMatch(/ValidationError: Simulated failure/);
    expect(events[3]!.status).toBe("error");

    const rerun = await applyRunPush(tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(rerun).toMatchObject({ status: "applied", companies: { skipped: 2, created: 2 } });
    expectNoDuplicates(tenant.companyId);
  });

  it("Odoo staying unreachable stops the push with a retryable error, recorded in events and usage", async () => {
    const runId = await seedRun(tenant.tenantId, plainLeads(2, "D"));
    sim.faults.failNext({ service: "object", method: "create", error: "http500", times: 10 });
    await expect(applyRunPush(tenant.tenantId, runId, undefined, { maxBatchAttempts: 2 })).rejects.toBeInstanceOf(OdooPushFailedError);
    const events = await db.$withTenant(tenant.tenantId, (tx) => tx.runEventLog.findMany({ where: { runId }, orderBy: { id: "asc" } }));
    expect(events.map((e) => [e.event, e.status])).toEqual([
      ["started", "info"],
      ["batch_retried", "error"],
      ["failed", "error"],
    ]);
    expect(events[2]!.message).toMatch(/odoo http 500/);
    const usage = await platformDb.runVendorUsage.findFirstOrThrow({ where: { tenantId: tenant.tenantId, runId } });
    expect(usage.errors).toBe(2);
    expect(companiesOf(tenant.companyId)).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- push modes and the task

describe("push modes", () => {
  it("on_approval writes nothing until an operator approves, then applies once and audits once", async () => {
    expect(await pushModeOf(tenant.tenantId)).toBe("after_run");
    await setPushMode(tenant.tenantId, "on_approval", OPERATOR);
    expect(await pushModeOf(tenant.tenantId)).toBe("on_approval");
    const runId = await seedRun(tenant.tenantId, [codigo, kopi]);

    expect(await requestRunPush(tenant.tenantId, runId)).toBe("awaiting_approval");
    expect(await platformDb.$queryRaw`SELECT 1 FROM graphile_worker.jobs WHERE key = ${runPushJobKey(runId)}`).toEqual([]);
    const waiting = await applyRunPush(tenant.tenantId, runId);
    expect(waiting.status).toBe("awaiting_approval");
    expect(writes()).toBe(0);
    expect(companiesOf(tenant.companyId)).toHaveLength(0);

    const dry = await planRunPush(tenant.tenantId, runId);
    expect(dry).toMatchObject({ mode: "on_approval", approved: false });
    expect(dry.companies.create).toHaveLength(2);

    const approved = await approveRunPush(tenant.tenantId, runId, OPERATOR);
    expect(approved).toMatchObject({ status: "applied", companies: { created: 2 } });
    expect(await approveRunPush(tenant.tenantId, runId, OPERATOR)).toMatchObject({ status: "applied", companies: { skipped: 2 } });
    const audit = await platformDb.auditLog.findMany({ where: { tenantId: tenant.tenantId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.target, a.actorEmail])).toEqual([
      ["settings.odoo_push_mode_changed", null, OPERATOR.email],
      ["odoo_push.approved", runId, OPERATOR.email],
    ]);
    expect((await planRunPush(tenant.tenantId, runId)).approved).toBe(true);
    expectNoDuplicates(tenant.companyId);
  });

  it("after_run queues one push job per run under its job key", async () => {
    const runId = await seedRun(tenant.tenantId, [codigo]);
    expect(await requestRunPush(tenant.tenantId, runId)).toBe("queued");
    expect(await requestRunPush(tenant.tenantId, runId)).toBe("queued");
    const jobs = await platformDb.$queryRaw<Array<{ task_identifier: string; payload: unknown; queue_name: string | null }>>`
      SELECT t.identifier AS task_identifier, j.payload, q.queue_name
      FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
      WHERE j.key = ${runPushJobKey(runId)}`;
    expect(jobs).toEqual([{ task_identifier: "push_run_to_odoo", payload: { tenantId: tenant.tenantId, runId }, queue_name: `odoo-push:${tenant.tenantId}` }]);
    expect(writes()).toBe(0);
  });

  it("the push_run_to_odoo task applies, approves when told, and rejects bad payloads", async () => {
    expectErrorLogs(/rejecting job: tenantId Invalid UUID/);
    const helpers = { job: { id: "1", attempts: 1 } } as unknown as JobHelpers;
    const runId = await seedRun(tenant.tenantId, [codigo]);
    await pushRunToOdoo.run(pushRunToOdoo.schema.parse({ tenantId: tenant.tenantId, runId }), helpers);
    expect(companiesOf(tenant.companyId)).toHaveLength(1);

    await setPushMode(tenant.tenantId, "on_approval", OPERATOR);
    const second = await seedRun(tenant.tenantId, [kopi]);
    await pushRunToOdoo.run(pushRunToOdoo.schema.parse({ tenantId: tenant.tenantId, runId: second }), helpers);
    expect(companiesOf(tenant.companyId)).toHaveLength(1);
    await pushRunToOdoo.run(pushRunToOdoo.schema.parse({ tenantId: tenant.tenantId, runId: second, approvedBy: OPERATOR }), helpers);
    expect(
      companiesOf(tenant.companyId)
        .map((p) => p.ref)
        .sort(),
    ).toEqual(["201912345A", "53312345K"]);

    await expect(toGraphileTask(pushRunToOdoo)({ tenantId: "nope", runId }, helpers)).rejects.toThrow(/Invalid payload for push_run_to_odoo/);
    expect(pushRunToOdoo.name).toBe("push_run_to_odoo");
  });
});
