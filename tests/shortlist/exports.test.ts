import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_COLUMNS } from "~/exports/shortlist-export";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { daysBefore, startWorkspace, type Member } from "./workspace";

/**
 * GET /api/export/shortlist.(csv|json) and /api/export/latest_scores.(csv|json):
 * content, RFC 4180 quoting, formula neutralising, masking for viewers,
 * cookie and bearer auth, tenant isolation, filters, and the stream itself.
 */
let ws: Awaited<ReturnType<typeof startWorkspace>>;
let exportLoader: (typeof import("~/routes/api+/export.$file"))["loader"];
let exportsServer: typeof import("~/exports/shortlist-export.server");
let acme: Tenant;
let globex: Tenant;
const m: Record<string, Member> = {};
let acmeRun: { runId: string; uens: string[]; highUens: string[] };
let globexRun: { runId: string; uens: string[] };
let tricky: { uen: string; name: string; email: string };

beforeAll(async () => {
  ws = await startWorkspace();
  exportLoader = (await import("~/routes/api+/export.$file")).loader;
  exportsServer = await import("~/exports/shortlist-export.server");
  [acme, globex] = await Promise.all([ws.tenant("acme"), ws.tenant("globex")]);
  m.acmeOps = await ws.member(acme, "ops");
  m.acmeViewer = await ws.member(acme, "viewer");
  m.globexOps = await ws.member(globex, "ops");
  acmeRun = await ws.seedFinishedRun(acme.id, { companies: 30, seed: 21, runDate: ws.today });
  globexRun = await ws.seedFinishedRun(globex.id, { companies: 9, seed: 22, runDate: ws.today });

  // A company whose texts would run as formulas or break naive quoting.
  const uen = acmeRun.highUens[0]!;
  await ws.platformDb.$executeRaw`UPDATE staging_acra_companies SET entity_name = '=HYPERLINK("http://evil.example","Click") PTE. LTD.' WHERE uen = ${uen}`;
  tricky = await ws.db.$withTenant(acme.id, async (tx) => {
    await tx.leadScore.update({
      where: { tenantId_runId_uen: { tenantId: acme.id, runId: acmeRun.runId, uen } },
      data: { rationale: '-1+1, "quoted", and\r\na new line' },
    });
    const contact = await tx.leadContact.findFirstOrThrow({ where: { uen } });
    await tx.leadContact.update({ where: { tenantId_id: { tenantId: acme.id, id: contact.id } }, data: { title: "@Head of Sales" } });
    const email = await tx.leadEmail.findFirstOrThrow({ where: { uen } });
    return { uen, name: contact.fullName, email: email.email };
  });
}, 120_000);

afterAll(async () => {
  await ws?.standIns.stop();
});

async function download(file: string, query = "", auth: { cookie?: string; token?: string } = { cookie: m.acmeOps!.cookie }) {
  const response = await invoke(exportLoader, appRequest(`/api/export/${file}${query}`, auth), { file });
  return { response, text: await response.text() };
}

function csvRecords(text: string): Array<Record<string, string>> {
  return parse(text, { columns: true, relax_quotes: false }) as Array<Record<string, string>>;
}

describe("shortlist.csv", () => {
  it("streams the ranked shortlist with a header, every field quoted, CRLF rows and a tenant/date filename", async () => {
    const { response, text } = await download("shortlist.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="acme-shortlist-${ws.today}.csv"`);
    expect(response.headers.get("cache-control")).toBe("no-store");

    const lines = text.split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe(EXPORT_COLUMNS.map((c) => `"${c}"`).join(","));
    const records = csvRecords(text);
    expect(records).toHaveLength(30);
    expect(records.map((r) => Number(r.rank))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(records.map((r) => r.uen))).toEqual(new Set(acmeRun.uens));
    expect(records.every((r) => r.run_date === ws.today)).toBe(true);
    const scores = records.map((r) => Number(r.score));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Every field is quoted (the lowest ranks hold no line breaks, so one line is one record).
    for (const line of lines.slice(-5)) expect(line).toMatch(new RegExp(`^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*"){${EXPORT_COLUMNS.length - 1}}$`));
  });

  it("neutralises formula cells and keeps quotes and line breaks intact", async () => {
    const { text } = await download("shortlist.csv");
    const row = csvRecords(text).find((r) => r.uen === tricky.uen)!;
    expect(row.company_name).toBe(`'=HYPERLINK("http://evil.example","Click") PTE. LTD.`);
    expect(row.best_contact_title).toBe("'@Head of Sales");
    expect(row.rationale).toBe(`'-1+1, "quoted", and\r\na new line`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"") PTE. LTD."`);
    expect(row.best_contact_name).toBe(tricky.name);
    expect(row.best_contact_email).toBe(tricky.email);
  });

  it("picks a verified contact as the best contact, and says nothing when there is none", async () => {
    const records = csvRecords((await download("shortlist.csv")).text);
    const byUen = new Map(records.map((r) => [r.uen, r]));
    // Fixture: companies 0 and 1 of every four have a verified address, 2 an unknown one, 3 none.
    expect(byUen.get(acmeRun.uens[4]!)!.best_contact_email).toMatch(/@/);
    expect(byUen.get(acmeRun.uens[6]!)!.best_contact_email).toMatch(/@/);
    expect(byUen.get(acmeRun.uens[7]!)).toMatchObject({ best_contact_email: "", best_contact_name: expect.stringMatching(/\w/) });
    expect(byUen.get(acmeRun.uens[4]!)!.verified_contacts).toBe("1");
  });

  it("masks names and emails for a viewer", async () => {
    const { response, text } = await download("shortlist.csv", "", { cookie: m.acmeViewer!.cookie });
    expect(response.status).toBe(200);
    const row = csvRecords(text).find((r) => r.uen === tricky.uen)!;
    expect(row.best_contact_email).toBe(`${tricky.email[0]}***@${tricky.email.split("@")[1]}`);
    expect(row.best_contact_name).toBe(
      tricky.name
        .split(" ")
        .map((p) => `${p[0]}.`)
        .join(" "),
    );
    expect(text).not.toContain(tricky.email);
    expect(text).not.toContain(tricky.name);
  });

  it("applies bucket, limit and the page's filters", async () => {
    const high = csvRecords((await download("shortlist.csv", "?bucket=High&limit=4")).text);
    expect(high.map((r) => r.bucket)).toEqual(["High", "High", "High", "High"]);
    expect(high.map((r) => Number(r.rank))).toEqual([1, 2, 3, 4]);
    const searched = csvRecords((await download("shortlist.csv", `?q=${acmeRun.uens[9]}`)).text);
    expect(searched.map((r) => r.uen)).toEqual([acmeRun.uens[9]]);
    const withEmail = csvRecords((await download("shortlist.csv", "?hasEmail=1")).text);
    expect(withEmail).toHaveLength(16);
  });

  it("answers 400 for bad parameters, 404 for a day without a run and for an unknown file", async () => {
    const bad = await download("shortlist.csv", "?bucket=Top&limit=0");
    expect(bad.response.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: "invalid_query", fields: { bucket: expect.any(String), limit: expect.any(String) } });
    const none = await download("shortlist.csv", `?date=${daysBefore(ws.today, 2)}`);
    expect(none.response.status).toBe(404);
    expect(JSON.parse(none.text)).toMatchObject({ error: "no_shortlist", date: daysBefore(ws.today, 2) });
    expect((await download("everything.csv")).response.status).toBe(404);
  });

  it("answers 400, not a database error, for a day Postgres cannot hold and for NUL bytes in a search", async () => {
    for (const [file, query, field] of [
      ["shortlist.csv", "?date=0000-01-01", "date"],
      ["shortlist.json", "?q=a%00b", "q"],
      ["latest_scores.csv", "?industry=%00", "industry"],
    ] as const) {
      const { response, text } = await download(file, query);
      expect(response.status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ error: "invalid_query", fields: { [field]: expect.any(String) } });
    }
  });
});

describe("auth and tenant isolation", () => {
  it("accepts a bearer token and refuses a request without credentials", async () => {
    const { response, text } = await download("shortlist.json", "", { token: m.acmeOps!.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = JSON.parse(text) as { tenant: string; run_id: string; run_date: string; masked: boolean; rows: Array<Record<string, unknown>> };
    expect(body).toMatchObject({ tenant: "acme", run_id: acmeRun.runId, run_date: ws.today, masked: false });
    expect(body.rows).toHaveLength(30);
    expect(Object.keys(body.rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(body.rows[0]).toMatchObject({ rank: 1, bucket: "High", score: expect.any(Number) });

    const anonymous = await download("shortlist.csv", "", {});
    expect(anonymous.response.status).toBe(401);
    expect((await download("shortlist.csv", "", { token: "not-a-token" })).response.status).toBe(401);
  });

  it("gives tenant B none of tenant A's companies", async () => {
    const { text } = await download("shortlist.csv", "", { token: m.globexOps!.token });
    const uens = csvRecords(text).map((r) => r.uen);
    expect(new Set(uens)).toEqual(new Set(globexRun.uens));
    for (const uen of acmeRun.uens) expect(text).not.toContain(uen);
    const json = await download("latest_scores.json", "", { cookie: m.globexOps!.cookie });
    expect((JSON.parse(json.text) as { rows: Array<{ uen: string }> }).rows.every((r) => globexRun.uens.includes(r.uen))).toBe(true);
  });

  it("latest_scores is the newest shortlist whatever its day, masked for a viewer's token", async () => {
    const { response, text } = await download("latest_scores.csv", "", { token: m.acmeViewer!.token });
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="acme-latest-scores-${ws.today}.csv"`);
    const row = csvRecords(text).find((r) => r.uen === tricky.uen)!;
    expect(row.best_contact_email).toMatch(/^.\*\*\*@/);
  });
});

describe("the stream", () => {
  it("sends a masked download batch by batch, with the same bytes whatever the batch size", async () => {
    const run = (await exportsServer.findExportRun(acme.id, "shortlist", ws.today))!;
    const options = {
      filters: { date: null, bucket: null, industry: null, hasEmail: false, q: null },
      limit: null,
      format: "csv" as const,
      masked: true,
      tenantSlug: "acme",
      kind: "shortlist" as const,
    };
    const read = async (batchSize: number) => {
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      const reader = exportsServer.shortlistExportStream(acme.id, run, { ...options, batchSize }).getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(decoder.decode(next.value));
      return chunks;
    };
    const small = await read(7);
    const large = await read(1000);
    expect(small).toHaveLength(1 + Math.ceil(30 / 7));
    expect(large).toHaveLength(2);
    expect(small.join("")).toBe(large.join(""));
  });

  it("ends its transaction when the client goes away mid-download", async () => {
    const run = (await exportsServer.findExportRun(acme.id, "shortlist", ws.today))!;
    const stream = exportsServer.shortlistExportStream(acme.id, run, {
      filters: { date: null, bucket: null, industry: null, hasEmail: false, q: null },
      limit: null,
      format: "json",
      masked: false,
      tenantSlug: "acme",
      kind: "shortlist",
      batchSize: 1,
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    const open = async () =>
      (
        await ws.platformDb.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND query LIKE '%shortlist_export%'`
      )[0]!.n;
    const deadline = Date.now() + 5000;
    while ((await open()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await open()).toBe(0);
  });
});

describe("suppression in exports", () => {
  it("never offers a suppressed address or an address at a suppressed domain as the best contact", async () => {
    const auth = { cookie: m.globexOps!.cookie };
    const before = csvRecords((await download("shortlist.csv", "", auth)).text).filter((r) => r.best_contact_email);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const [byAddress, byDomain] = [before[0]!, before[1]!];
    const domain = byDomain.best_contact_email!.split("@")[1]!;
    await ws.db.$withTenant(globex.id, (tx) =>
      tx.suppressionEntry.createMany({
        data: [
          { kind: "email", value: byAddress.best_contact_email!.toLowerCase() },
          { kind: "domain", value: domain.toLowerCase() },
        ],
      }),
    );
    const after = csvRecords((await download("shortlist.csv", "", auth)).text);
    const emails = after.map((r) => r.best_contact_email?.toLowerCase());
    expect(emails).not.toContain(byAddress.best_contact_email!.toLowerCase());
    expect(emails.some((e) => e?.endsWith(`@${domain.toLowerCase()}`))).toBe(false);
    // The companies stay on the list; only the addresses are withheld.
    expect(after.map((r) => r.uen)).toEqual(expect.arrayContaining([byAddress.uen, byDomain.uen]));
  });
});

describe("unverified addresses in exports", () => {
  it("never offers a pending (not yet verified) address as the best contact, in CSV or JSON", async () => {
    const auth = { cookie: m.globexOps!.cookie };
    const before = csvRecords((await download("shortlist.csv", "", auth)).text).filter((r) => r.best_contact_email);
    expect(before.length).toBeGreaterThanOrEqual(1);
    const uen = before[0]!.uen!;
    // Every address of this company goes back to pending, as if verification had not run yet.
    const pending = await ws.db.$withTenant(globex.id, async (tx) => {
      await tx.leadEmail.updateMany({ where: { uen }, data: { verificationStatus: "pending" } });
      return (await tx.leadEmail.findMany({ where: { uen }, select: { email: true } })).map((e) => e.email.toLowerCase());
    });
    expect(pending.length).toBeGreaterThan(0);
    const csvRow = csvRecords((await download("shortlist.csv", "", auth)).text).find((r) => r.uen === uen);
    expect(csvRow?.uen).toBe(uen);
    expect(pending).not.toContain(csvRow!.best_contact_email!.toLowerCase());
    expect(csvRow!.best_contact_email).toBe("");
    const { rows } = JSON.parse((await download("shortlist.json", "", auth)).text) as { rows: Array<Record<string, unknown>> };
    const jsonRow = rows.find((r) => r.uen === uen);
    expect(jsonRow?.uen).toBe(uen);
    expect(jsonRow!.best_contact_email ?? null).toBeNull();
  });
});
