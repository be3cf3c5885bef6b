import { createHmac, randomBytes } from "node:crypto";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/logger.server";
import { type OdooClient, type OdooSession } from "./client.server";
import { installModules, REQUIRED_MODULES } from "./module-install.server";
import { createTenantDatabase } from "./tenant-database.server";

/**
 * The db_per_tenant warm pool: Odoo databases copied from a template with
 * duplicate_database before anyone needs them. create_database installs base
 * and the required modules (minutes); a copy takes seconds, and claiming a
 * ready copy takes one UPDATE.
 */

export type WarmPoolConfig = { size: number; template: string; master: string };

export function warmPoolConfig(master: string): WarmPoolConfig {
  return { size: env().ODOO_WARM_POOL_SIZE, template: env().ODOO_WARM_TEMPLATE, master };
}

/**
 * The template's admin password, derived from the master password rather than
 * stored: whoever holds the master password owns every database anyway, and a
 * claim replaces it with the tenant's own at once.
 */
export function templateAdminPassword(config: Pick<WarmPoolConfig, "master" | "template">): string {
  return createHmac("sha256", config.master).update(`odoo-warm-template:${config.template}`).digest("base64url");
}

const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

/**
 * The refill job's key, shared by the crontab line, the refill after a claim
 * and the admin's "Refill now": however it is asked for, one refill waits.
 */
export const REFILL_WARM_POOL_JOB_KEY = "refill_warm_pool";

/** A reserved copy; `startedAt` tells this attempt from a later one if the row is reclaimed and retried meanwhile. */
type Slot = { dbName: string; attempts: number; startedAt: Date };

/**
 * Reserves the next database to make, or null when the pool is full: a failed
 * copy whose backoff is over, else a new name. The advisory lock makes count
 * and insert one step, so concurrent refills never reserve past the size.
 */
async function reserveSlot(config: WarmPoolConfig): Promise<Slot | null> {
  return platformDb.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('odoo_warm_pool'))`;
    const filling = await tx.odooWarmDatabase.count({ where: { state: { in: ["creating", "ready"] } } });
    if (filling >= config.size) return null;
    const due = await tx.odooWarmDatabase.findFirst({
      where: { state: "failed", retryAt: { lte: new Date() } },
      orderBy: { retryAt: "asc" },
    });
    const startedAt = new Date();
    if (due) {
      await tx.odooWarmDatabase.update({ where: { dbName: due.dbName }, data: { state: "creating", template: config.template, startedAt } });
      return { dbName: due.dbName, attempts: due.attempts, startedAt };
    }
    const dbName = `nexius_warm_${randomBytes(6).toString("hex")}`;
    await tx.odooWarmDatabase.create({ data: { dbName, template: config.template, state: "creating", startedAt } });
    return { dbName, attempts: 0, startedAt };
  });
}

/** The template, created with the required modules when it does not exist yet (create_database looks before it creates). */
export async function ensureWarmTemplate(client: OdooClient, config: WarmPoolConfig): Promise<void> {
  const adminPassword = templateAdminPassword(config);
  await createTenantDatabase(client, { master: config.master, name: config.template, adminLogin: "admin", adminPassword });
  await installModules(await client.connect(config.template, "admin", adminPassword), REQUIRED_MODULES);
}

export type RefillResult = { made: string[]; failed: string[] };

/** Tops the pool up to its size. Safe to run from several workers at once. */
export async function refillWarmPool(client: OdooClient, config: WarmPoolConfig): Promise<RefillResult> {
  const result: RefillResult = { made: [], failed: [] };
  if (config.size <= 0) return result;
  await ensureWarmTemplate(client, config);
  for (let slot = await reserveSlot(config); slot; slot = await reserveSlot(config)) {
    // Only this attempt's row: an operator may have reclaimed a slow copy as stale (and a retry may have started) meanwhile.
    const mine = { dbName: slot.dbName, state: "creating", startedAt: slot.startedAt };
    try {
      // A half-made copy of an earlier failed attempt would make duplicate_database refuse the name.
      if (slot.attempts > 0 && (await client.db.exists(slot.dbName))) await client.db.drop(config.master, slot.dbName);
      await client.db.duplicateDatabase(config.master, config.template, slot.dbName);
      const { count } = await platformDb.odooWarmDatabase.updateMany({
        where: mine,
        data: { state: "ready", readyAt: new Date(), error: null, retryAt: null },
      });
      if (count === 1) result.made.push(slot.dbName);
      else log().warn({ odoo: { db: slot.dbName } }, "warm pool copy finished after it was reclaimed; its retry replaces it");
    } catch (error) {
      const attempts = slot.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      log().warn({ odoo: { db: slot.dbName, template: config.template, attempts }, err: error }, "warm pool copy failed");
      await platformDb.odooWarmDatabase.updateMany({
        where: mine,
        data: { state: "failed", error: message.slice(0, 2000), attempts, retryAt: new Date(Date.now() + retryDelayMs(attempts)) },
      });
      result.failed.push(slot.dbName);
      // Odoo refused one copy; the rest would fail the same way until the backoff is over.
      break;
    }
  }
  return result;
}

/**
 * The warm database this tenant holds, claiming the oldest ready one when it
 * holds none. SKIP LOCKED lets concurrent first logins take different rows
 * without waiting on each other. Null when the pool has nothing ready.
 */
export async function claimWarmDatabase(tenantId: string): Promise<string | null> {
  const rows = await platformDb.$queryRaw<Array<{ db_name: string }>>`
    WITH mine AS (SELECT db_name FROM odoo_warm_databases WHERE tenant_id = ${tenantId}::uuid),
    next AS (
      SELECT db_name FROM odoo_warm_databases
      WHERE state = 'ready' AND NOT EXISTS (SELECT 1 FROM mine)
      ORDER BY created_at
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    ),
    claimed AS (
      UPDATE odoo_warm_databases w SET state = 'claimed', tenant_id = ${tenantId}::uuid, claimed_at = now()
      FROM next WHERE w.db_name = next.db_name
      RETURNING w.db_name
    )
    SELECT db_name FROM mine UNION ALL SELECT db_name FROM claimed`;
  return rows[0]?.db_name ?? null;
}

/**
 * The admin session of a claimed copy. The copy still has the template's admin
 * password until the first run changes it to the tenant's (already stored), so
 * a resumed run logs in with whichever of the two Odoo accepts.
 */
export async function adoptWarmDatabase(
  client: OdooClient,
  input: { database: string; adminPassword: string; config: Pick<WarmPoolConfig, "master" | "template"> },
): Promise<OdooSession> {
  const uid = await client.authenticate(input.database, "admin", input.adminPassword);
  if (uid !== false) return client.session({ db: input.database, uid, secret: input.adminPassword });
  const template = await client.connect(input.database, "admin", templateAdminPassword(input.config));
  await template.write("res.users", [template.uid], { password: input.adminPassword });
  return client.connect(input.database, "admin", input.adminPassword);
}
