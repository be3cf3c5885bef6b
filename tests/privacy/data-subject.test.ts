import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { APP_URL, ODOO_SETTINGS, type StandIns } from "../support/platform";
import { tarTextFiles } from "../support/tar-files";
import { startApiTenants } from "../support/tenant-api";
import { memberCookie } from "../support/workspace-users";

/**
 * A data-subject request in-process, against real Postgres and the Odoo
 * simulator: acme holds Jane Tan as a lead contact with her address and its
 * verification, a crawled page and a chat message that mention her, a
 * shortlist download of a run that scored her company, a data-lake contact
 * with an activity and a raw version, and an Odoo partner. An admin finds
 * all of it by address, name or LinkedIn URL, downloads the archive, and
 * erases her; the job stops once at Odoo and resumes there. Afterwards
 * nothing of her is left but the suppressed address (also on Odoo's
 * mail.blacklist), her partner is archived and anonymised, John Lim (another
 * contact of the same company) is untouched, and the receipt is in the audit
 * log. Suppression changes made in Settings follow into Odoo's blacklist.
 */
let standIns: StandIns;
let acme: Tenant;
let admin: { cookie: string; email: string };
let ops: { cookie: string };
let app: Awaited<ReturnType<typeof loadApp>>;

const JANE = { email: "jane.tan@codigo.sg", name: "Jane Tan", linkedin: "https://www.linkedin.com/in/jane-tan/" };
const UEN = "201912345K";

async function loadApp() {
  const [dbModule, page, archive, receipt, erasure, push, suppression, api, hierarchy, serving] = await Promise.all([
    import("~/db.server"),
    import("~/routes/app+/privacy"),
    import("~/routes/app+/privacy_.archive"),
    import("~/routes/app+/privacy_.receipts.$id"),
    import("~/privacy/erasure.server"),
    import("~/odoo/suppression-push.server"),
    import("~/settings/suppression.server"),
    import("~/routes/api+/privacy.search"),
    import("~/lake/hierarchy.server"),
    import("~/lake/serving-reads.server"),
  ]);
  return {
    withLakeScope: hierarchy.withLakeScope,
    WHOLE_TENANT: serving.WHOLE_TENANT,
    db: dbModule.db,
    platformDb: dbModule.platformDb,
    page,
    archive,
    receipt,
    erasure,
    push,
    suppression,
    api,
  };
}

const odooRecords = (model: string) => standIns.odoo.state.database(ODOO_SETTINGS.database).records(model);
const blacklist = () =>
  odooRecords("mail.blacklist")
    .map((b) => [b.email, b.active])
    .sort();

async function arrange(companyId: number) {
  const hash = new Uint8Array([1, 2, 3]);
  await app.withLakeScope(acme.id, app.WHOLE_TENANT, async (tx) => {
    const jane = await tx.leadContact.create({
      data: { tenantId: acme.id, uen: UEN, fullName: JANE.name, title: "CTO", companyCurrent: "Codigo", linkedinUrl: JANE.linkedin, source: "apify" },
    });
    const john = await tx.leadContact.create({
      data: { tenantId: acme.id, uen: UEN, fullName: "John Lim", linkedinUrl: "https://www.linkedin.com/in/john-lim", source: "apify" },
    });
    await tx.leadEmail.createMany({
      data: [
        { tenantId: acme.id, uen: UEN, email: JANE.email, contactId: jane.id, source: "lusha", verificationStatus: "verified" },
        { tenantId: acme.id, uen: UEN, email: "john.lim@codigo.sg", contactId: john.id, source: "lusha", verificationStatus: "verified" },
      ],
    });
    await tx.emailVerification.create({ data: { tenantId: acme.id, email: JANE.email, status: "valid" } });
    await tx.crawlPage.create({
      data: {
        tenantId: acme.id,
        uen: UEN,
        url: "https://codigo.sg/team",
        kind: "team",
        source: "crawler",
        text: "Our team: Jane Tan (CTO) and John Lim.",
        sha256: "x",
      },
    });
    const thread = await tx.chatThread.create({ data: { tenantId: acme.id, ownerSub: "ops-sub", ownerEmail: "ops@acme.test" } });
    await tx.chatMessage.create({ data: { tenantId: acme.id, threadId: thread.id, role: "user", text: `Email ${JANE.email} about the demo` } });
    const run = await tx.run.create({ data: { tenantId: acme.id, kind: "manual", status: "succeeded", runDate: new Date("2026-12-01") } });
    await tx.leadScore.create({
      data: {
        tenantId: acme.id,
        runId: run.id,
        uen: UEN,
        score: 80,
        bucket: "High",
        breakdown: {},
        rationale: "fits",
        rationaleSource: "template",
        contactWeight: 1,
      },
    });
    await tx.auditLog.create({
      data: { tenantId: acme.id, action: "export.downloaded", target: `run:${run.id}`, details: { runId: run.id, file: "shortlist.csv" } },
    });
    const lakeJane = await tx.lakeContact.create({
      data: { tenantId: acme.id, name: JANE.name, email: "Jane.Tan@codigo.sg", phone: "+65 9123 4567", contentHash: hash },
    });
    await tx.lakeActivity.create({
      data: {
        tenantId: acme.id,
        activityType: "call",
        summary: "Call Jane Tan back",
        state: "done",
        at: new Date(),
        aboutKind: "contact",
        aboutId: lakeJane.id,
        contentHash: hash,
      },
    });
  });
  const syncRun = await app.platformDb.lakeSyncRun.create({
    data: { tenantId: acme.id, source: "odoo", mode: "full", trigger: "manual", status: "succeeded" },
  });
  await app.platformDb.lakeRawRecord.create({
    data: {
      tenantId: acme.id,
      source: "odoo",
      entity: "res.partner",
      sourceId: "77",
      contentHash: hash,
      payload: { name: JANE.name, email: "Jane.Tan@codigo.sg" },
      syncRunId: syncRun.id,
    },
  });
  const { openWorkspaceOdoo } = await import("~/odoo/data-subject.server");
  const odoo = (await openWorkspaceOdoo(acme.id))!;
  const company = await odoo.session.create("res.partner", { name: "Codigo", is_company: true, company_id: companyId });
  await odoo.session.create("res.partner", { name: JANE.name, email: "Jane.Tan@codigo.sg", phone: "+65 9123 4567", parent_id: company, company_id: companyId });
  await odoo.session.create("res.partner", { name: "John Lim", email: "john.lim@codigo.sg", parent_id: company, company_id: companyId });
}

beforeAll(async () => {
  ({ standIns, acme } = await startApiTenants());
  app = await loadApp();
  admin = await memberCookie("privacy-admin", ["admin"], acme.id, "privacy-admin@acme.test");
  ops = await memberCookie("privacy-ops", ["ops"], acme.id);
  const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
  await arrange(connection.companyId!);
});

afterAll(async () => {
  await standIns?.stop();
});

type PageData = Awaited<ReturnType<typeof app.page.loader>>;
const search = async (q: string, cookie = admin.cookie) => invoke(app.page.loader, appRequest(`/app/privacy?${new URLSearchParams({ q })}`, { cookie }));
const found = async (q: string) => (await (await search(q)).json()) as PageData;

describe("finding a person", () => {
  it("lists everything acme holds about the address, in Odoo too", async () => {
    const data = await found(JANE.email);
    expect(data.error).toBeNull();
    expect(data.counts).toEqual({
      contacts: 1,
      emails: 1,
      verifications: 1,
      crawlSnippets: 1,
      chatMessages: 1,
      exports: 1,
      lakeContacts: 1,
      lakeActivities: 1,
      lakeRawRecords: 1,
      odooPartners: 1,
    });
    expect(data.records!.crawlSnippets[0]!.snippet).toContain("Jane Tan (CTO)");
    expect(data.records!.odoo).toMatchObject({ status: "ok", partners: [{ name: JANE.name, email: "Jane.Tan@codigo.sg", active: true }], blacklisted: [] });
  });

  it("finds the same person by full name and by LinkedIn URL", async () => {
    for (const q of ["jane  TAN", "linkedin.com/in/Jane-Tan"]) {
      const data = await found(q);
      expect(
        data.records!.contacts.map((c) => c.fullName),
        q,
      ).toEqual([JANE.name]);
      expect(
        data.records!.emails.map((e) => e.email),
        q,
      ).toEqual([JANE.email]);
    }
  });

  it("says why a query is refused, and finds nothing for a stranger", async () => {
    expect((await found("Jane")).error).toBe("Enter the person's full name (first and last name)");
    expect(Object.values((await found("nobody@nowhere.sg")).counts!).every((n) => n === 0)).toBe(true);
  });

  it("is for admins only, on the page and the API", async () => {
    expect((await search(JANE.email, ops.cookie)).status).toBe(403);
    const api = await invoke(app.api.loader, appRequest(`/api/privacy/search?q=${JANE.email}`, { cookie: ops.cookie }));
    expect(api.status).toBe(403);
  });

  it("downloads the archive: subject.json and a spreadsheet-safe CSV per kind of record, audited", async () => {
    const response = await invoke(app.archive.loader, appRequest(`/app/privacy/archive?q=${JANE.email}`, { cookie: admin.cookie }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="personal-data-acme-\d{4}-\d{2}-\d{2}\.tar"$/);
    const files = await tarTextFiles(Buffer.from(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(
      [
        "subject.json",
        "contacts.csv",
        "emails.csv",
        "email_verifications.csv",
        "crawl_snippets.csv",
        "chat_messages.csv",
        "exports.csv",
        "lake_contacts.csv",
        "lake_activities.csv",
        "lake_raw_records.csv",
        "odoo_partners.csv",
        "suppression_entries.csv",
      ].sort(),
    );
    const subject = JSON.parse(files["subject.json"]!) as { exportedBy: string; contacts: Array<{ fullName: string }>; counts: Record<string, number> };
    expect(subject.exportedBy).toBe(admin.email);
    expect(subject.contacts.map((c) => c.fullName)).toEqual([JANE.name]);
    expect(files["emails.csv"]).toContain(`"${JANE.email}"`);
    // A phone number starting with + would be a formula in a spreadsheet.
    expect(files["lake_contacts.csv"]).toContain(`"'+65 9123 4567"`);
    expect(files["odoo_partners.csv"]).toContain('"Jane Tan"');
    const audit = await app.db.$withTenant(acme.id, (tx) =>
      tx.auditLog.findMany({ where: { action: "privacy.exported" }, select: { actorEmail: true, details: true } }),
    );
    expect(audit).toEqual([{ actorEmail: admin.email, details: { subject: JANE.email, counts: subject.counts } }]);
  });
});

describe("erasing a person", () => {
  let erasureId: string;

  it("needs the confirmation, then queues the erasure and follows it on the page", async () => {
    const refused = await invoke(app.page.action, appRequest("/app/privacy", { cookie: admin.cookie, form: { intent: "erase", q: JANE.email } }));
    expect(((await refused.json()) as { message: string }).message).toBe("Tick the confirmation to erase this person's data.");
    const response = await invoke(
      app.page.action,
      appRequest("/app/privacy", { cookie: admin.cookie, form: { intent: "erase", q: JANE.email, confirm: "erase" } }),
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!, "http://x");
    erasureId = location.searchParams.get("erasure")!;
    const [job] = await app.platformDb.$queryRaw<Array<{ task_identifier: string; payload: unknown }>>`
      SELECT t.identifier AS task_identifier, j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE j.key = ${`erase_data_subject:${erasureId}`}`;
    expect(job).toEqual({ task_identifier: "erase_data_subject", payload: { tenantId: acme.id, requestId: erasureId } });
    const page = (await (await invoke(app.page.loader, appRequest(`/app/privacy${location.search}`, { cookie: admin.cookie }))).json()) as PageData;
    expect(page.erasure).toMatchObject({ id: erasureId, status: "queued", stepsDone: [], found: { contacts: 1, odooPartners: 1 } });
  });

  it("resumes at the step that failed", async () => {
    standIns.odoo.faults.failNext({ service: "object", method: "write", model: "res.partner", error: "network" });
    await expect(app.erasure.eraseDataSubject(acme.id, erasureId)).rejects.toThrow();
    const stopped = await app.erasure.erasureRequest(acme.id, erasureId);
    expect(stopped).toMatchObject({ status: "running", stepsDone: ["suppress", "platform", "lake_raw"] });
    expect(stopped!.error).toMatch(/^odoo: /);
    await app.erasure.eraseDataSubject(acme.id, erasureId);
    expect(await app.erasure.erasureRequest(acme.id, erasureId)).toMatchObject({
      status: "succeeded",
      stepsDone: ["suppress", "platform", "lake_raw", "odoo"],
      error: null,
      erased: {
        contacts: 1,
        emails: 1,
        verifications: 1,
        crawlPages: 1,
        chatMessages: 1,
        lakeContacts: 1,
        lakeActivities: 1,
        lakeRawRecords: 1,
        odooPartners: 1,
      },
    });
  });

  it("leaves nothing of her but the suppressed address, and John untouched", async () => {
    const after = await found(JANE.email);
    expect(after.records!.suppressions.map((s) => s.kind)).toEqual(["email"]);
    expect((await found(JANE.linkedin)).records!.suppressions.map((s) => [s.kind, s.value])).toEqual([["linkedin", "https://www.linkedin.com/in/jane-tan"]]);
    expect(after.counts).toMatchObject({
      contacts: 0,
      emails: 0,
      verifications: 0,
      crawlSnippets: 0,
      chatMessages: 0,
      lakeContacts: 0,
      lakeRawRecords: 0,
      odooPartners: 0,
    });
    const left = await app.db.$withTenant(acme.id, async (tx) => ({
      suppressed: await tx.suppressionEntry.findMany({ orderBy: { kind: "asc" }, select: { kind: true, value: true, reason: true } }),
      contacts: (await tx.leadContact.findMany({ select: { fullName: true } })).map((c) => c.fullName),
      page: (await tx.crawlPage.findFirst({ select: { text: true } }))!.text,
      message: (await tx.chatMessage.findFirst({ select: { text: true } }))!.text,
      lake: await tx.lakeContact.findMany({ select: { name: true, email: true, phone: true } }),
    }));
    expect(left).toEqual({
      suppressed: [
        { kind: "email", value: JANE.email, reason: "Erasure request" },
        { kind: "linkedin", value: "https://www.linkedin.com/in/jane-tan", reason: "Erasure request" },
      ],
      contacts: ["John Lim"],
      page: "Our team: [erased] (CTO) and John Lim.",
      message: "Email [erased] about the demo",
      lake: [{ name: "[erased]", email: null, phone: null }],
    });
    const [raw] = await app.platformDb.lakeRawRecord.findMany({ where: { tenantId: acme.id }, select: { payload: true } });
    expect(raw!.payload).toEqual({ name: "[erased]", email: "[erased]" });
  });

  it("archives and anonymises her Odoo partner and puts her address on mail.blacklist", () => {
    const partners = odooRecords("res.partner").filter((p) => p.parent_id && typeof p.parent_id === "number");
    expect(partners.map((p) => [p.name, p.email, p.phone, p.active]).sort()).toEqual([
      ["Erased contact", false, false, false],
      ["John Lim", "john.lim@codigo.sg", false, true],
    ]);
    expect(blacklist()).toEqual([[JANE.email, true]]);
  });

  it("keeps the receipt in the audit log and serves it", async () => {
    const response = await invoke(app.receipt.loader, appRequest(`/app/privacy/receipts/${erasureId}`, { cookie: admin.cookie }), { id: erasureId });
    expect(response.status).toBe(200);
    const receipt = (await response.json()) as Record<string, unknown>;
    expect(receipt).toMatchObject({
      request: erasureId,
      subject: JANE.email,
      requestedBy: admin.email,
      found: { contacts: 1, emails: 1, odooPartners: 1 },
      erased: { contacts: 1, odooPartners: 1, suppressed: 2 },
      suppressed: [JANE.email],
    });
    expect(Date.parse(String(receipt.finishedAt))).toBeGreaterThanOrEqual(Date.parse(String(receipt.requestedAt)));
    const other = await invoke(app.receipt.loader, appRequest(`/app/privacy/receipts/${crypto.randomUUID()}`, { cookie: admin.cookie }), {
      id: crypto.randomUUID(),
    });
    expect(other.status).toBe(404);
  });
});

describe("suppression changes reach Odoo's mail.blacklist", () => {
  it("lists an added address and archives a removed one", async () => {
    const actor = { sub: "privacy-admin-sub", email: admin.email };
    await app.suppression.addSuppressions(acme.id, actor, [{ kind: "email", value: "optout@codigo.sg", reason: null }], "single");
    await app.push.pushSuppressionsToOdoo(acme.id, []);
    expect(blacklist()).toEqual([
      [JANE.email, true],
      ["optout@codigo.sg", true],
    ]);
    const entry = await app.db.$withTenant(acme.id, (tx) =>
      tx.suppressionEntry.findFirstOrThrow({ where: { value: "optout@codigo.sg" }, select: { id: true } }),
    );
    await app.suppression.removeSuppression(acme.id, actor, entry.id);
    const jobs = await app.platformDb.$queryRaw<Array<{ payload: { removed: string[] } }>>`
      SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'push_suppressions_to_odoo' ORDER BY j.id`;
    expect(jobs.at(-1)!.payload.removed).toEqual(["optout@codigo.sg"]);
    await app.push.pushSuppressionsToOdoo(acme.id, ["optout@codigo.sg"]);
    expect(blacklist()).toEqual([
      [JANE.email, true],
      ["optout@codigo.sg", false],
    ]);
  });
});

describe("the privacy API", () => {
  const erasures = async () => import("~/routes/api+/privacy.erasures._index");
  const status = async () => import("~/routes/api+/privacy.erasures.$id");
  const post = async (cookie: string, body: unknown) =>
    invoke(
      (await erasures()).action,
      new Request(`${APP_URL}/api/privacy/erasures`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(body) }),
    );

  it("searches, refuses what it cannot find or parse, and queues an erasure whose status it reports", async () => {
    const searched = await invoke(app.api.loader, appRequest("/api/privacy/search?q=john.lim@codigo.sg", { cookie: admin.cookie }));
    expect(((await searched.json()) as { counts: Record<string, number> }).counts).toMatchObject({ contacts: 1, emails: 1 });
    expect((await invoke(app.api.loader, appRequest("/api/privacy/search?q=john", { cookie: admin.cookie }))).status).toBe(400);
    expect((await post(admin.cookie, { q: "nobody@nowhere.sg" })).status).toBe(404);
    expect((await post(ops.cookie, { q: "john.lim@codigo.sg" })).status).toBe(403);
    const queued = await post(admin.cookie, { q: "john.lim@codigo.sg" });
    expect(queued.status).toBe(202);
    const { id, url } = (await queued.json()) as { id: string; url: string };
    expect(url).toBe(`/api/privacy/erasures/${id}`);
    const read = await invoke((await status()).loader, appRequest(url, { cookie: admin.cookie }), { id });
    expect(await read.json()).toMatchObject({ id, status: "queued", stepsDone: [], receipt: null, found: { contacts: 1 } });
  });
});

describe("the operator's page", () => {
  it("answers for any workspace, for platform operators only", async () => {
    const [operatorPage, operator] = await Promise.all([
      import("~/routes/admin+/tenants.$id_.privacy"),
      memberCookie("privacy-operator", ["platform_operator"], null),
    ]);
    const load = (cookie: string) =>
      invoke(operatorPage.loader, appRequest(`/admin/tenants/${acme.id}/privacy?q=john.lim@codigo.sg`, { cookie }), { id: acme.id });
    const data = (await (await load(operator.cookie)).json()) as { tenant: { slug: string }; counts: Record<string, number> };
    expect(data.tenant.slug).toBe("acme");
    expect(data.counts).toMatchObject({ contacts: 1, emails: 1 });
    expect((await load(admin.cookie)).status).toBe(403);
    const unknown = await invoke(operatorPage.loader, appRequest(`/admin/tenants/${crypto.randomUUID()}/privacy`, { cookie: operator.cookie }), {
      id: crypto.randomUUID(),
    });
    expect(unknown.status).toBe(404);
  });
});

describe("an address or name with LIKE's wildcards in it", () => {
  /**
   * john_tan@acme.com and john.tan@acme.com are two people: `_` is any
   * character to ILIKE (Postgres's, and Odoo's `=ilike`), and `%` any run of
   * them, so each must be compared as the literal text it is.
   */
  const UNDERSCORE = { email: "john_tan@acme.com", name: "John Tan", phone: "+65 8000 0001" };
  const DOT = { email: "john.tan@acme.com", name: "Jon Tan", phone: "+65 8000 0002" };
  const ACME_UEN = "201900001A";

  beforeAll(async () => {
    const hash = new Uint8Array([4, 5, 6]);
    await app.withLakeScope(acme.id, app.WHOLE_TENANT, async (tx) => {
      for (const person of [UNDERSCORE, DOT]) {
        const contact = await tx.leadContact.create({
          data: {
            tenantId: acme.id,
            uen: ACME_UEN,
            fullName: person.name,
            linkedinUrl: `https://www.linkedin.com/in/${person.phone.slice(-4)}`,
            source: "apify",
          },
        });
        await tx.leadEmail.create({
          data: { tenantId: acme.id, uen: ACME_UEN, email: person.email, contactId: contact.id, source: "lusha", verificationStatus: "verified" },
        });
        await tx.lakeContact.create({ data: { tenantId: acme.id, name: person.name, email: person.email, phone: person.phone, contentHash: hash } });
      }
    });
    const connection = await app.platformDb.odooConnection.findUniqueOrThrow({ where: { tenantId: acme.id } });
    const { openWorkspaceOdoo } = await import("~/odoo/data-subject.server");
    const odoo = (await openWorkspaceOdoo(acme.id))!;
    const company = await odoo.session.create("res.partner", { name: "Acme Pte Ltd", is_company: true, company_id: connection.companyId });
    for (const person of [UNDERSCORE, DOT]) {
      await odoo.session.create("res.partner", { ...person, parent_id: company, company_id: connection.companyId });
    }
  });

  const acmePartners = () =>
    odooRecords("res.partner")
      .filter((p) => p.phone === UNDERSCORE.phone || p.phone === DOT.phone || p.name === "Erased contact")
      .map((p) => [p.name, p.email, p.phone, p.active])
      .sort();

  it("finds nothing for a pattern that no one's address or name is", async () => {
    const nothing = {
      contacts: 0,
      emails: 0,
      verifications: 0,
      crawlSnippets: 0,
      chatMessages: 0,
      exports: 0,
      lakeContacts: 0,
      lakeActivities: 0,
      lakeRawRecords: 0,
      odooPartners: 0,
    };
    for (const q of ["%@acme.com", "jo%@acme.com", "% %", "J_hn Tan"]) {
      const data = await found(q);
      expect(data.error, q).toBeNull();
      expect(data.counts, q).toEqual(nothing);
    }
  });

  it("erases only the person with that exact address, in Odoo and in the workspace's tables", async () => {
    const actor = { sub: "privacy-admin-sub", email: admin.email };
    const { id } = await app.erasure.requestErasure(acme.id, actor, { kind: "email", value: UNDERSCORE.email });
    await app.erasure.eraseDataSubject(acme.id, id);
    expect((await app.erasure.erasureRequest(acme.id, id))!.erased).toMatchObject({
      contacts: 1,
      emails: 1,
      lakeContacts: 1,
      odooPartners: 1,
      odooBlacklisted: 1,
    });
    expect(acmePartners()).toEqual([
      ["Erased contact", false, false, false],
      ["Erased contact", false, false, false],
      [DOT.name, DOT.email, DOT.phone, true],
    ]);
    expect(blacklist()).toEqual([
      [JANE.email, true],
      [UNDERSCORE.email, true],
      ["optout@codigo.sg", false],
    ]);
    const left = await app.db.$withTenant(acme.id, async (tx) => ({
      contacts: await tx.leadContact.findMany({ where: { uen: ACME_UEN }, select: { fullName: true } }),
      emails: await tx.leadEmail.findMany({ where: { uen: ACME_UEN }, select: { email: true, verificationStatus: true } }),
      lake: (await tx.lakeContact.findMany({ select: { name: true, email: true, phone: true } })).map((c) => [c.name, c.email, c.phone]).sort(),
      suppressed: (await tx.suppressionEntry.findMany({ where: { kind: "email" }, orderBy: { value: "asc" }, select: { value: true } })).map((s) => s.value),
    }));
    expect(left).toEqual({
      contacts: [{ fullName: DOT.name }],
      emails: [{ email: DOT.email, verificationStatus: "verified" }],
      lake: [
        [DOT.name, DOT.email, DOT.phone],
        ["[erased]", null, null],
        ["[erased]", null, null],
      ],
      suppressed: [JANE.email, UNDERSCORE.email],
    });
  });
});
