/**
 * The per-tenant daily LLM token budget, a hard cap. A call first
 * reserves its worst case (estimated prompt + max completion) with one
 * conditional upsert, which Postgres serialises on the day's row, so
 * concurrent callers can never together pass the budget; the reservation is
 * then settled to the real usage. A reservation whose settlement never comes
 * (a killed worker) stays counted: the cap errs on the side of spending less.
 *
 * The reservation is held in `prompt_tokens` until settled, so the table
 * needs no extra column and "used" is always prompt + completion.
 */
import { type AppDb } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { singaporeDate } from "~/utils/singapore-time";
import { BadResponse, Timeout } from "~/vendors/errors.server";
import { type LlmUsage } from "~/vendors/llm.server";

/** tenant_settings.daily_token_budget's default, for tenants without a settings row. */
export const DEFAULT_DAILY_TOKEN_BUDGET = 200_000;

export type TokenReservation = { tenantId: string; day: string; reserved: number };
export type TokensUsed = { promptTokens: number; completionTokens: number };

/** A conservative prompt token count for a chat request (≈3 characters per token plus message overhead). */
export function estimatePromptTokens(messages: readonly string[]): number {
  return messages.reduce((n, m) => n + Math.ceil(m.length / 3) + 4, 3);
}

/** Reserves `tokens` of the tenant's budget for the day of `at`; null when they do not fit. */
export async function reserveTokens(db: AppDb, tenantId: string, tokens: number, at: Date = new Date()): Promise<TokenReservation | null> {
  if (!Number.isInteger(tokens) || tokens <= 0) throw new RangeError(`A reservation must be a positive whole number of tokens: ${tokens}`);
  const day = singaporeDate(at);
  // One statement on the day's row, which every LLM call of the tenant takes: it is locked only while the server runs it.
  // READ COMMITTED re-checks the conflict's WHERE on the latest row version after waiting for the lock: the check and the add are one step.
  const { rows } = await db.$tenantSql(
    tenantId,
    Prisma.sql`
      WITH budget AS (
        SELECT COALESCE((SELECT daily_token_budget FROM tenant_settings WHERE tenant_id = ${tenantId}::uuid), ${DEFAULT_DAILY_TOKEN_BUDGET}) AS tokens)
      INSERT INTO token_usage AS u (tenant_id, day, prompt_tokens)
      SELECT ${tenantId}::uuid, ${day}::date, ${tokens} FROM budget WHERE ${tokens} <= budget.tokens
      ON CONFLICT (tenant_id, day) DO UPDATE SET prompt_tokens = u.prompt_tokens + EXCLUDED.prompt_tokens
        WHERE u.prompt_tokens + u.completion_tokens + EXCLUDED.prompt_tokens <= (SELECT tokens FROM budget)
      RETURNING 1 AS reserved`,
  );
  return rows.length > 0 ? { tenantId, day, reserved: tokens } : null;
}

/** Replaces a reservation with what the call really used, and counts the call. */
export async function settleTokens(db: AppDb, reservation: TokenReservation, used: TokensUsed): Promise<void> {
  const prompt = Math.max(0, Math.round(used.promptTokens));
  const completion = Math.max(0, Math.round(used.completionTokens));
  await db.$tenantSql(
    reservation.tenantId,
    Prisma.sql`UPDATE token_usage
    SET prompt_tokens = prompt_tokens - ${reservation.reserved} + ${prompt},
        completion_tokens = completion_tokens + ${completion},
        calls = calls + 1
    WHERE tenant_id = ${reservation.tenantId}::uuid AND day = ${reservation.day}::date`,
  );
}

export type BudgetedCall<T> = { status: "ok"; value: T; usage: LlmUsage } | { status: "over_budget" };

/**
 * Runs one LLM call inside the budget: reserves `reserve` tokens (or answers
 * `over_budget` without calling), then settles to the call's usage. When the
 * call throws, the reservation is released — unless the vendor may already
 * have produced (and billed) an answer (a timeout, or an answer we could not
 * use), in which case the reservation stays charged. The error is rethrown.
 */
export async function withTokenBudget<T extends { usage: LlmUsage }>(
  db: AppDb,
  tenantId: string,
  reserve: number,
  call: () => Promise<T>,
  at: Date = new Date(),
): Promise<BudgetedCall<T>> {
  const reservation = await reserveTokens(db, tenantId, reserve, at);
  if (!reservation) return { status: "over_budget" };
  let value: T;
  try {
    value = await call();
  } catch (error) {
    const billed = error instanceof Timeout || error instanceof BadResponse;
    await settleTokens(db, reservation, { promptTokens: billed ? reservation.reserved : 0, completionTokens: 0 });
    throw error;
  }
  await settleTokens(db, reservation, { promptTokens: value.usage.prompt_tokens, completionTokens: value.usage.completion_tokens });
  return { status: "ok", value, usage: value.usage };
}

/** Tokens used (and still reserved) by the tenant on the Singapore day of `at`, with the budget in force. */
export async function tokenBudgetStatus(
  db: AppDb,
  tenantId: string,
  at: Date = new Date(),
): Promise<{ day: string; used: number; calls: number; budget: number }> {
  const day = singaporeDate(at);
  return db.$withTenant(tenantId, async (tx) => {
    const usage = await tx.tokenUsage.findUnique({
      where: { tenantId_day: { tenantId, day: new Date(`${day}T00:00:00Z`) } },
      select: { promptTokens: true, completionTokens: true, calls: true },
    });
    const settings = await tx.tenantSettings.findUnique({ where: { tenantId }, select: { dailyTokenBudget: true } });
    return {
      day,
      used: (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0),
      calls: usage?.calls ?? 0,
      budget: settings?.dailyTokenBudget ?? DEFAULT_DAILY_TOKEN_BUDGET,
    };
  });
}
