import { QuotaExceededError } from "~/billing/quotas";
import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { candidateTotal } from "~/icp/candidates.server";
import { applyIcpCommand } from "~/icp/command";
import { currentIcpRules, enqueueCandidateRefresh, previewCandidates, saveIcpRules } from "~/icp/icp.server";
import { defaultIcpRules, InvalidIcpRulesError } from "~/icp/rules";
import { rulesSummary } from "~/icp/rules-text";
import { maskEmail, maskName, seesPersonalData } from "~/privacy/mask";
import { RunAlreadyActiveError, startRun } from "~/runs/start-run.server";
import { type Bucket } from "~/scoring/score";
import { findShortlistRun, topOfShortlist } from "~/shortlist/shortlist.server";
import { singaporeDate } from "~/utils/singapore-time";
import { PRD_EXAMPLES, sentenceFor, type ChatCommand } from "./commands";
import { matchCompany, normalizeCompanyName, type CompanyName } from "./company-match";
import { type IcpRefreshLive, type Reply, type RunLive } from "./replies";

/**
 * Carrying out a chat command for a workspace member and describing the
 * outcome as a typed reply (plus one plain sentence for the transcript).
 * Role checks happen before this, in the chat module; every query runs under
 * the tenant's row-level security.
 */
export type ChatViewer = { tenantId: string; sub: string; email: string; roles: string[] };

export type Answer = { text: string; reply: Reply };

export async function executeCommand(viewer: ChatViewer, command: ChatCommand, options: { now?: Date } = {}): Promise<Answer> {
  switch (command.kind) {
    case "help":
      return help(viewer);
    case "show_icp":
      return showIcp(viewer);
    case "update_icp":
      return updateIcp(viewer, command);
    case "shortlist":
      return shortlist(viewer, command, options.now ?? new Date());
    case "explain":
      return explain(viewer, command);
    case "re_enrich":
      return reEnrich(viewer, command);
    case "start_run":
      return startManualRun(viewer);
  }
}

function help(viewer: ChatViewer): Answer {
  const canOperate = viewer.roles.includes("ops") || viewer.roles.includes("admin");
  return {
    text: "Here is what I can do.",
    reply: {
      type: "help",
      canOperate,
      examples: [
        { command: PRD_EXAMPLES[0], description: "Change the ideal customer profile and the nightly schedule; the candidates refresh.", operatorOnly: true },
        { command: PRD_EXAMPLES[1], description: "Today's ranked companies with bucket, score and domain.", operatorOnly: false },
        { command: PRD_EXAMPLES[2], description: "The score breakdown and rationale of one company.", operatorOnly: false },
        { command: PRD_EXAMPLES[3], description: "Enrich one company again and watch the progress here.", operatorOnly: true },
        { command: "Run nightly now.", description: "Start a full run now instead of waiting for the night.", operatorOnly: true },
        { command: "Show my ICP", description: "The current ICP rules and how many candidates they match.", operatorOnly: false },
      ],
    },
  };
}

async function showIcp(viewer: ChatViewer): Promise<Answer> {
  const current = await currentIcpRules(viewer.tenantId);
  const candidates = await db.$withTenant(viewer.tenantId, candidateTotal);
  const lines = rulesSummary(current?.rules ?? defaultIcpRules());
  return {
    text: `${current ? `ICP version ${current.version}` : "The default ICP"} matches ${candidates} candidate companies.`,
    reply: { type: "icp_summary", version: current?.version ?? null, lines, candidates },
  };
}

async function updateIcp(viewer: ChatViewer, command: Extract<ChatCommand, { kind: "update_icp" }>): Promise<Answer> {
  const requestedAt = new Date().toISOString();
  const current = await currentIcpRules(viewer.tenantId);
  const next = applyIcpCommand(current?.rules ?? defaultIcpRules(), {
    ok: true,
    change: command.change,
    schedule: command.schedule,
    refresh: command.refresh,
    summary: "",
  });
  const actor = { sub: viewer.sub, email: viewer.email };
  let preview;
  try {
    preview = await previewCandidates(viewer.tenantId, next, { sampleSize: 0 });
  } catch (error) {
    if (error instanceof InvalidIcpRulesError) {
      return {
        text: "That change would make the ICP invalid.",
        reply: { type: "error", message: `That change would make the ICP invalid: ${error.issues.map((i) => i.message).join("; ")}` },
      };
    }
    throw error;
  }
  const candidatesBefore = await db.$withTenant(viewer.tenantId, candidateTotal);
  const saved = await saveIcpRules(viewer.tenantId, actor, next);
  // Saving a change queues the refresh; "refresh ICP" with nothing new still asks for one.
  if (!saved.changed && command.refresh) await enqueueCandidateRefresh(viewer.tenantId, "chat_refresh");
  const refreshQueued = saved.changed || command.refresh;
  const text = saved.changed
    ? `Saved ICP version ${saved.version.version}: it matches ${preview.count} companies (was ${candidatesBefore} candidates).`
    : refreshQueued
      ? `The ICP did not change; I queued a candidate refresh (${preview.count} companies match).`
      : "The ICP already says that; nothing changed.";
  return {
    text,
    reply: {
      type: "icp_change",
      changed: saved.changed,
      version: saved.version.version,
      changes: saved.changes,
      candidatesBefore,
      candidatesPreview: preview.count,
      ...(preview.fallbackCount !== undefined ? { fallbackCount: preview.fallbackCount } : {}),
      refreshQueued,
      requestedAt,
    },
  };
}

/**
 * The shortlist as the Shortlist page defines it (app/shortlist): the day's
 * run, or the latest one when the day has none yet, saying which day it is.
 */
async function shortlist(viewer: ChatViewer, command: Extract<ChatCommand, { kind: "shortlist" }>, now: Date): Promise<Answer> {
  const requestedDate = command.date ?? singaporeDate(now);
  const { day, total, rows } = await db.$withTenant(viewer.tenantId, async (tx) => {
    const run = (await findShortlistRun(tx, requestedDate)) ?? (await findShortlistRun(tx, null));
    if (!run || run.runDate > requestedDate) return { day: null, total: 0, rows: [] };
    const top = await topOfShortlist(tx, run, { bucket: command.bucket, limit: command.limit });
    return { day: run.runDate, ...top };
  });
  const masked = !seesPersonalData(viewer.roles);
  const reply: Reply = {
    type: "shortlist",
    date: day,
    requestedDate,
    limit: command.limit,
    ...(command.bucket ? { bucket: command.bucket } : {}),
    total,
    masked,
    rows: rows.map((r) => ({
      rank: r.rank,
      uen: r.uen,
      name: r.name ?? r.uen,
      bucket: r.bucket,
      score: r.score,
      domain: r.domain,
      contact:
        r.contactName || r.contactEmail
          ? {
              name: masked ? maskName(r.contactName ?? "") : (r.contactName ?? ""),
              email: r.contactEmail ? (masked ? maskEmail(r.contactEmail) : r.contactEmail) : null,
              title: r.contactTitle,
            }
          : null,
    })),
  };
  const text = !day
    ? "There is no shortlist yet: no run has finished."
    : `${day === requestedDate ? "Today's" : `The ${day}`} shortlist: ${Math.min(total, command.limit)} of ${total} companies${command.bucket ? ` in ${command.bucket}` : ""}.`;
  return { text, reply };
}

/** Names the matcher weighs at most; Postgres picks them, so a long list never reaches the event loop. */
export const MATCH_CANDIDATES = 50;

/**
 * The tenant's companies a command may name (scored ones, or scored and
 * candidates for re-enrich) that come closest to `query`: its UEN, then the
 * names sharing the most trigrams with a whole-word stretch of the query
 * (pg_trgm's word similarity, served by the registry's trigram index).
 * matchCompany then decides among these few.
 */
export async function companiesLike(tenantId: string, query: string, include: "scored" | "scored_and_candidates"): Promise<CompanyName[]> {
  const raw = query.trim();
  // Without "Pte Ltd" and the like, which nearly every registered name shares.
  const normalized = normalizeCompanyName(raw) || raw;
  return db.$withTenant(tenantId, async (tx) => {
    // A typo in a short name shares few trigrams: look wider than the 0.6 default, the matcher is strict.
    await tx.$executeRaw`SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true)`;
    const known =
      include === "scored" ? Prisma.sql`SELECT uen FROM lead_scores` : Prisma.sql`SELECT uen FROM lead_scores UNION SELECT uen FROM icp_candidate_companies`;
    return tx.$queryRaw<CompanyName[]>`
      SELECT c.uen, c.entity_name AS name
      FROM staging_acra_companies c
      WHERE c.uen IN (${known})
        AND (c.uen = ${raw.toUpperCase()} OR ${normalized} <% c.entity_name)
      ORDER BY c.uen <> ${raw.toUpperCase()}, LEAST(${raw} <<-> c.entity_name, ${normalized} <<-> c.entity_name), length(c.entity_name), c.uen
      LIMIT ${MATCH_CANDIDATES}`;
  });
}

function notFound(query: string, close: CompanyName[], make: (c: CompanyName) => string, where: string): Answer {
  if (close.length) {
    return {
      text: `I could not find “${query}” ${where}.`,
      reply: {
        type: "company_choices",
        message: `I could not find “${query}” ${where}. Did you mean one of these?`,
        options: close.map((c) => ({ uen: c.uen, name: c.name, command: make(c) })),
      },
    };
  }
  return {
    text: `I could not find “${query}” ${where}.`,
    reply: { type: "not_understood", message: `I could not find a company called “${query}” ${where}.`, suggestions: ["Show today's shortlist (top 50)."] },
  };
}

async function explain(viewer: ChatViewer, command: Extract<ChatCommand, { kind: "explain" }>): Promise<Answer> {
  const match = matchCompany(command.company, await companiesLike(viewer.tenantId, command.company, "scored"));
  const again = (c: CompanyName) => sentenceFor({ kind: "explain", company: c.uen, ...(command.bucket ? { bucket: command.bucket } : {}) })!;
  if (match.kind === "none") return notFound(command.company, match.close, again, "among the scored companies");
  if (match.kind === "several") {
    return {
      text: `Several companies match “${command.company}”.`,
      reply: {
        type: "company_choices",
        message: `Several scored companies match “${command.company}”. Which one?`,
        options: match.companies.map((c) => ({ uen: c.uen, name: c.name, command: again(c) })),
      },
    };
  }
  const { uen, name } = match.company;
  const [score] = await db.$withTenant(
    viewer.tenantId,
    (tx) =>
      tx.$queryRaw<
        Array<{ score: number; bucket: Bucket; breakdown: unknown; rationale: string; rationale_source: string; run_date: string; domain: string | null }>
      >`
      SELECT s.score, s.bucket, s.breakdown, s.rationale, s.rationale_source, to_char(r.run_date, 'YYYY-MM-DD') AS run_date, f.domain
      FROM lead_scores s JOIN runs r ON r.id = s.run_id LEFT JOIN lead_features f ON f.uen = s.uen
      WHERE s.uen = ${uen} ORDER BY s.created_at DESC LIMIT 1`,
  );
  if (!score) return notFound(command.company, [], again, "among the scored companies");
  const breakdown = Array.isArray(score.breakdown)
    ? (score.breakdown as Array<Record<string, unknown>>)
        .filter((b) => typeof b.feature === "string")
        .map((b) => ({
          feature: String(b.feature),
          ...(typeof b.signal === "string" ? { signal: b.signal } : {}),
          ...(typeof b.reason === "string" ? { reason: b.reason } : {}),
          ...(typeof b.weight === "number" ? { weight: b.weight } : {}),
          ...(typeof b.points === "number" ? { points: b.points } : {}),
        }))
    : [];
  const asked = command.bucket && command.bucket !== score.bucket ? command.bucket : undefined;
  return {
    text: `${name} is ${score.bucket} (score ${Number(score.score).toFixed(0)}). ${score.rationale}`,
    reply: {
      type: "explain",
      uen,
      name,
      bucket: score.bucket,
      score: Number(score.score),
      ...(asked ? { askedBucket: asked } : {}),
      runDate: score.run_date,
      domain: score.domain,
      breakdown,
      rationale: score.rationale,
      rationaleSource: score.rationale_source,
    },
  };
}

async function reEnrich(viewer: ChatViewer, command: Extract<ChatCommand, { kind: "re_enrich" }>): Promise<Answer> {
  // A name on the shortlist wins over a namesake that is only a candidate.
  const scored = matchCompany(command.company, await companiesLike(viewer.tenantId, command.company, "scored"));
  const match = scored.kind === "one" ? scored : matchCompany(command.company, await companiesLike(viewer.tenantId, command.company, "scored_and_candidates"));
  const again = (c: CompanyName) => sentenceFor({ ...command, company: c.uen })!;
  if (match.kind === "none") return notFound(command.company, match.close, again, "among your candidates and scored companies");
  if (match.kind === "several") {
    return {
      text: `Several companies match “${command.company}”.`,
      reply: {
        type: "company_choices",
        message: `Several companies match “${command.company}”. Which one should I re-enrich?`,
        options: match.companies.map((c) => ({ uen: c.uen, name: c.name, command: again(c) })),
      },
    };
  }
  const company = match.company;
  const previous = await latestScore(viewer.tenantId, company.uen);
  let runId: string;
  try {
    ({ runId } = await startRun(viewer.tenantId, {
      kind: "re_enrich",
      actor: { sub: viewer.sub, email: viewer.email },
      options: { uens: [company.uen], includeCareers: command.includeCareers, ...(command.forceRecrawl ? { forceRecrawl: true } : {}) },
    }));
  } catch (error) {
    if (error instanceof QuotaExceededError) return { text: error.message, reply: { type: "refusal", message: error.message } };
    throw error;
  }
  return {
    text: `Re-enriching ${company.name}${command.includeCareers ? " with its careers page" : ""}.`,
    reply: {
      type: "run",
      runId,
      kind: "re_enrich",
      company,
      includeCareers: command.includeCareers,
      forceRecrawl: command.forceRecrawl,
      previous,
      alreadyActive: false,
    },
  };
}

async function latestScore(tenantId: string, uen: string): Promise<{ score: number; bucket: Bucket } | null> {
  const [row] = await db.$withTenant(
    tenantId,
    (tx) => tx.$queryRaw<Array<{ score: number; bucket: Bucket }>>`SELECT score, bucket FROM lead_scores WHERE uen = ${uen} ORDER BY created_at DESC LIMIT 1`,
  );
  return row ? { score: Number(row.score), bucket: row.bucket } : null;
}

async function startManualRun(viewer: ChatViewer): Promise<Answer> {
  const base = { kind: "manual" as const, company: null, includeCareers: false, forceRecrawl: false, previous: null };
  try {
    const { runId } = await startRun(viewer.tenantId, { kind: "manual", actor: { sub: viewer.sub, email: viewer.email } });
    return { text: "Started a run for today's candidates.", reply: { type: "run", runId, ...base, alreadyActive: false } };
  } catch (error) {
    if (error instanceof QuotaExceededError) return { text: error.message, reply: { type: "refusal", message: error.message } };
    if (!(error instanceof RunAlreadyActiveError)) throw error;
    return { text: "A run is already in progress; here is its progress.", reply: { type: "run", runId: error.runId, ...base, alreadyActive: true } };
  }
}

// ---------------------------------------------------------------------------
// Live parts of stored replies, read when a thread is shown

export async function runsLive(tenantId: string, runIds: string[]): Promise<Record<string, RunLive>> {
  if (!runIds.length) return {};
  return db.$withTenant(tenantId, async (tx) => {
    const runs = await tx.run.findMany({
      where: { id: { in: runIds } },
      select: { id: true, status: true, degraded: true, targetCount: true, settledCount: true, finishedAt: true, kind: true, options: true },
    });
    const scores = await tx.leadScore.findMany({ where: { runId: { in: runIds } }, select: { runId: true, uen: true, score: true, bucket: true } });
    const out: Record<string, RunLive> = {};
    for (const run of runs) {
      const own = scores.filter((s) => s.runId === run.id);
      const buckets: Record<string, number> = {};
      for (const s of own) buckets[s.bucket] = (buckets[s.bucket] ?? 0) + 1;
      const single = run.kind === "re_enrich" && own.length === 1 ? own[0]! : null;
      out[run.id] = {
        status: run.status,
        degraded: run.degraded,
        target: run.targetCount,
        settled: run.settledCount,
        finishedAt: run.finishedAt?.toISOString() ?? null,
        result: single ? { score: single.score, bucket: single.bucket as Bucket } : null,
        buckets,
      };
    }
    return out;
  });
}

/** For ICP change cards: the first finished candidate refresh that started after the change was asked for. */
export async function icpRefreshesLive(
  tenantId: string,
  cards: Array<{ messageId: string; requestedAt: string; version: number | null }>,
): Promise<Record<string, IcpRefreshLive>> {
  if (!cards.length) return {};
  // Web server and worker clocks may differ a little.
  const skewMs = 2000;
  const earliest = Math.min(...cards.map((c) => Date.parse(c.requestedAt)));
  const refreshes = await db.$withTenant(tenantId, (tx) =>
    tx.icpCandidateRefresh.findMany({
      where: { startedAt: { gte: new Date(earliest - skewMs) }, finishedAt: { not: null } },
      orderBy: { startedAt: "asc" },
      select: { status: true, candidateCount: true, degradedReason: true, startedAt: true, icpVersion: true },
    }),
  );
  const out: Record<string, IcpRefreshLive> = {};
  for (const card of cards) {
    const refresh = refreshes.find(
      (r) =>
        r.startedAt.getTime() >= Date.parse(card.requestedAt) - skewMs &&
        (card.version === null || r.status === "failed" || (r.icpVersion ?? 0) >= card.version),
    );
    out[card.messageId] = refresh
      ? { status: refresh.status as IcpRefreshLive["status"], candidateCount: refresh.candidateCount, degradedReason: refresh.degradedReason }
      : { status: "pending", candidateCount: null, degradedReason: null };
  }
  return out;
}
