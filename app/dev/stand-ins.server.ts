import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { generateKeySpec } from "../crypto/secret-box.server";
import { migrate } from "../db/migrator.server";
import { ensureDemoRegistry } from "./demo-registry.server";
import { DEV_IDP_CLIENT, devAppDatabaseUrl, devIdpIssuer } from "./dev-logins.server";
import { DEMO_USERS } from "./idp-accounts.server";

/**
 * The embedded defaults: a stand-in for every outside system that is not
 * configured — Postgres, the identity provider, Odoo, the dev world (the
 * company websites and the vendor APIs) and a mail catcher — plus the demo data. Used by
 * `npm run dev`, the e2e server and `npm run nightly`. Each stand-in runs as
 * its own process group (so a Ctrl-C reaches the web server and worker first)
 * and announces itself with one `{"ready": …}` line.
 */
export type StandInOptions = {
  dataDir: string;
  database: string;
  appUrl: string;
  /** graph: the Microsoft Graph simulator's port; unset or 0 takes a free one. */
  /** mail/mailSmtp: the mail catcher's inbox (HTTP) and SMTP ports; unset or 0 takes free ones. */
  ports: { pg: number; idp: number; odoo: number; world: number; graph?: number; mail?: number; mailSmtp?: number };
  fresh?: boolean;
  /** fast for local work and tests; realistic for the nightly benchmark. */
  worldProfile?: "fast" | "realistic";
  worldFaultRate?: number;
  odooLatencyMs?: number;
  /** Fill each tenant's Odoo company with demo CRM data when provisioning creates it. */
  odooDemoCrm?: boolean;
  out: (name: string, text: string) => void;
  /** Called when a stand-in dies after it was ready (the runner then stops everything). */
  onServiceExit?: (name: string) => void;
};

export type StandIns = { env: Record<string, string>; stop(): Promise<void> };

/**
 * Demo tenants of the dev IdP, created at first start so a newcomer can run
 * the nightly job at once. `salespeople` are demo users who hold a seat in
 * the tenant's demo Odoo CRM (0 leads Direct Sales, 1–3 are its reps, 4 leads
 * Channel Sales): each signs in as that Odoo salesperson.
 */
export const DEMO_TENANTS = [
  {
    slug: "acme",
    name: "Acme",
    salespeople: [
      { seat: 0, email: "manager@acme.test" },
      { seat: 1, email: "rep@acme.test" },
    ],
  },
  {
    slug: "globex",
    name: "Globex",
    salespeople: [
      { seat: 0, email: "manager@globex.test" },
      { seat: 1, email: "rep@globex.test" },
      // An admin who also leads a team still sees the whole workspace.
      { seat: 4, email: "admin@globex.test" },
    ],
  },
];

/** The `--demo-salespeople` of the Odoo simulator: each demo company's seats, as the dev IdP's users. */
export function demoSalespeople(): Record<string, Array<{ seat: number; name: string; email: string; oauthUid: string }>> {
  return Object.fromEntries(
    DEMO_TENANTS.map((tenant) => [
      tenant.name,
      tenant.salespeople.map(({ seat, email }) => {
        const user = DEMO_USERS.find((u) => u.email === email);
        if (!user) throw new Error(`${email} is not a demo user of the dev IdP`);
        return { seat, name: user.name, email, oauthUid: user.sub };
      }),
    ]),
  );
}

const TSX = path.resolve("node_modules/.bin/tsx");

/** The app registration every demo directory of the Graph simulator has consented to. */
const DEV_GRAPH_APP = { clientId: "nexius-lake-dev", clientSecret: "dev-graph-secret" };
const DEV_GRAPH_APP_ARGS = ["--client-id", DEV_GRAPH_APP.clientId, "--client-secret", DEV_GRAPH_APP.clientSecret];

/** A demo tenant's Microsoft Entra directory id in the Graph simulator, the same on every start. */
function demoDirectoryId(slug: string): string {
  const hex = createHash("sha256").update(`demo-m365-directory:${slug}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function startStandIns(options: StandInOptions): Promise<StandIns> {
  const services: ChildProcess[] = [];
  const env: Record<string, string> = { DATA_DIR: options.dataDir, APP_URL: options.appUrl };
  const say = (name: string, text: string) => options.out(name, text.endsWith("\n") ? text : `${text}\n`);

  const start = (name: string, argv: string[]) => startService(name, argv, services, options);
  const stop = async () => {
    for (const service of [...services].reverse()) await stopProcess(service, 15_000);
  };

  try {
    let ownerUrl = process.env.DATABASE_URL;
    if (!ownerUrl) {
      say("db", `starting embedded Postgres on port ${options.ports.pg} (data in ${path.relative(process.cwd(), options.dataDir)}/pg)`);
      ownerUrl = await start("db", [
        "app/cli/embedded-postgres.ts",
        "--data-dir",
        path.join(options.dataDir, "pg"),
        "--port",
        String(options.ports.pg),
        "--database",
        options.database,
      ]);
    }
    if (options.fresh) {
      await recreateDatabase(ownerUrl);
      // The stand-ins' own state belongs with the database: start them afresh too.
      await rm(path.join(options.dataDir, "odoo-sim.json"), { force: true });
      await rm(path.join(options.dataDir, "idp", "accounts.json"), { force: true });
      say("db", "database recreated");
    }
    const appDbUrl = process.env.APP_DATABASE_URL ?? devAppDatabaseUrl(ownerUrl);
    const appLogin = new URL(appDbUrl);
    const migrated = await migrate({
      ownerUrl,
      appLogin: { user: decodeURIComponent(appLogin.username), password: decodeURIComponent(appLogin.password) },
      log: (m) => say("migrate", m),
    });
    say("migrate", `${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already applied`);
    Object.assign(env, { DATABASE_URL: ownerUrl, APP_DATABASE_URL: appDbUrl });

    const registry = await ensureDemoRegistry({ connectionString: ownerUrl });
    say("registry", registry.loaded ? `demo registry loaded: ${registry.summary.inserted} companies` : `registry has ${registry.companies} companies`);

    env.SECRET_KEYS = process.env.SECRET_KEYS ?? (await devSecretKeys(options.dataDir));
    // A sign-in in flight across a restart of the dev platform may be refused; nothing else depends on this key.
    env.OIDC_NONCE_KEY = process.env.OIDC_NONCE_KEY ?? randomBytes(32).toString("base64");

    if (!process.env.NEXIUS_ISSUER) {
      say("idp", `starting the development identity provider on ${devIdpIssuer(options.ports.idp)}`);
      env.NEXIUS_ISSUER = await start("idp", [
        "app/cli/dev-idp.ts",
        "--port",
        String(options.ports.idp),
        "--client-id",
        DEV_IDP_CLIENT.client_id,
        "--client-secret",
        DEV_IDP_CLIENT.client_secret,
        "--redirect-uri",
        `${options.appUrl}/auth/callback`,
        "--post-logout-redirect-uri",
        `${options.appUrl}/`,
        "--key-file",
        path.join(options.dataDir, "idp", "signing-key.json"),
        "--accounts-file",
        path.join(options.dataDir, "idp", "accounts.json"),
      ]);
      Object.assign(env, { NEXIUS_CLIENT_ID: DEV_IDP_CLIENT.client_id, NEXIUS_CLIENT_SECRET: DEV_IDP_CLIENT.client_secret });
    }

    if (!process.env.ODOO_URL) {
      const simulated = { ODOO_DB: "odoo", ODOO_ADMIN_LOGIN: "admin", ODOO_ADMIN_PASSWORD: "admin", ODOO_MASTER_PASSWORD: "admin" };
      say("odoo", `starting the Odoo simulator on port ${options.ports.odoo}`);
      const url = await start("odoo", [
        "tests/sims/odoo/main.ts",
        "--port",
        String(options.ports.odoo),
        "--master-password",
        simulated.ODOO_MASTER_PASSWORD,
        "--db",
        simulated.ODOO_DB,
        "--admin-login",
        simulated.ODOO_ADMIN_LOGIN,
        "--admin-password",
        simulated.ODOO_ADMIN_PASSWORD,
        "--latency-ms",
        String(options.odooLatencyMs ?? 5),
        "--state-file",
        path.join(options.dataDir, "odoo-sim.json"),
        ...(options.odooDemoCrm ? ["--demo-crm", "--demo-salespeople", JSON.stringify(demoSalespeople())] : []),
      ]);
      // Two ready copies for the tenants the create wizard gives a database of their own (the default mode is company_per_tenant).
      Object.assign(env, { ODOO_URL: url, ...simulated, ODOO_WARM_POOL_SIZE: process.env.ODOO_WARM_POOL_SIZE ?? "2" });
    }

    if (!process.env.TAVILY_BASE_URL && !process.env.CRAWLER_HOST_OVERRIDES && existsSync("tests/sims/dev-world/main.ts")) {
      const companiesFile = path.join(options.dataDir, "dev-world-companies.json");
      await writeFile(companiesFile, JSON.stringify(await registryCompanies(ownerUrl)));
      say("world", `starting the dev world (company websites and vendor APIs, ${options.worldProfile ?? "fast"} profile)`);
      const envFile = await start("world", [
        "tests/sims/dev-world/main.ts",
        "--companies-file",
        companiesFile,
        "--seed",
        "dev",
        "--profile",
        options.worldProfile ?? "fast",
        "--base-port",
        String(options.ports.world),
        "--env-out",
        path.join(options.dataDir, "dev-world-env.json"),
        ...(options.worldFaultRate ? ["--fault-rate", String(options.worldFaultRate)] : []),
      ]);
      Object.assign(env, JSON.parse(await readFile(envFile, "utf8")) as Record<string, string>);
    }

    if (!process.env.MS_GRAPH_BASE_URL && existsSync("tests/sims/graph/main.ts")) {
      say("m365", "starting the Microsoft Graph simulator (Microsoft 365 of the demo tenants)");
      const tenants = DEMO_TENANTS.map((t) => `${t.slug}=${demoDirectoryId(t.slug)}`).join(",");
      // Each demo tenant's meetings are with the customers of its demo CRM (seeded by the Odoo company's name, the tenant's).
      const crmAccounts = JSON.stringify(Object.fromEntries(DEMO_TENANTS.map((t) => [t.slug, t.name])));
      const url = await start("m365", [
        "tests/sims/graph/main.ts",
        "--port",
        String(options.ports.graph ?? 0),
        "--tenants",
        tenants,
        "--crm-accounts",
        crmAccounts,
        ...DEV_GRAPH_APP_ARGS,
      ]);
      Object.assign(env, {
        MS_GRAPH_BASE_URL: url,
        MS_LOGIN_BASE_URL: url,
        MS_CLIENT_ID: DEV_GRAPH_APP.clientId,
        MS_CLIENT_SECRET: DEV_GRAPH_APP.clientSecret,
      });
    }

    if (!process.env.SMTP_URL && existsSync("tests/sims/mail/main.ts")) {
      const ready = await start("mail", [
        "tests/sims/mail/main.ts",
        "--smtp-port",
        String(options.ports.mailSmtp ?? 0),
        "--http-port",
        String(options.ports.mail ?? 0),
      ]);
      const [smtpUrl, inboxUrl] = ready.split(" ");
      say("mail", `mail catcher: SMTP at ${smtpUrl}, inbox at ${inboxUrl}/messages`);
      Object.assign(env, { SMTP_URL: smtpUrl!, MAIL_CATCHER_URL: inboxUrl! });
    }

    await seedDemoTenants(ownerUrl, { m365: Boolean(env.MS_GRAPH_BASE_URL) });
    return { env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The registry rows the dev world builds its websites and people from. */
async function registryCompanies(ownerUrl: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ uen: string; name: string; ssicCode: string | null; ssicDescription: string | null }>(
      `SELECT uen, entity_name AS name, primary_ssic_code AS "ssicCode", primary_ssic_description AS "ssicDescription"
       FROM staging_acra_companies ORDER BY uen`,
    );
    return rows.map((r) => ({ uen: r.uen, name: r.name, ssicCode: r.ssicCode ?? undefined, ssicDescription: r.ssicDescription ?? undefined }));
  } finally {
    await client.end();
  }
}

/**
 * The demo tenants exist from the first start and are provisioned by the
 * worker like any other (their users join them at first sign-in).
 */
async function seedDemoTenants(ownerUrl: string, sources: { m365: boolean }) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    for (const tenant of DEMO_TENANTS) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO tenants (slug, name, status) VALUES ($1, $2, 'provisioning')
         ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [tenant.slug, tenant.name],
      );
      if (!rows[0]) continue;
      await client.query(`INSERT INTO onboarding_status (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING`, [rows[0].id]);
      await client.query(
        `INSERT INTO audit_log (tenant_id, actor_sub, action, target, details) VALUES ($1, 'system', 'tenant.created', $2, '{"via":"demo_seed"}')`,
        [rows[0].id, tenant.slug],
      );
      await client.query(
        `SELECT graphile_worker.add_job('provision_tenant', json_build_object('tenantId', $1::text, 'actor', json_build_object('sub', 'system', 'email', null)),
           queue_name => 'provision:' || $1::text, job_key => 'provision:' || $1::text, job_key_mode => 'unsafe_dedupe', max_attempts => 5)`,
        [rows[0].id],
      );
    }
    if (sources.m365) {
      // Each demo tenant's Microsoft 365 is connected to its directory in the Graph simulator.
      for (const tenant of DEMO_TENANTS) {
        await client.query(
          `INSERT INTO lake_sources (tenant_id, source, directory_id, status, connected_at)
           SELECT id, 'm365', $2, 'connected', CURRENT_TIMESTAMP FROM tenants WHERE slug = $1
           ON CONFLICT (tenant_id, source) DO NOTHING`,
          [tenant.slug, demoDirectoryId(tenant.slug)],
        );
      }
    }
  } finally {
    await client.end();
  }
}

async function devSecretKeys(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "secret-keys");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dataDir, { recursive: true });
  const spec = generateKeySpec("dev1");
  await writeFile(file, `${spec}\n`, { mode: 0o600 });
  return spec;
}

async function recreateDatabase(ownerUrl: string) {
  const url = new URL(ownerUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
}

function startService(name: string, argv: string[], services: ChildProcess[], options: StandInOptions): Promise<string> {
  const out = options.out;
  const child = spawn(TSX, argv, { detached: true, stdio: ["pipe", "pipe", "pipe"] });
  services.push(child);
  child.stderr!.on("data", (chunk: Buffer) => out(name, chunk.toString()));
  return new Promise((resolve, reject) => {
    let buffered = "";
    let ready = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      if (ready) return out(name, chunk.toString());
      buffered += chunk.toString();
      const match = buffered.match(/\{"ready":"([^"]+)"\}/);
      if (match) {
        ready = true;
        resolve(match[1]!);
      }
    });
    child.on("exit", (code) => {
      const index = services.indexOf(child);
      if (index >= 0) services.splice(index, 1);
      if (!ready) reject(new Error(`${name} exited with code ${code} before it was ready; see the [${name}] lines above`));
      else {
        out(name, `exited (${code})\n`);
        options.onServiceExit?.(name);
      }
    });
  });
}

export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), graceMs).unref();
  });
}
