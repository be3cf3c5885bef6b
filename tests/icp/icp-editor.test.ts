import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The ICP editor at /app/icp through its route modules: viewers read,
 * ops and admins save versions; invalid input comes back per field with the
 * user's values; the live preview answers for unsaved rules.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let tenant: string;
const cookies: Record<string, string> = {};

async function loadApp() {
  const [db, editor, preview, icp, demoRegistry] = await Promise.all([
    import("~/db.server"),
    import("~/routes/app+/icp"),
    import("~/routes/app+/icp_.preview"),
    import("~/icp/icp.server"),
    import("~/dev/demo-registry.server"),
  ]);
  return { ...db, editor, preview, ...icp, ...demoRegistry };
}

async function member(key: string, roles: string[]) {
  cookies[key] = (await memberCookie(key, roles, tenant)).cookie;
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  await app.ensureDemoRegistry({ connectionString: process.env.DATABASE_URL!, rows: 2000 });
  tenant = (await app.platformDb.tenant.create({ data: { slug: "icp-editor", name: "ICP Editor Co", status: "active" } })).id;
  await member("ops", ["ops"]);
  await member("viewer", ["viewer"]);
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

/** The editor's form as the browser posts it, from the default rules plus overrides. */
function formOf(overrides: Record<string, string | string[]>) {
  const form = new URLSearchParams({ intent: "save" });
  const fields: Record<string, string | string[]> = {
    industries: ["software"],
    statuses: ["Live Company", "Live"],
    employeesMin: "10",
    employeesMax: "200",
    contactTitles: "Founder, CEO, Managing Director, CTO, Head of Sales, Head of Operations",
    dailyCap: "100",
    nightlyEnabled: "on",
    nightlyHour: "2",
    freeMail: "exclude",
    scoreHigh: "70",
    scoreMedium: "40",
    ...overrides,
  };
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  return form;
}

async function save(who: string, form: URLSearchParams) {
  const request = new Request(new URL("/app/icp", "http://localhost:3999"), {
    method: "POST",
    headers: { cookie: cookies[who]!, "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const response = await invoke(app.editor.action, request);
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

async function page(who: string) {
  const response = await invoke(app.editor.loader, appRequest("/app/icp", { cookie: cookies[who] }));
  expect(response.status).toBe(200);
  return response.json() as Promise<{
    version: number | null;
    canEdit: boolean;
    values: Record<string, string | string[]>;
    preview: { ok: true; count: number; sample: unknown[] };
    history: Array<{ version: number; author: string; changes: Array<{ path: string; kind: string; text: string }> }>;
  }>;
}

describe("the ICP editor", () => {
  it("shows a viewer the default rules read-only, with a preview and no history", async () => {
    const data = await page("viewer");
    expect(data).toMatchObject({ version: null, canEdit: false, history: [] });
    expect(data.values).toMatchObject({ industries: ["software"], employeesMin: "10", employeesMax: "200", nightlyEnabled: "on" });
    expect(data.preview.count).toBeGreaterThan(20);
    expect(data.preview.sample).toHaveLength(20);
    expect((await page("ops")).canEdit).toBe(true);
  });

  it("answers a viewer's POST with 403 and saves nothing", async () => {
    const result = await save("viewer", formOf({ employeesMax: "500" }));
    expect(result.status).toBe(403);
    expect(await app.currentIcpRules(tenant)).toBeNull();
  });

  it("returns errors per field and the user's own input when the rules are invalid", async () => {
    const input = formOf({ employeesMin: "500", employeesMax: "10", dailyCap: "lots" });
    const first = await save("ops", input);
    expect(first.body).toMatchObject({
      ok: false,
      submission: {
        status: "error",
        error: { dailyCap: ["Enter a whole number."] },
        initialValue: { employeesMin: "500", employeesMax: "10", dailyCap: "lots" },
      },
    });

    const second = await save("ops", formOf({ employeesMin: "500", employeesMax: "10", ssicInclude: "62, 6x", scoreHigh: "30", scoreMedium: "60" }));
    expect(second.body.ok).toBe(false);
    expect(second.body.submission.error).toEqual({
      employeesMax: ["min must not exceed max"],
      ssicInclude: ["Item 2: an SSIC code or prefix is 1 to 5 digits"],
      scoreHigh: ["high must be above medium"],
    });
    expect(second.body.submission.initialValue).toEqual(expect.objectContaining({ ssicInclude: "62, 6x", employeesMin: "500", industries: "software" }));

    // NUL cannot be stored in Postgres (jsonb refuses \u0000): a field error, not a failed insert.
    const third = await save("ops", formOf({ nameInclude: "acme\u0000", contactTitles: "CEO, Head\u0000 of Sales" }));
    expect(third.body).toMatchObject({
      ok: false,
      submission: { error: { nameInclude: [expect.stringMatching(/NUL/)], contactTitles: [expect.stringMatching(/NUL/)] } },
    });
    expect(await app.currentIcpRules(tenant)).toBeNull();
  });

  it("saves a version per change and shows each version's diff", async () => {
    // A saved form is reset to the version it became.
    const reset = { initialValue: null };
    expect((await save("ops", formOf({}))).body).toEqual({ ok: true, changed: true, version: 1, submission: reset });
    expect((await save("ops", formOf({}))).body).toEqual({ ok: true, changed: false, version: 1, submission: reset });
    expect((await save("ops", formOf({ employeesMax: "500", industries: ["software", "logistics"], nightlyEnabled: "" }))).body).toEqual({
      ok: true,
      changed: true,
      version: 2,
      submission: reset,
    });

    const data = await page("viewer");
    expect(data.version).toBe(2);
    expect(data.values).toMatchObject({ employeesMax: "500", industries: ["software", "logistics"], nightlyEnabled: "" });
    expect(data.history.map((h) => [h.version, h.author])).toEqual([
      [2, "ops@example.test"],
      [1, "ops@example.test"],
    ]);
    expect(data.history[0]!.changes.map((c) => c.text)).toEqual([
      "Employees (max): 200 → 500",
      "Industries: + Logistics and transport",
      "Nightly run: on → off",
    ]);
    const rules = await app.currentIcpRules(tenant);
    expect(rules?.rules).toMatchObject({ employees: { min: 10, max: 500 }, nightly: { enabled: false, hourSgt: 2 } });
  });
});

describe("the live preview", () => {
  async function preview(who: string, query: string) {
    const response = await invoke(app.preview.loader, appRequest(`/app/icp/preview?${query}`, { cookie: cookies[who] }));
    expect(response.status).toBe(200);
    return response.json();
  }

  it("counts what unsaved rules match, with a sample", async () => {
    expect(await preview("viewer", "industries=software&nameInclude=codigo")).toEqual({
      ok: true,
      count: 1,
      fallbackCount: null,
      sample: [expect.objectContaining({ uen: "201190001C", name: "CODIGO PTE. LTD.", ssic: "62011", status: "Live Company", incorporated: "2011-08-15" })],
    });
  });

  it("narrows as rules are added, and gives the fallback count when nothing matches", async () => {
    const wide = await preview("ops", "industries=software");
    const narrow = await preview("ops", "industries=software&regions=central");
    expect(narrow.count).toBeLessThan(wide.count);
    expect(await preview("ops", "industries=software&nameInclude=no+such+company")).toMatchObject({ ok: true, count: 0, fallbackCount: wide.count });
  });

  it("returns field errors instead of a count for invalid rules", async () => {
    expect(await preview("ops", "employeesMin=50&employeesMax=5")).toEqual({ ok: false, errors: { employeesMax: ["min must not exceed max"] } });
  });
});
