import { describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { codigo, kopi, lowly, pushQueries, setUpPushTenant } from "../../tests/support/lead-push-context";
import { plainLeads, seedRun, type SeedLead } from "../../tests/support/lead-push-fixtures";
import { applyRunPush, planRunPush } from "./lead-push.server";
import { RunNotFinishedError } from "./push-errors.server";

const ctx = setUpPushTenant();
const { partnersOf, companiesOf, writes } = pushQueries(ctx);

describe("planRunPush and applyRunPush", () => {
  it("dry-runs the creates, applies exactly those, and then has nothing left to change", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, [codigo, kopi, lowly]);

    const dry = await planRunPush(ctx.tenant.tenantId, runId);
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
      country_id: ctx.odoo.xmlId("base.sg"),
      comment: "<p>Codigo designs &amp; builds &lt;mobile&gt; apps for Singapore brands.<br>Industry: Software</p>",
      is_company: true,
      ref: "201912345A",
      company_id: ctx.tenant.companyId,
    });
    expect(dry.contacts.create.map((c) => c.values)).toEqual([
      {
        name: "Tan Wei",
        email: "wei.tan@codigo.co",
        website: "https://www.linkedin.com/in/tan-wei",
        function: "CTO",
        type: "contact",
        is_company: false,
        company_id: ctx.tenant.companyId,
      },
      // Her only email is still pending verification: she goes in by LinkedIn URL alone.
      {
        name: "Lim Mei",
        website: "https://www.linkedin.com/in/lim-mei",
        function: "CEO",
        type: "contact",
        is_company: false,
        company_id: ctx.tenant.companyId,
      },
      {
        name: "Ong",
        email: "ong@kopilabs.sg",
        website: "https://www.linkedin.com/in/ong",
        type: "contact",
        is_company: false,
        company_id: ctx.tenant.companyId,
      },
    ]);
    expect(dry.withheldEmails).toEqual({ unverified: 1, suppressed: 0, invalid: 0 });

    ctx.sim.state.resetCalls();
    const applied = await applyRunPush(ctx.tenant.tenantId, runId);
    expect(applied).toMatchObject({
      status: "applied",
      companies: { created: 2, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
      contacts: { created: 3, updated: 0, unchanged: 0 },
      excluded: 1,
      batches: 1,
    });
    expect(
      companiesOf(ctx.tenant.companyId)
        .map((p) => p.ref)
        .sort(),
    ).toEqual(["201912345A", "53312345K"]);
    expect(partnersOf(ctx.tenant.companyId).some((p) => p.email === "mei@codigo.co")).toBe(false);

    const links = await db.$withTenant(ctx.tenant.tenantId, (tx) => tx.odooPartnerLink.findMany({ orderBy: { uen: "asc" } }));
    const codigoPartner = companiesOf(ctx.tenant.companyId).find((p) => p.ref === "201912345A")!;
    expect(links.map((l) => [l.uen, l.partnerId, l.runId])).toEqual([
      ["201912345A", codigoPartner.id, runId],
      ["53312345K", companiesOf(ctx.tenant.companyId).find((p) => p.ref === "53312345K")!.id, runId],
    ]);
    expect(Object.keys(links[0]!.contactIds as object).sort()).toEqual(["https://www.linkedin.com/in/lim-mei", "wei.tan@codigo.co"]);
    expect(links.every((l) => /^[0-9a-f]{64}$/.test(l.pushedHash ?? ""))).toBe(true);

    const events = await db.$withTenant(ctx.tenant.tenantId, (tx) => tx.runEventLog.findMany({ where: { runId }, orderBy: { id: "asc" } }));
    expect(events.map((e) => [e.stage, e.event, e.status])).toEqual([
      ["odoo_push", "started", "info"],
      ["odoo_push", "batch_applied", "ok"],
      ["odoo_push", "finished", "ok"],
    ]);
    expect(events[1]!.durationMs).toEqual(expect.any(Number));
    expect(JSON.stringify(events.map((e) => ({ ...e, id: String(e.id) })))).not.toMatch(/svc-pw|@codigo\.co/);
    const usage = await db.$withTenant(ctx.tenant.tenantId, (tx) => tx.runVendorUsage.findMany({ where: { runId } }));
    expect(usage).toMatchObject([{ vendor: "odoo", calls: applied.calls, errors: 0 }]);
    expect(applied.calls).toBe(ctx.sim.state.calls.length);

    ctx.sim.state.resetCalls();
    const again = await planRunPush(ctx.tenant.tenantId, runId);
    expect(again.companies.create).toEqual([]);
    expect(again.companies.update).toEqual([]);
    expect(again.contacts.create).toEqual([]);
    expect(again.companies.skipped.map((s) => s.uen).sort()).toEqual(["201912345A", "53312345K"]);
    // Skipped by hash: Odoo was not even asked.
    expect(ctx.sim.state.calls).toHaveLength(0);

    const rechecked = await planRunPush(ctx.tenant.tenantId, runId, { recheck: true });
    expect(rechecked.companies.create).toEqual([]);
    expect(rechecked.companies.update).toEqual([]);
    expect(rechecked.contacts.create).toEqual([]);
    expect(rechecked.contacts.update).toEqual([]);
    expect(rechecked.companies.unchanged).toHaveLength(2);
    expect(rechecked.contacts.unchanged).toHaveLength(3);
    expect(writes()).toBe(0);
  });

  it("updates only what changed, never overwrites notes someone wrote, and recheck restores edits", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, [codigo]);
    await applyRunPush(ctx.tenant.tenantId, runId);
    const partner = companiesOf(ctx.tenant.companyId)[0]!;
    await ctx.admin.write("res.partner", [partner.id], { comment: "<p>Met them at a fair</p>", name: "Codigo (edited)" });

    const next = await seedRun(ctx.tenant.tenantId, [{ ...codigo, about: "Something new", phones: ["+65 6200 0000"] }]);
    const dry = await planRunPush(ctx.tenant.tenantId, next);
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
    await applyRunPush(ctx.tenant.tenantId, next);
    expect(ctx.odoo.get("res.partner", partner.id)).toMatchObject({ comment: "<p>Met them at a fair</p>", phone: "+65 6200 0000", name: "CODIGO PTE. LTD." });

    await ctx.admin.write("res.partner", [partner.id], { name: "Edited again" });
    expect((await applyRunPush(ctx.tenant.tenantId, next)).companies.skipped).toBe(1);
    expect(ctx.odoo.get("res.partner", partner.id)!.name).toBe("Edited again");
    expect((await applyRunPush(ctx.tenant.tenantId, next, undefined, { recheck: true })).companies.updated).toBe(1);
    expect(ctx.odoo.get("res.partner", partner.id)!.name).toBe("CODIGO PTE. LTD.");
  });

  it("reuses an archived partner with the same UEN and leaves it archived", async () => {
    const archived = await ctx.admin.create("res.partner", {
      name: "CODIGO PTE. LTD.",
      is_company: true,
      ref: "201912345A",
      active: false,
      company_id: ctx.tenant.companyId,
    });
    const runId = await seedRun(ctx.tenant.tenantId, [codigo]);
    const dry = await planRunPush(ctx.tenant.tenantId, runId);
    expect(dry.companies.create).toEqual([]);
    expect(dry.companies.update[0]).toMatchObject({ uen: "201912345A", id: archived, archived: true });
    await applyRunPush(ctx.tenant.tenantId, runId);
    expect(companiesOf(ctx.tenant.companyId)).toHaveLength(1);
    expect(ctx.odoo.get("res.partner", archived)).toMatchObject({ active: false, website: "https://codigo.co" });
    expect(partnersOf(ctx.tenant.companyId).filter((p) => p.parent_id === archived)).toHaveLength(2);
  });

  it("in a shared Odoo, never writes a partner without a company that every tenant sees: the tenant gets its own", async () => {
    const shared = await ctx.admin.create("res.partner", { name: "Codigo (everyone's)", is_company: true, ref: "201912345A", company_id: false });
    const before = structuredClone(ctx.odoo.get("res.partner", shared));
    const runId = await seedRun(ctx.tenant.tenantId, [codigo]);
    const dry = await planRunPush(ctx.tenant.tenantId, runId);
    expect(dry.companies.update).toEqual([]);
    expect(dry.companies.create.map((c) => c.values.company_id)).toEqual([ctx.tenant.companyId]);
    await applyRunPush(ctx.tenant.tenantId, runId);
    expect(ctx.odoo.get("res.partner", shared)).toEqual(before);
    expect(ctx.odoo.records("res.partner").filter((p) => p.parent_id === shared)).toEqual([]);
    expect(companiesOf(ctx.tenant.companyId).map((p) => p.ref)).toEqual(["201912345A"]);
  });

  it("keys contacts on email, else LinkedIn URL: a contact pushed by LinkedIn gains its email later without a duplicate", async () => {
    const first = await seedRun(ctx.tenant.tenantId, [codigo]);
    await applyRunPush(ctx.tenant.tenantId, first);
    const mei = partnersOf(ctx.tenant.companyId).find((p) => p.name === "Lim Mei")!;
    expect(mei.email).toBe(false);

    // Mei's address is verified now; Tan's LinkedIn URL changed but his email still identifies him.
    const later: SeedLead = {
      ...codigo,
      contacts: [
        { name: "Tan Wei", title: "CTO", linkedin: "https://www.linkedin.com/in/tan-wei-2", emails: [{ email: "wei.tan@codigo.co", status: "verified" }] },
        { name: "Lim Mei", title: "CEO", linkedin: "https://www.linkedin.com/in/lim-mei", emails: [{ email: "mei@codigo.co", status: "verified" }] },
      ],
    };
    const second = await seedRun(ctx.tenant.tenantId, [later]);
    const dry = await planRunPush(ctx.tenant.tenantId, second);
    expect(dry.contacts.create).toEqual([]);
    expect(dry.contacts.update.map((u) => [u.id, u.changes.map((c) => c.field)])).toEqual([
      [partnersOf(ctx.tenant.companyId).find((p) => p.name === "Tan Wei")!.id, ["website"]],
      [mei.id, ["email"]],
    ]);
    await applyRunPush(ctx.tenant.tenantId, second);
    expect(ctx.odoo.get("res.partner", mei.id)!.email).toBe("mei@codigo.co");
    expect(partnersOf(ctx.tenant.companyId).filter((p) => p.parent_id)).toHaveLength(2);
  });

  it("batches: one read pair and one create per kind per batch, links and events per batch", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, plainLeads(5, "B"));
    const result = await applyRunPush(ctx.tenant.tenantId, runId, undefined, { batchSize: 2 });
    expect(result).toMatchObject({ status: "applied", batches: 3, companies: { created: 5 }, contacts: { created: 5 } });
    // New companies have no contacts to read yet: one partner read, one country read, two creates per batch.
    expect(ctx.sim.state.countCalls({ method: "search_read", model: "res.partner" })).toBe(3);
    expect(ctx.sim.state.countCalls({ method: "search_read", model: "res.country" })).toBe(3);
    expect(ctx.sim.state.countCalls({ method: "create", model: "res.partner" })).toBe(6);
    expect(ctx.sim.state.countCalls({ method: "write" })).toBe(0);
    expect(result.calls).toBe(ctx.sim.state.calls.length);
    const events = await db.$withTenant(ctx.tenant.tenantId, (tx) =>
      tx.runEventLog.findMany({ where: { runId, event: "batch_applied" }, orderBy: { id: "asc" } }),
    );
    expect(events.map((e) => (e.args as { batch: number }).batch)).toEqual([0, 1, 2]);
    expect(await platformDb.odooPartnerLink.count({ where: { tenantId: ctx.tenant.tenantId } })).toBe(5);
    ctx.sim.state.resetCalls();
    const rechecked = await applyRunPush(ctx.tenant.tenantId, runId, undefined, { batchSize: 2, recheck: true });
    expect(rechecked).toMatchObject({ batches: 3, companies: { unchanged: 5 }, contacts: { unchanged: 5 } });
    expect(ctx.sim.state.countCalls({ method: "search_read", model: "res.partner" })).toBe(6);
    expect(writes()).toBe(0);
  });

  it("refuses a run that is still enriching", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, [codigo], "running");
    await expect(applyRunPush(ctx.tenant.tenantId, runId)).rejects.toBeInstanceOf(RunNotFinishedError);
    expect(writes()).toBe(0);
  });
});

// ---------------------------------------------------------------- crashes and faults
