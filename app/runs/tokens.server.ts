import { db } from "~/db.server";
import type { LlmUsage } from "~/vendors/llm.server";
import { addVendorUsage, VENDOR_UNIT_COST_USD } from "./run-log.server";
import { singaporeDate } from "./singapore-time";

/** Counts LLM tokens against the tenant's day and the run's vendor usage. */
export async function recordTokens(tenantId: string, runId: string | null, usage: LlmUsage, now = new Date()): Promise<void> {
  const day = singaporeDate(now);
  await db.$withTenant(tenantId, async (tx) => {
    await tx.$executeRaw`
      INSERT INTO token_usage (day, prompt_tokens, completion_tokens, calls)
      VALUES (${day}::date, ${usage.prompt_tokens}, ${usage.completion_tokens}, 1)
      ON CONFLICT (tenant_id, day) DO UPDATE SET
        prompt_tokens = token_usage.prompt_tokens + EXCLUDED.prompt_tokens,
        completion_tokens = token_usage.completion_tokens + EXCLUDED.completion_tokens,
        calls = token_usage.calls + 1`;
    if (runId) {
      await addVendorUsage(tx, runId, "llm", {
        calls: 1,
        units: usage.total_tokens,
        costUsd: usage.total_tokens * (VENDOR_UNIT_COST_USD.llm_tokens ?? 0),
      });
    }
  });
}
