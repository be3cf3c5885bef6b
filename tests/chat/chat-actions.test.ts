import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Reply } from "~/chat/replies";
import { createDefaultWorld } from "../sims/vendors/default-world";
import { startLlmSimulator } from "../sims/vendors/llm-sim";
import { appRequest, invoke } from "../support/app-requests";
import { loadChatThread, newChatThread, sendChatMessage } from "../support/chat-threads";
import { seedFinishedRun, seedRegistryCompanies, type SeededRun } from "../support/lead-fixtures";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The agent chat through its route modules, in-process against Postgres:
 * commands typed by an ops user and a viewer of one tenant, a user of a
 * second tenant, a finished run seeded for the shortlist and explanations,
 * and the language-model path against the OpenAI-compatible simulator.
 * One file over the usual 400 lines on purpose: every journey shares one set
 * of stand-ins and one seeded run, which take longer to start than the tests.
 */
let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let acme: string;
let globex: string;
let seeded: SeededRun;
const cookies: Record<string, string> = {};

async function loadApp() {
  const [db, chatLayout, chatIndex, thread, icp, candidates, demoRegistry, chat, threads, llm] = await Promise.all([
    import("~/db.server"),
    import("~/routes/app+/chat"),
    import("~/routes/app+/chat._index"),
    import("~/routes/app+/chat.$threadId"),
    import("~/icp/icp.server"),
    import("~/icp/candidates.server"),
    import("~/dev/demo-registry.server"),
    import("~/chat/chat.server"),
    import("~/chat/threads.server"),
    import("~/vendors/llm.server"),
  ]);
  return { ...db, chatLayout, chatIndex, thread, ...icp, ...candidates, ...demoRegistry, ...chat, ...threads, ...llm };
}

async function member(key: string, tenantId: string, roles: string[]) {
  cookies[key] = (await memberCookie(key, roles, tenantId)).cookie;
}

const viewerOf = (key: string, tenantId: string, roles: string[]) => ({ tenantId, sub: `${key}-sub`, email: `${key}@example.test`, roles });

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  await app.ensureDemoRegistry({ connectionString: process.env.DATABASE_URL!, rows: 2000 });
  acme = (await app.platformDb.tenant.create({ data: { slug: "acme-chat", name: "Acme", status: "active" } })).id;
  globex = (await app.platformDb.tenant.create({ data: { slug: "globex-chat", name: "Globex", status: "active" } })).id;
  await member("ops", acme, ["ops"]);
  await member("viewer", acme, ["viewer"]);
  await member("admin", acme, ["admin"]);
  await member("globex", globex, ["admin"]);
  seeded = await seedFinishedRun(acme, { companies: 12 });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

const newThread = (who: string) => newChatThread(cookies[who]!);

async function say(who: string, threadId: string, text: string) {
  const response = await sendChatMessage(cookies[who]!, threadId, text);
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

type View = {
  thread: { title: string };
  messages: Array<{ id: string; role: string; text: string; reply: Reply | null }>;
  runs: Record<string, { status: string; result: { score: number; bucket: string } | null }>;
  refreshes: Record<string, { status: string; candidateCount: number | null }>;
  pending: boolean;
};

async function view(who: string, threadId: string): Promise<{ status: number; data: View }> {
  const response = await loadChatThread(cookies[who]!, threadId);
  return { status: response.status, data: response.status === 200 ? ((await response.json()) as View) : (null as unknown as View) };
}

async function lastReply(who: string, threadId: string) {
  const { data } = await view(who, threadId);
  const last = data.messages.at(-1)!;
  expect(last.role).toBe("assistant");
  return { reply: last.reply!, message: last, data };
}

async function refreshJobs(tenantId: string) {
  return app.platformDb.$queryRaw<Array<{ payload: unknown }>>`
    SELECT j.payload FROM graphile_worker._private_jobs j WHERE j.key = ${`refresh_candidates:${tenantId}`}`;
}

const PRD_ICP = "Refresh ICP to software, 10–200 employees; run nightly.";

describe("changing the ICP through the chat", () => {
  it("refuses a viewer politely and changes nothing, even for a forged POST", async () => {
    const thread = await newThread("viewer");
    const sent = await say("viewer", thread, PRD_ICP);
    expect(sent).toEqual({ status: 200, body: { ok: true, intent: "send" } });
    const { reply } = await lastReply("viewer", thread);
    expect(reply).toMatchObject({ type: "refusal" });
    expect(reply.type === "refusal" && reply.message).toMatch(/viewer.*cannot change the ICP.*nothing was changed/i);
    expect(await app.currentIcpRules(acme)).toBeNull();
    expect(await refreshJobs(acme)).toEqual([]);
    for (const text of ["Re-enrich Codigo; include careers page.", "run nightly now"]) {
      await say("viewer", thread, text);
      expect((await lastReply("viewer", thread)).reply.type).toBe("refusal");
    }
    expect(await app.db.$withTenant(acme, (tx) => tx.run.count({ where: { kind: { not: "manual" } } }))).toBe(0);
    expect(await app.db.$withTenant(acme, (tx) => tx.run.count())).toBe(1);
  });

  it("saves a new version for ops, queues the candidate refresh, and shows the count once refreshed", async () => {
    const thread = await newThread("ops");
    await say("ops", thread, PRD_ICP);
    const { reply, message, data } = await lastReply("ops", thread);
    expect(data.thread.title).toBe(PRD_ICP);
    expect(reply).toMatchObject({ type: "icp_change", changed: true, version: 1, candidatesBefore: 12, refreshQueued: true });
    if (reply.type !== "icp_change") throw new Error("unreachable");
    expect(reply.candidatesPreview).toBeGreaterThan(12);
    expect(reply.changes.map((c) => c.path)).toEqual(expect.arrayContaining(["industries", "employees.min", "employees.max", "nightly.enabled"]));

    const saved = await app.currentIcpRules(acme);
    expect(saved).toMatchObject({
      version: 1,
      authorSub: "ops-sub",
      rules: { industries: ["software"], employees: { min: 10, max: 200 }, nightly: { enabled: true } },
    });
    expect(await refreshJobs(acme)).toEqual([{ payload: { tenantId: acme, reason: "icp_changed:v1" } }]);
    expect(data.refreshes[message.id]).toEqual({ status: "pending", candidateCount: null, degradedReason: null });
    expect(data.pending).toBe(true);

    // What the worker's refresh_candidates job does.
    const refresh = await app.refreshCandidates(acme, { reason: "icp_changed:v1", floor: 0 });
    const after = await view("ops", thread);
    expect(after.data.refreshes[message.id]).toMatchObject({ status: "ok", candidateCount: refresh.candidateCount });
    expect(refresh.candidateCount).toBe(reply.candidatesPreview);
    expect(after.data.pending).toBe(false);
  });

  it("tells ops when the ICP already says that, and still refreshes on request", async () => {
    const thread = await newThread("admin");
    await say("admin", thread, PRD_ICP);
    const { reply } = await lastReply("admin", thread);
    expect(reply).toMatchObject({ type: "icp_change", changed: false, version: 1, refreshQueued: true });
    await say("admin", thread, "run nightly");
    expect((await lastReply("admin", thread)).reply).toMatchObject({ type: "icp_change", changed: false, refreshQueued: false });
  });

  it("shows the current ICP to anyone", async () => {
    const thread = await newThread("viewer");
    await say("viewer", thread, "Show my ICP");
    const { reply } = await lastReply("viewer", thread);
    expect(reply).toMatchObject({ type: "icp_summary", version: 1 });
    if (reply.type !== "icp_summary") throw new Error("unreachable");
    expect(reply.lines).toContainEqual({ label: "Industries", value: "Software and SaaS" });
  });
});

describe("shortlist and explanations against a finished run", () => {
  it("ranks today's companies by score with links, and masks contacts for viewers", async () => {
    const opsThread = await newThread("ops");
    await say("ops", opsThread, "Show today's shortlist (top 50).");
    const { reply } = await lastReply("ops", opsThread);
    if (reply.type !== "shortlist") throw new Error(`expected a shortlist, got ${reply.type}`);
    expect(reply).toMatchObject({ total: 12, limit: 50, masked: false });
    expect(reply.rows).toHaveLength(12);
    expect(reply.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const scores = reply.rows.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(reply.rows[0]).toMatchObject({ bucket: "High", domain: expect.stringMatching(/\.com\.sg$/) });
    const withEmail = reply.rows.find((r) => r.contact?.email)!;
    expect(withEmail.contact!.email).not.toContain("***");

    const viewerThread = await newThread("viewer");
    await say("viewer", viewerThread, "top 5 leads");
    const masked = (await lastReply("viewer", viewerThread)).reply;
    if (masked.type !== "shortlist") throw new Error("unreachable");
    expect(masked).toMatchObject({ masked: true, total: 12 });
    expect(masked.rows).toHaveLength(5);
    for (const row of masked.rows.filter((r) => r.contact)) {
      expect(row.contact!.name).toMatch(/^([A-Z]\. ?)+$/);
      if (row.contact!.email) expect(row.contact!.email).toMatch(/^.\*\*\*@/);
    }
  });

  it("filters by bucket", async () => {
    const thread = await newThread("ops");
    await say("ops", thread, "list the high leads");
    const { reply } = await lastReply("ops", thread);
    if (reply.type !== "shortlist") throw new Error("unreachable");
    expect(reply.rows.map((r) => r.uen).sort()).toEqual([...seeded.highUens].sort());
  });

  it("explains a High company found by a loose name, with breakdown and rationale", async () => {
    const thread = await newThread("viewer");
    await say("viewer", thread, "Explain why codigo is High.");
    const { reply } = await lastReply("viewer", thread);
    expect(reply).toMatchObject({
      type: "explain",
      uen: seeded.uens[0],
      name: "CODIGO PTE. LTD.",
      bucket: "High",
      score: 80,
      rationale: expect.stringContaining("verified decision-maker"),
      breakdown: [expect.objectContaining({ feature: "icp_match", points: 12 }), expect.objectContaining({ feature: "decision_makers" })],
    });
    expect(reply).not.toHaveProperty("askedBucket");
  });

  it("says so when the company is not in the bucket asked about", async () => {
    const thread = await newThread("viewer");
    await say("viewer", thread, "why is Lumen Data High?");
    expect((await lastReply("viewer", thread)).reply).toMatchObject({ type: "explain", bucket: "Medium", askedBucket: "High" });
  });

  it("offers close names for a company it cannot find", async () => {
    const thread = await newThread("viewer");
    await say("viewer", thread, "explain Nonexistent Widgets");
    expect((await lastReply("viewer", thread)).reply).toMatchObject({ type: "not_understood" });
  });
});

describe("shortlists before the first full run", () => {
  it("says there is none yet until a full run has scored, as the Shortlist page does", async () => {
    const empty = await app.understandAndAnswer(viewerOf("globex", globex, ["admin"]), "Show today's shortlist (top 50).");
    expect(empty.reply).toMatchObject({ type: "shortlist", date: null, total: 0, rows: [] });

    const [uen] = await seedRegistryCompanies(1, 7);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await app.db.$withTenant(globex, async (tx) => {
      const run = await tx.run.create({
        data: { tenantId: globex, kind: "re_enrich", status: "succeeded", runDate: new Date(`${today}T00:00:00Z`), finishedAt: new Date() },
      });
      await tx.leadScore.create({
        data: { runId: run.id, uen: uen!, score: 60, bucket: "Medium", breakdown: [], rationale: "Fits.", rationaleSource: "template", contactWeight: 16 },
      });
    });
    // A one-company re-enrich alone makes no shortlist.
    const stillEmpty = await app.understandAndAnswer(viewerOf("globex", globex, ["admin"]), "Show today's shortlist (top 50).");
    expect(stillEmpty.reply).toMatchObject({ type: "shortlist", date: null, total: 0 });

    await app.db.$withTenant(globex, async (tx) => {
      const run = await tx.run.create({
        data: { tenantId: globex, kind: "manual", status: "succeeded", runDate: new Date(`${today}T00:00:00Z`), finishedAt: new Date() },
      });
      await tx.leadScore.create({
        data: { runId: run.id, uen: uen!, score: 66, bucket: "Medium", breakdown: [], rationale: "Fits.", rationaleSource: "template", contactWeight: 16 },
      });
    });
    const listed = await app.understandAndAnswer(viewerOf("globex", globex, ["admin"]), "Show today's shortlist (top 50).");
    expect(listed.reply).toMatchObject({ type: "shortlist", date: today, total: 1, rows: [{ rank: 1, uen, bucket: "Medium", score: 66 }] });
  });
});

describe("runs from the chat", () => {
  it("re-enriches one company with the careers page and reports the new score when the run is done", async () => {
    const thread = await newThread("ops");
    await say("ops", thread, "Re-enrich Codigo; include careers page.");
    const { reply, data } = await lastReply("ops", thread);
    expect(reply).toMatchObject({
      type: "run",
      kind: "re_enrich",
      company: { uen: seeded.uens[0] },
      includeCareers: true,
      previous: { score: 80, bucket: "High" },
    });
    if (reply.type !== "run") throw new Error("unreachable");
    const run = await app.db.$withTenant(acme, (tx) => tx.run.findFirstOrThrow({ where: { id: reply.runId } }));
    expect(run).toMatchObject({ kind: "re_enrich", status: "queued", options: { uens: [seeded.uens[0]], includeCareers: true }, startedBySub: "ops-sub" });
    expect(data.runs[reply.runId]).toMatchObject({ status: "queued", result: null });
    expect(data.pending).toBe(true);

    // What the run's jobs leave behind.
    await app.db.$withTenant(acme, async (tx) => {
      await tx.leadScore.create({
        data: {
          runId: reply.runId,
          uen: seeded.uens[0]!,
          score: 84,
          bucket: "High",
          breakdown: [],
          rationale: "Careers page shows hiring.",
          rationaleSource: "template",
          contactWeight: 16,
        },
      });
      await tx.run.update({
        where: { tenantId_id: { tenantId: acme, id: reply.runId } },
        data: { status: "succeeded", targetCount: 1, settledCount: 1, finishedAt: new Date() },
      });
    });
    const done = await view("ops", thread);
    expect(done.data.runs[reply.runId]).toMatchObject({ status: "succeeded", result: { score: 84, bucket: "High" } });
    expect(done.data.pending).toBe(false);
  });

  it("starts a manual run, and points to the active one instead of starting a second", async () => {
    const thread = await newThread("admin");
    await say("admin", thread, "run nightly now");
    const first = (await lastReply("admin", thread)).reply;
    expect(first).toMatchObject({ type: "run", kind: "manual", alreadyActive: false });
    await say("admin", thread, "start a run");
    const second = (await lastReply("admin", thread)).reply;
    expect(second).toMatchObject({ type: "run", alreadyActive: true, runId: first.type === "run" ? first.runId : "" });
    expect(await app.db.$withTenant(acme, (tx) => tx.run.count({ where: { kind: "manual", status: "queued" } }))).toBe(1);
  });
});

describe("threads", () => {
  it("lists only the user's own threads, and hides them from others", async () => {
    const mine = await newThread("viewer");
    const layout = await invoke(app.chatLayout.loader, appRequest("/app/chat", { cookie: cookies.viewer }));
    const { threads } = (await layout.json()) as { threads: Array<{ id: string }> };
    expect(threads.map((t) => t.id)).toContain(mine);
    const opsList = (await (await invoke(app.chatLayout.loader, appRequest("/app/chat", { cookie: cookies.ops }))).json()) as {
      threads: Array<{ id: string }>;
    };
    expect(opsList.threads.map((t) => t.id)).not.toContain(mine);

    expect((await view("ops", mine)).status).toBe(404);
    expect((await view("globex", mine)).status).toBe(404);
    expect((await say("ops", mine, "help")).status).toBe(404);
    expect((await view("viewer", "not-a-uuid")).status).toBe(404);
  });

  it("renames and deletes the owner's thread", async () => {
    const thread = await newThread("ops");
    const renamed = await invoke(
      app.thread.action,
      appRequest(`/app/chat/${thread}`, { cookie: cookies.ops, form: { intent: "rename", title: "  Weekly review  " } }),
      { threadId: thread },
    );
    expect(await renamed.json()).toEqual({ ok: true, intent: "rename" });
    expect((await view("ops", thread)).data.thread.title).toBe("Weekly review");

    const empty = await invoke(app.thread.action, appRequest(`/app/chat/${thread}`, { cookie: cookies.ops, form: { intent: "rename", title: "   " } }), {
      threadId: thread,
    });
    expect(await empty.json()).toEqual({ ok: false, intent: "rename", error: "A title cannot be empty.", field: "title" });

    const deleted = await invoke(app.thread.action, appRequest(`/app/chat/${thread}`, { cookie: cookies.ops, form: { intent: "delete" } }), {
      threadId: thread,
    });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe("/app/chat");
    expect((await view("ops", thread)).status).toBe(404);
  });

  it("refuses an empty message without storing anything", async () => {
    const thread = await newThread("ops");
    expect(await say("ops", thread, "   ")).toEqual({ status: 200, body: { ok: false, intent: "send", error: "Type a message first.", field: "text" } });
    // Postgres text cannot hold NUL: a reason for the user, not a failed insert.
    expect(await say("ops", thread, "help\u0000")).toEqual({
      status: 200,
      body: { ok: false, intent: "send", error: "A message cannot contain NUL characters.", field: "text" },
    });
    const renamed = await invoke(app.thread.action, appRequest(`/app/chat/${thread}`, { cookie: cookies.ops, form: { intent: "rename", title: "a\u0000b" } }), {
      threadId: thread,
    });
    expect(await renamed.json()).toEqual({ ok: false, intent: "rename", error: "A title cannot contain NUL characters.", field: "title" });
    const started = await invoke(app.chatIndex.action, appRequest("/app/chat", { cookie: cookies.ops, form: { intent: "send", text: "\u0000help" } }));
    expect(await started.json()).toMatchObject({ ok: false, error: "A message cannot contain NUL characters." });
    expect((await view("ops", thread)).data.messages).toEqual([]);
  });

  it("opens a thread from the start page with the first message as its title", async () => {
    const response = await invoke(app.chatIndex.action, appRequest("/app/chat", { cookie: cookies.viewer, form: { intent: "send", text: "help" } }));
    expect(response.status).toBe(302);
    const threadId = response.headers.get("location")!.split("/").pop()!;
    const { data } = await view("viewer", threadId);
    expect(data.thread.title).toBe("help");
    expect(data.messages.map((m) => [m.role, m.reply?.type ?? null])).toEqual([
      ["user", null],
      ["assistant", "help"],
    ]);
  });

  it("answers a command it does not understand with clickable suggestions", async () => {
    const thread = await newThread("viewer");
    await say("viewer", thread, "shortlst please");
    expect((await lastReply("viewer", thread)).reply).toEqual({
      type: "not_understood",
      message: expect.any(String),
      suggestions: ["Show today's shortlist (top 50)."],
    });
  });
});

describe("free-form questions with a language model", () => {
  async function withModel(answer: unknown, run: (llm: ReturnType<typeof app.createLlmClient>) => Promise<void>) {
    const sim = await startLlmSimulator({ port: 0, world: { ...createDefaultWorld(), llmAnswer: () => answer } });
    try {
      await run(app.createLlmClient({ baseUrl: sim.url, apiKey: "sk-simulator", model: "gpt-4o-mini" }));
      expect(sim.requests).toHaveLength(1);
    } finally {
      await sim.close();
    }
  }

  it("maps the model's tool call onto the same typed command", async () => {
    await withModel({ tool: { kind: "shortlist", limit: 5, bucket: null, date: null } }, async (llm) => {
      const answer = await app.understandAndAnswer(viewerOf("ops", acme, ["ops"]), "which five prospects look strongest?", { llm });
      expect(answer.reply).toMatchObject({ type: "shortlist", limit: 5 });
    });
  });

  it.each([
    {
      why: "still refuses a viewer whatever the model picked",
      role: "viewer",
      industries: ["logistics"],
      text: "we should be going after shipping firms",
      reply: "refusal",
    },
    {
      why: "ignores a tool call that does not validate and falls back to the suggestions",
      role: "ops",
      industries: ["softwear"],
      text: "go after that softwear crowd, you know",
      reply: "not_understood",
    },
  ])("leaves the ICP alone when the model asks to change it: $why", async ({ role, industries, text, reply }) => {
    const tool = {
      kind: "update_icp",
      industries,
      excluded_industries: null,
      employees_min: null,
      employees_max: null,
      daily_cap: null,
      nightly: "unchanged",
      nightly_hour_sgt: null,
      refresh: true,
    };
    await withModel({ tool }, async (llm) => {
      const answer = await app.understandAndAnswer(viewerOf(role, acme, [role]), text, { llm });
      expect(answer.reply.type).toBe(reply);
      expect((await app.currentIcpRules(acme))?.rules.industries).toEqual(["software"]);
    });
  });

  it("passes on a short product answer, and counts its tokens", async () => {
    const before = await app.db.$withTenant(acme, (tx) => tx.tokenUsage.aggregate({ _sum: { calls: true } }));
    await withModel({ tool: { kind: "answer", text: "High means a score of 70 or more with your thresholds." } }, async (llm) => {
      const answer = await app.understandAndAnswer(viewerOf("viewer", acme, ["viewer"]), "what does the High bucket mean for us?", { llm });
      expect(answer.reply).toEqual({ type: "answer", message: "High means a score of 70 or more with your thresholds.", source: "llm" });
    });
    const after = await app.db.$withTenant(acme, (tx) => tx.tokenUsage.aggregate({ _sum: { calls: true } }));
    expect((after._sum.calls ?? 0) - (before._sum.calls ?? 0)).toBe(1);
  });
});
