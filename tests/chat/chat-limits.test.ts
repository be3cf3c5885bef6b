import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRequest, invoke } from "../support/app-requests";
import { lastChatReply, loadChatThread, newChatThread, sendChatMessage } from "../support/chat-threads";
import { type SeededRun } from "../support/lead-fixtures";
import { startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * What a chat message may cost: the company a user names is found by
 * Postgres among the tenant's companies (a bounded handful reaches the
 * matcher, so no message holds the event loop), a pasted text is not taken
 * for a name, and a user sending faster than the limit gets 429 with
 * Retry-After. The limit is set low here, before the app is loaded.
 */
process.env.RATE_LIMIT_CHAT_PER_MINUTE = "4";

let standIns: StandIns;
let app: Awaited<ReturnType<typeof loadApp>>;
let tenantId: string;
let seeded: SeededRun;
const cookies: Record<string, string> = {};

async function loadApp() {
  const [db, chatIndex, answers, fixtures] = await Promise.all([
    import("~/db.server"),
    import("~/routes/app+/chat._index"),
    import("~/chat/answers.server"),
    // Imported late: it connects to the database, which parses the environment once.
    import("../support/lead-fixtures"),
  ]);
  return { ...db, chatIndex, ...answers, ...fixtures };
}

beforeAll(async () => {
  standIns = await startStandIns();
  app = await loadApp();
  tenantId = (await app.platformDb.tenant.create({ data: { slug: "chat-limits", name: "Chat limits", status: "active" } })).id;
  for (const key of ["asker", "typist", "pasted", "flooder", "bystander"]) cookies[key] = (await memberCookie(key, ["ops"], tenantId)).cookie;
  // Ten names, each six times ("CODIGO PTE. LTD.", "CODIGO 2 PTE. LTD.", …): more than the matcher is given.
  seeded = await app.seedFinishedRun(tenantId, { companies: 60 });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

const newThread = (who: string) => newChatThread(cookies[who]!);
const say = (who: string, threadId: string, text: string) => sendChatMessage(cookies[who]!, threadId, text);
const lastReply = (who: string, threadId: string) => lastChatReply(cookies[who]!, threadId);

describe("finding the company a chat message names", () => {
  it("explains a slightly misspelt company among many namesakes", async () => {
    const thread = await newThread("asker");
    expect((await say("asker", thread, "Explain why Codgo is High.")).status).toBe(200);
    expect(await lastReply("asker", thread)).toMatchObject({ type: "explain", name: "CODIGO PTE. LTD.", uen: seeded.uens[0] });
    expect((await say("asker", thread, "Explain why Harbourlnk Logistics is High.")).status).toBe(200);
    expect(await lastReply("asker", thread)).toMatchObject({ type: "explain", name: "HARBOURLINK LOGISTICS PTE. LTD." });
  });

  it("gives the matcher at most a bounded handful of the tenant's companies, closest first", async () => {
    const near = await app.companiesLike(tenantId, "Pte Ltd", "scored");
    expect(near).toHaveLength(app.MATCH_CANDIDATES);
    const typo = await app.companiesLike(tenantId, "Merlion Frieght 3", "scored");
    expect(typo[0]).toEqual({ uen: seeded.uens[25], name: "MERLION FREIGHT 3 PTE. LTD." });
    expect(await app.companiesLike(tenantId, seeded.uens[7]!, "scored")).toContainEqual({ uen: seeded.uens[7], name: "STRAITS CLOUD PTE. LTD." });
  });

  it("does not take a pasted text for a company name, and says why", async () => {
    const thread = await newThread("pasted");
    const pasted = Array.from({ length: 150 }, (_, i) => `word${i}`).join(" ");
    expect((await say("pasted", thread, `Explain why ${pasted} is High.`)).status).toBe(200);
    const reply = await lastReply("pasted", thread);
    expect(reply.type).toBe("not_understood");
    expect(reply.type === "not_understood" && reply.message).toMatch(/at most 160 characters/);
  });
});

describe("chat rate limit per user", () => {
  it("answers 429 with Retry-After past the limit, stores nothing, and leaves other users alone", async () => {
    const thread = await newThread("flooder");
    for (let i = 0; i < 4; i++) expect((await say("flooder", thread, "Show today's shortlist (top 5).")).status).toBe(200);
    // Windows are fixed minutes: if one ended just now, the new one allows four more.
    let refused = await say("flooder", thread, "Show today's shortlist (top 5).");
    let allowedAfterFour = 0;
    while (refused.status === 200 && allowedAfterFour < 4) {
      allowedAfterFour++;
      refused = await say("flooder", thread, "Show today's shortlist (top 5).");
    }
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.text()).toMatch(/too many chat messages/i);
    const view = await loadChatThread(cookies.flooder!, thread);
    expect(((await view.json()) as { messages: unknown[] }).messages).toHaveLength(2 * (4 + allowedAfterFour));

    // A new thread is no way around it.
    const started = await invoke(
      app.chatIndex.action,
      appRequest("/app/chat?index", { cookie: cookies.flooder, form: { intent: "send", text: "Show my ICP" } }),
    );
    expect(started.status).toBe(429);

    const other = await newThread("bystander");
    expect((await say("bystander", other, "Show today's shortlist (top 5).")).status).toBe(200);
  });
});
