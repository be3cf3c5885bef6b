import { z } from "zod";
import { authEnv, authEnvProblems } from "./auth/config.server";
import { crawlerEnv } from "./crawler/config.server";
import { httpLimitsEnv } from "./http/config.server";
import { icpEnv } from "./icp/config";
import { m365Env } from "./lake/m365/config.server";
import { mailEnv } from "./mail/config.server";
import { odooEnv } from "./odoo/config.server";
import { registryEnv } from "./registry/config";
import { supportEnv } from "./support/config.server";
import { zodIssueLines } from "./utils/zod-issues";
import { vendorsEnv } from "./vendors/config.server";
import { webhooksEnv } from "./webhooks/config.server";

/**
 * Every setting the platform reads, parsed once. Logins and keys have no
 * defaults here: in development and tests the dev runner (app/cli/platform.ts)
 * passes its stand-ins' settings to the processes it starts, so a missing
 * setting stops start-up with its name everywhere.
 */
const booleanFlag = z
  .enum(["0", "1", "true", "false", ""])
  .default("0")
  .transform((v) => v === "1" || v === "true");

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL");

const baseEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /** Owner connection: runs migrations; also the platform (cross-tenant) client. */
  DATABASE_URL: postgresUrl.optional(),
  /** Application-role connection: subject to row-level security. */
  APP_DATABASE_URL: postgresUrl.optional(),
  /** Where embedded Postgres and other local state live when DATABASE_URL is unset. */
  DATA_DIR: z.string().default(".data"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Jobs one worker process runs at once. A company job holds its slot for its
   * whole chain (crawl with politeness, Apify actor runs of 10–60 s), ~37 s on
   * average, so a nightly run of 1,000 companies needs ~250 slots to finish in
   * about two and a half minutes (README, "Nightly run sizing"); the jobs wait
   * on the network, and DB_POOL_SIZE 10 serves them (a job holds a connection
   * only while it talks to Postgres).
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(1000),
  ALLOW_DEV_BYPASS: booleanFlag,
  /** Public base URL of the platform (redirect URIs, links in emails). */
  APP_URL: z.string().url().optional(),
  /** Encryption keys for secrets at rest: `kid:<base64 32 bytes>[,kid2:…]`, the first one seals. */
  SECRET_KEYS: z.string().min(1).optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(12 * 60),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Reverse proxies in front of the web server whose X-Forwarded-For entry is believed (0 = the socket's peer is the client). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Bearer token for GET /metrics. Unset: the endpoint is open in development and tests and answers 404 in production. */
  METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  /** Port on which a worker process serves its own /metrics (jobs, vendor latency, its pools), with the same token; unset: none. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Days a decommissioned tenant's data is kept (its export downloadable, nothing deleted yet) before it is purged for good. */
  DECOMMISSION_GRACE_DAYS: z.coerce.number().min(0).max(90).default(7),
  /** The issuer printed on invoices (name, address, GST registration number), lines separated by "|"; frozen on each invoice when issued. */
  INVOICE_ISSUER: z.string().trim().min(2).max(500).default("Nexius Leads"),
});

/** The platform's settings: the base above plus each integration's own fragment. */
const EnvSchema = baseEnv
  .extend(authEnv.shape)
  .extend(odooEnv.shape)
  .extend(crawlerEnv.shape)
  .extend(vendorsEnv.shape)
  .extend(registryEnv.shape)
  .extend(icpEnv.shape)
  .extend(httpLimitsEnv.shape)
  .extend(m365Env.shape)
  .extend(mailEnv.shape)
  .extend(webhooksEnv.shape)
  .extend(supportEnv.shape)
  .extend({
    /** The OAuth client id Odoo uses at Nexius SSO (Odoo is its own client of the IdP). */
    ODOO_OIDC_CLIENT_ID: z.string().min(1).default("odoo"),
    /** db_per_tenant: how many ready Odoo databases the warm pool keeps for first logins (0: none, every tenant waits for create_database). */
    ODOO_WARM_POOL_SIZE: z.coerce.number().int().min(0).max(50).default(0),
    /** The template database the warm pool copies; the pool creates it (with the required modules) when missing. */
    ODOO_WARM_TEMPLATE: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .default("nexius_warm_template"),
  });

/** Every variable the platform reads (documented in .env.example; a test keeps the two in step). */
export const ENV_KEYS = Object.keys(EnvSchema.shape);

export type Env = z.infer<typeof EnvSchema> & {
  DATABASE_URL: string;
  APP_DATABASE_URL: string;
  APP_URL: string;
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(zodIssueLines(parsed.error));
  }
  const env = parsed.data;
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";
  if (!env.DATABASE_URL) {
    problems.push(
      production
        ? "DATABASE_URL: required in production (the embedded Postgres is for development only)"
        : "DATABASE_URL: not set; start the platform with `npm run dev`, which starts an embedded Postgres",
    );
  }
  if (!env.APP_DATABASE_URL) {
    problems.push(
      production
        ? "APP_DATABASE_URL: required in production (a role without BYPASSRLS that owns no table)"
        : "APP_DATABASE_URL: not set (a role without BYPASSRLS that owns no table); `npm run dev` sets it for the embedded Postgres",
    );
  }
  problems.push(...authEnvProblems(env, production));
  if (production) {
    for (const name of ["APP_URL", "SECRET_KEYS"] as const) {
      if (!env[name]) problems.push(`${name}: required in production`);
    }
  }
  if (problems.length) throw new EnvError(problems);
  return {
    ...env,
    DATABASE_URL: env.DATABASE_URL!,
    APP_DATABASE_URL: env.APP_DATABASE_URL!,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
  };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For entry points: parse now, and on failure print what is wrong and exit. */
export function requireEnvOrExit(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
