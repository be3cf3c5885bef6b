import { z } from "zod";
import { log } from "~/logger.server";
import {
  OdooAccessDenied,
  OdooDatabaseExists,
  OdooError,
  OdooServerError,
  OdooTransportError,
  OdooUserError,
  type OdooClient,
  type OdooSession,
} from "./client.server";

/**
 * Odoo-side steps of tenant provisioning. Every step looks up before it
 * creates, so the job can be re-run after a failure at any point (including
 * a lost answer to a create that Odoo committed) without duplicating
 * anything. Steps throw OdooProvisioningError; `retryable` tells the job
 * whether running again can help.
 */

export type ProvisioningStep =
  "create_database" | "install_modules" | "company" | "integration_user" | "sso_user" | "oauth_provider" | "baseline" | "smoke_test" | "rotate_password";

export class OdooProvisioningError extends OdooError {
  readonly retryable: boolean;

  constructor(
    readonly step: ProvisioningStep,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "OdooProvisioningError";
    this.retryable = options.retryable ?? options.cause instanceof OdooTransportError;
  }
}

async function step<T>(name: ProvisioningStep, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof OdooProvisioningError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new OdooProvisioningError(name, `Odoo ${name.replace(/_/g, " ")} failed: ${detail}`, { cause: error });
  }
}

const idSchema = z.number().int().positive();
const many2one = z.union([z.tuple([idSchema, z.string()]), z.literal(false)]);

// ---------------------------------------------------------------- roles and groups

export type TenantRole = "admin" | "ops" | "viewer";

/**
 * Odoo groups per platform role (MISSION: roles admin, ops, viewer) where
 * the database is the tenant's own (db_per_tenant): its admin may hold
 * Settings, which reaches nothing but that tenant.
 */
export const ROLE_GROUPS: Record<TenantRole, string[]> = {
  admin: ["sales_team.group_sale_manager", "base.group_system"],
  ops: ["sales_team.group_sale_salesman_all_leads"],
  viewer: ["sales_team.group_sale_salesman"],
};

/**
 * In one database shared by every tenant (company_per_tenant), groups are
 * global: Settings or Access Rights there let a user grant themselves every
 * other tenant's company. An admin gets what a company-level administrator
 * needs (Sales Manager, contact creation), nothing that crosses companies.
 */
export const SHARED_DATABASE_ROLE_GROUPS: Record<TenantRole, string[]> = {
  admin: ["sales_team.group_sale_manager", "base.group_partner_manager"],
  ops: ROLE_GROUPS.ops,
  viewer: ROLE_GROUPS.viewer,
};

/** Groups that administer the whole database; never held by a tenant user of a shared one. */
export const GLOBAL_ADMIN_GROUPS = ["base.group_system", "base.group_erp_manager", "base.group_no_one"];

/**
 * What the service account needs to upsert partners and read the CRM for
 * the data lake — and no more (no Settings, no Access Rights).
 */
export const INTEGRATION_USER_GROUPS = ["base.group_user", "base.group_partner_manager", "sales_team.group_sale_salesman_all_leads"];

/** Modules the steps below rely on: auth_oauth (provider + user fields) and sales_team (the role groups). */
export const REQUIRED_MODULES = ["auth_oauth", "sales_team", "contacts"];

/** Groups for a set of platform roles; unknown roles are ignored, and no known role means viewer (least privilege). */
export function groupsForRoles(roles: readonly string[], options: { sharedDatabase?: boolean } = {}): string[] {
  const table = options.sharedDatabase ? SHARED_DATABASE_ROLE_GROUPS : ROLE_GROUPS;
  const known = roles.filter((r): r is TenantRole => r in table);
  const effective = known.length ? known : (["viewer"] as TenantRole[]);
  return [...new Set(["base.group_user", ...effective.flatMap((r) => table[r])])];
}

// ---------------------------------------------------------------- db_per_tenant

export type CreateTenantDatabaseInput = {
  master: string;
  name: string;
  adminLogin: string;
  adminPassword: string;
  lang?: string;
  countryCode?: string | null;
  /**
   * A database that exists but cannot open a registry (Odoo's create_database
   * returns True even when initialisation failed) is dropped and created
   * again. Credentials that are merely refused never trigger a drop.
   */
  recreateBroken?: boolean;
};

export async function createTenantDatabase(
  client: OdooClient,
  input: CreateTenantDatabaseInput,
): Promise<{ uid: number; created: boolean; recreated: boolean }> {
  return step("create_database", async () => {
    let created = false;
    if (!(await client.db.exists(input.name))) {
      created = await create(client, input);
    }
    const first = await verifyDatabase(client, input);
    if (first.ok) return done(first.uid, created, false);
    if (first.reason === "refused") {
      throw new OdooProvisioningError(
        "create_database",
        `Odoo database "${input.name}" exists but refuses the tenant admin credentials; it belongs to someone else or its admin password was changed`,
        { retryable: false },
      );
    }
    if (input.recreateBroken === false) {
      throw new OdooProvisioningError("create_database", `Odoo database "${input.name}" exists but is not initialised`, {
        cause: first.cause,
        retryable: false,
      });
    }
    log().warn({ odoo: { db: input.name } }, "odoo database exists but is not initialised; dropping and creating it again");
    await client.db.drop(input.master, input.name);
    await create(client, input);
    const second = await verifyDatabase(client, input);
    if (!second.ok) {
      throw new OdooProvisioningError("create_database", `Odoo could not initialise database "${input.name}"; see the Odoo server log`, {
        cause: second.reason === "broken" ? second.cause : undefined,
        retryable: false,
      });
    }
    return done(second.uid, true, true);
  });

  function done(uid: number, created: boolean, recreated: boolean) {
    log().info({ odoo: { step: "create_database", db: input.name, created, recreated } }, "odoo tenant database ready");
    return { uid, created, recreated };
  }
}

async function create(client: OdooClient, input: CreateTenantDatabaseInput): Promise<boolean> {
  try {
    await client.db.createDatabase(input.master, {
      name: input.name,
      demo: false,
      lang: input.lang ?? "en_US",
      adminLogin: input.adminLogin,
      adminPassword: input.adminPassword,
      countryCode: input.countryCode ?? null,
    });
    return true;
  } catch (error) {
    // A concurrent or earlier run created it; verification decides whether it is usable.
    if (error instanceof OdooDatabaseExists) return false;
    if (error instanceof OdooAccessDenied) {
      throw new OdooProvisioningError("create_database", "Odoo refused the master password (or database management is disabled with --no-database-list)", {
        cause: error,
        retryable: false,
      });
    }
    throw error;
  }
}

type Verification = { ok: true; uid: number } | { ok: false; reason: "refused" } | { ok: false; reason: "broken"; cause: unknown };

async function verifyDatabase(client: OdooClient, input: CreateTenantDatabaseInput): Promise<Verification> {
  try {
    const uid = await client.authenticate(input.name, input.adminLogin, input.adminPassword);
    return uid === false ? { ok: false, reason: "refused" } : { ok: true, uid };
  } catch (error) {
    // An uninitialised database fails while loading the registry (e.g. KeyError 'res.users').
    if (error instanceof OdooServerError) return { ok: false, reason: "broken", cause: error };
    throw error;
  }
}

// ---------------------------------------------------------------- modules

const moduleRowSchema = z.object({ id: idSchema, name: z.string(), state: z.string() });

export async function installModules(
  session: OdooSession,
  names: readonly string[],
  options: { pollIntervalMs?: number; timeoutMs?: number; installCallTimeoutMs?: number } = {},
): Promise<{ installed: string[]; alreadyInstalled: string[] }> {
  return step("install_modules", async () => {
    const wanted = [...new Set(names)];
    const lookup = () => session.searchRead("ir.module.module", [["name", "in", wanted]], { fields: ["id", "name", "state"], schema: moduleRowSchema });
    let rows = await lookup();
    if (rows.length < wanted.length) {
      // Modules added to the addons path after the database was created are unknown until the list is refreshed.
      await session.call("ir.module.module", "update_list");
      rows = await lookup();
    }
    const missing = wanted.filter((n) => !rows.some((r) => r.name === n));
    if (missing.length) throw new OdooProvisioningError("install_modules", `Odoo has no module named ${missing.join(", ")}`, { retryable: false });
    const blocked = rows.filter((r) => r.state === "uninstallable");
    if (blocked.length) {
      throw new OdooProvisioningError("install_modules", `Odoo cannot install ${blocked.map((r) => r.name).join(", ")} (uninstallable)`, {
        retryable: false,
      });
    }
    const pending = rows.filter((r) => r.state !== "installed");
    const alreadyInstalled = rows.filter((r) => r.state === "installed").map((r) => r.name);
    if (pending.length === 0) return { installed: [], alreadyInstalled };

    try {
      await session.call(
        "ir.module.module",
        "button_immediate_install",
        [pending.map((r) => r.id)],
        {},
        {
          timeoutMs: options.installCallTimeoutMs ?? session.client.slowCallTimeoutMs,
        },
      );
    } catch (error) {
      // The install goes on server-side after we stop waiting; polling tells us when it is done.
      if (!(error instanceof OdooTransportError && (error.kind === "timeout" || error.kind === "network"))) throw error;
    }
    const deadline = Date.now() + (options.timeoutMs ?? 900_000);
    for (;;) {
      const states = await lookup();
      const notYet = states.filter((r) => pending.some((p) => p.id === r.id) && r.state !== "installed");
      if (notYet.length === 0) break;
      if (Date.now() > deadline) {
        throw new OdooProvisioningError("install_modules", `Odoo modules still not installed: ${notYet.map((r) => `${r.name} (${r.state})`).join(", ")}`, {
          retryable: true,
        });
      }
      await new Promise((r) => setTimeout(r, options.pollIntervalMs ?? 2_000));
    }
    log().info({ odoo: { step: "install_modules", db: session.db, installed: pending.map((r) => r.name) } }, "odoo modules installed");
    return { installed: pending.map((r) => r.name), alreadyInstalled };
  });
}

// ---------------------------------------------------------------- company_per_tenant

const companyRowSchema = z.object({ id: idSchema, name: z.string(), active: z.boolean(), partner_id: many2one });

/**
 * A res.company for the tenant, found by name (unique in Odoo) or created.
 * `tenantKey` is stamped on the company's partner `ref`, so a company of the
 * same name that belongs to someone else is refused instead of adopted.
 */
export async function ensureCompany(
  session: OdooSession,
  input: { name: string; tenantKey?: string },
): Promise<{ companyId: number; partnerId: number; created: boolean }> {
  return step("company", async () => {
    const context = { active_test: false };
    const [existing] = await session.searchRead("res.company", [["name", "=", input.name]], {
      fields: ["id", "name", "active", "partner_id"],
      context,
      schema: companyRowSchema,
    });
    let companyId: number;
    let created = false;
    if (existing) {
      companyId = existing.id;
      if (!existing.active) await session.write("res.company", [companyId], { active: true });
    } else {
      companyId = await session.create("res.company", { name: input.name });
      created = true;
    }
    const [company] = await session.read("res.company", [companyId], ["partner_id"], { schema: companyRowSchema.pick({ id: true, partner_id: true }) });
    if (!company?.partner_id) throw new OdooProvisioningError("company", `Odoo company ${companyId} has no partner`);
    const partnerId = company.partner_id[0];
    if (input.tenantKey) {
      const [partner] = await session.read("res.partner", [partnerId], ["ref"], {
        context,
        schema: z.object({ id: idSchema, ref: z.union([z.string(), z.literal(false)]) }),
      });
      if (partner?.ref && partner.ref !== input.tenantKey) {
        throw new OdooProvisioningError("company", `Odoo company "${input.name}" already exists for another tenant`, { retryable: false });
      }
      if (!partner?.ref) await session.write("res.partner", [partnerId], { ref: input.tenantKey });
    }
    // res.company.create links the company only to its creator and the superuser; make sure the platform admin has it.
    const [me] = await session.read("res.users", [session.uid], ["company_ids"], { schema: z.object({ id: idSchema, company_ids: z.array(idSchema) }) });
    if (me && !me.company_ids.includes(companyId)) await session.write("res.users", [session.uid], { company_ids: [[4, companyId]] });
    log().info({ odoo: { step: "company", db: session.db, companyId, created } }, "odoo tenant company ready");
    return { companyId, partnerId, created };
  });
}

// ---------------------------------------------------------------- users

const userRowSchema = z.object({
  id: idSchema,
  login: z.string(),
  active: z.boolean(),
  company_id: many2one,
  company_ids: z.array(idSchema),
  groups_id: z.array(idSchema),
});

/**
 * The tenant's service account: a dedicated user scoped to one company with
 * an explicit group list. Odoo API keys cannot be created over RPC
 * (reference §6), so its credential is the generated `password`; the result
 * is verified by authenticating with it.
 */
export async function ensureIntegrationUser(
  session: OdooSession,
  input: { login: string; name: string; companyId: number; password: string; groups?: string[] },
): Promise<{ uid: number; created: boolean }> {
  return step("integration_user", async () => {
    const groupIds = [...(await session.resolveXmlIds(input.groups ?? INTEGRATION_USER_GROUPS)).values()];
    const scoped = {
      name: input.name,
      active: true,
      company_id: input.companyId,
      company_ids: [[6, 0, [input.companyId]]],
      groups_id: [[6, 0, groupIds]],
    };
    const [existing] = await session.searchRead("res.users", [["login", "=", input.login]], {
      fields: ["id", "login", "active", "company_id", "company_ids", "groups_id"],
      context: { active_test: false },
      schema: userRowSchema,
    });
    let uid: number;
    let created = false;
    if (existing) {
      uid = existing.id;
      await session.write("res.users", [uid], scoped);
      if ((await session.client.authenticate(session.db, input.login, input.password)) !== uid) {
        await session.write("res.users", [uid], { password: input.password });
      }
    } else {
      uid = await session.create("res.users", { ...scoped, login: input.login, password: input.password });
      created = true;
    }
    if ((await session.client.authenticate(session.db, input.login, input.password)) !== uid) {
      throw new OdooProvisioningError("integration_user", `Odoo does not accept the new credential of ${input.login}`, { retryable: true });
    }
    log().info({ odoo: { step: "integration_user", db: session.db, uid, created } }, "odoo integration user ready");
    return { uid, created };
  });
}

const ssoRowSchema = userRowSchema.extend({
  oauth_provider_id: many2one,
  oauth_uid: z.union([z.string(), z.literal(false)]),
});

const groupClosureSchema = z.object({ id: idSchema, implied_ids: z.array(idSchema) });

/**
 * The signer's Odoo user, pre-linked to the IdP (`oauth_provider_id` +
 * `oauth_uid` = sub) so their first Odoo sign-in matches it instead of
 * signing up a new user. Groups follow the platform roles.
 *
 * A user is found only by that link, never by login: an Odoo user that
 * exists under the member's email but is not linked to their identity may
 * be someone else (or the database's administrator), so it is refused for
 * an operator to resolve instead of taken over. The email must be verified
 * by the IdP before it becomes a login.
 *
 * `sharedDatabase` (company_per_tenant): Odoo groups are global, so a user
 * we linked for another tenant only gains this tenant's company and groups,
 * and no group that administers the database is ever granted; in a tenant's
 * own database the groups are set exactly.
 */
export async function ensureSsoUser(
  session: OdooSession,
  input: {
    email: string;
    emailVerified: boolean;
    name: string;
    sub: string;
    providerId: number;
    roles: readonly string[];
    companyId: number;
    sharedDatabase?: boolean;
  },
): Promise<{ uid: number; created: boolean }> {
  return step("sso_user", async () => {
    const login = input.email.trim().toLowerCase();
    if (!input.emailVerified) {
      throw new OdooProvisioningError(
        "sso_user",
        `The identity provider has not verified ${login}, so no Odoo user is created or linked for it. Verify the address at the identity provider, sign in again, then retry.`,
        { retryable: false },
      );
    }
    const groups = groupsForRoles(input.roles, { sharedDatabase: input.sharedDatabase });
    const groupIds = [...(await session.resolveXmlIds(groups)).values()];
    if (input.sharedDatabase) await refuseGlobalAdministration(session, groupIds);
    const fields = ["id", "login", "active", "company_id", "company_ids", "groups_id", "oauth_provider_id", "oauth_uid"];
    const context = { active_test: false };
    const [linked] = await session.searchRead(
      "res.users",
      [
        ["oauth_provider_id", "=", input.providerId],
        ["oauth_uid", "=", input.sub],
      ],
      {
        fields,
        context,
        schema: ssoRowSchema,
      },
    );
    const [holder] = await session.searchRead("res.users", [["login", "=", login]], { fields, context, schema: ssoRowSchema });
    if (holder && holder.id !== linked?.id) {
      throw new OdooProvisioningError(
        "sso_user",
        `Odoo already has a user with login ${login} (id ${holder.id}) that is not linked to this Nexius identity. A platform operator must rename that Odoo user or link it to the member in Odoo, then retry.`,
        { retryable: false },
      );
    }
    const link = { name: input.name, email: login, login, oauth_provider_id: input.providerId, oauth_uid: input.sub, active: true };
    if (!linked) {
      const uid = await session.create("res.users", {
        ...link,
        company_id: input.companyId,
        company_ids: [[6, 0, [input.companyId]]],
        groups_id: [[6, 0, groupIds]],
      });
      log().info({ odoo: { step: "sso_user", db: session.db, uid, created: true } }, "odoo sso user ready");
      return { uid, created: true };
    }
    const scope = input.sharedDatabase
      ? { company_ids: [[4, input.companyId]], groups_id: groupIds.map((g) => [4, g]) }
      : { company_id: input.companyId, company_ids: [[6, 0, [input.companyId]]], groups_id: [[6, 0, groupIds]] };
    await session.write("res.users", [linked.id], { ...link, ...scope });
    log().info({ odoo: { step: "sso_user", db: session.db, uid: linked.id, created: false } }, "odoo sso user ready");
    return { uid: linked.id, created: false };
  });
}

/**
 * Refuses a group list whose closure (implied groups included, as Odoo adds
 * them) reaches a group that administers the whole shared database — also
 * when a module or an Odoo administrator made a role group imply one.
 */
async function refuseGlobalAdministration(session: OdooSession, groupIds: number[]): Promise<void> {
  const forbidden = new Set((await session.resolveXmlIds(GLOBAL_ADMIN_GROUPS)).values());
  const seen = new Set<number>();
  let frontier = groupIds;
  while (frontier.length) {
    for (const id of frontier) seen.add(id);
    const rows = await session.read("res.groups", frontier, ["implied_ids"], { schema: groupClosureSchema });
    frontier = [...new Set(rows.flatMap((r) => r.implied_ids))].filter((id) => !seen.has(id));
  }
  if ([...seen].some((id) => forbidden.has(id))) {
    throw new OdooProvisioningError(
      "sso_user",
      "The Odoo groups for this role imply database administration (Settings or Access Rights), which no tenant user of a shared Odoo may hold; check the groups' implied groups in Odoo.",
      { retryable: false },
    );
  }
}

// ---------------------------------------------------------------- auth_oauth

const providerRowSchema = z.object({
  id: idSchema,
  name: z.string(),
  client_id: z.union([z.string(), z.literal(false)]),
  auth_endpoint: z.union([z.string(), z.literal(false)]),
  validation_endpoint: z.union([z.string(), z.literal(false)]),
  scope: z.union([z.string(), z.literal(false)]),
  enabled: z.boolean(),
  body: z.union([z.string(), z.literal(false)]),
});

/**
 * Points Odoo's auth_oauth at the platform's IdP (upsert by provider name)
 * and makes Odoo send the token as a Bearer header to the userinfo endpoint,
 * which OIDC providers require (reference §7).
 */
export async function ensureOAuthProvider(
  session: OdooSession,
  input: { name: string; clientId: string; authEndpoint: string; userinfoEndpoint: string; scope?: string; body?: string },
): Promise<{ providerId: number; created: boolean; updatedFields: string[] }> {
  return step("oauth_provider", async () => {
    const desired = {
      name: input.name,
      client_id: input.clientId,
      auth_endpoint: input.authEndpoint,
      validation_endpoint: input.userinfoEndpoint,
      scope: input.scope ?? "openid profile email",
      enabled: true,
      body: input.body ?? `Sign in with ${input.name}`,
    };
    let rows;
    try {
      rows = await session.searchRead("auth.oauth.provider", [["name", "=", input.name]], {
        fields: Object.keys(desired),
        schema: providerRowSchema,
      });
    } catch (error) {
      if (error instanceof OdooUserError && error.odooMessage.includes("auth.oauth.provider")) {
        throw new OdooProvisioningError("oauth_provider", `Odoo module auth_oauth is not installed in "${session.db}"`, { cause: error, retryable: false });
      }
      throw error;
    }
    let providerId: number;
    let created = false;
    let updatedFields: string[] = [];
    const [existing] = rows;
    if (existing) {
      providerId = existing.id;
      updatedFields = Object.entries(desired)
        .filter(([k, v]) => existing[k as keyof typeof existing] !== v)
        .map(([k]) => k);
      if (updatedFields.length) {
        await session.write("auth.oauth.provider", [providerId], Object.fromEntries(updatedFields.map((k) => [k, desired[k as keyof typeof desired]])));
      }
    } else {
      providerId = await session.create("auth.oauth.provider", desired);
      created = true;
    }
    const header = await session.call("ir.config_parameter", "get_param", ["auth_oauth.authorization_header"]);
    if (!header) await session.call("ir.config_parameter", "set_param", ["auth_oauth.authorization_header", "1"]);
    log().info({ odoo: { step: "oauth_provider", db: session.db, providerId, created, updatedFields } }, "odoo oauth provider ready");
    return { providerId, created, updatedFields };
  });
}

// ---------------------------------------------------------------- baseline, smoke test, rotation

const stringOrFalse = z.union([z.string(), z.literal(false)]);

/**
 * Seeds the tenant's own company record: its name (in a tenant database this
 * renames Odoo's "My Company") and contact details on the company partner.
 * Only fields that differ are written.
 */
export async function ensureBaselineCompanyPartner(
  session: OdooSession,
  input: { companyId: number; name: string; email?: string; website?: string; phone?: string },
): Promise<{ companyId: number; partnerId: number; updatedFields: string[] }> {
  return step("baseline", async () => {
    const [company] = await session.read("res.company", [input.companyId], ["name", "partner_id", "email", "website", "phone"], {
      schema: z.object({ id: idSchema, name: z.string(), partner_id: many2one, email: stringOrFalse, website: stringOrFalse, phone: stringOrFalse }),
    });
    if (!company || !company.partner_id) throw new OdooProvisioningError("baseline", `Odoo company ${input.companyId} not found`, { retryable: false });
    const desired: Record<string, string> = { name: input.name };
    if (input.email) desired.email = input.email;
    if (input.website) desired.website = withScheme(input.website);
    if (input.phone) desired.phone = input.phone;
    const updatedFields = Object.keys(desired).filter((k) => company[k as keyof typeof company] !== desired[k]);
    if (updatedFields.length) {
      // name/email/website/phone of a company are stored on its partner (related fields), so one write updates both.
      await session.write("res.company", [company.id], Object.fromEntries(updatedFields.map((k) => [k, desired[k]])));
    }
    return { companyId: company.id, partnerId: company.partner_id[0], updatedFields };
  });
}

/** What Odoo's `_clean_website` stores, so comparisons see no change on the next run. */
export function withScheme(website: string): string {
  const trimmed = website.trim();
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(trimmed)) return trimmed;
  return trimmed.startsWith("//") ? `http:${trimmed}` : `http://${trimmed}`;
}

export type SmokeTestResult = {
  partnerId: number;
  created: boolean;
  steps: Array<{ step: "lookup" | "create" | "write" | "read"; ms: number }>;
  totalMs: number;
};

/**
 * Read/write round trip on a dedicated, archived res.partner (so it never
 * shows in the tenant's contact lists), found again by `ref` on later runs.
 */
export async function smokeTest(session: OdooSession, input: { tenantSlug: string; companyId?: number }): Promise<SmokeTestResult> {
  return step("smoke_test", async () => {
    const started = performance.now();
    const steps: SmokeTestResult["steps"] = [];
    const timed = async <T>(name: SmokeTestResult["steps"][number]["step"], fn: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const result = await fn();
      steps.push({ step: name, ms: Math.round(performance.now() - t) });
      return result;
    };
    const ref = `nexius-smoke:${input.tenantSlug}`;
    const context = { active_test: false };
    const [found] = await timed("lookup", () => session.search("res.partner", [["ref", "=", ref]], { context, limit: 1, order: "id asc" }));
    let partnerId = found;
    if (partnerId === undefined) {
      partnerId = await timed("create", () =>
        session.create("res.partner", {
          name: "Nexius connectivity check",
          ref,
          active: false,
          company_id: input.companyId ?? false,
        }),
      );
    }
    const marker = `Nexius connectivity check ${new Date().toISOString()}`;
    await timed("write", () => session.write("res.partner", [partnerId], { name: marker }));
    const [row] = await timed("read", () => session.read("res.partner", [partnerId], ["name"], { context }));
    if (row?.name !== marker) {
      throw new OdooProvisioningError("smoke_test", `Odoo did not return what was written to partner ${partnerId}`, { retryable: true });
    }
    return { partnerId, created: found === undefined, steps, totalMs: Math.round(performance.now() - started) };
  });
}

/** Sets a new password on the integration user and proves it works before the caller stores it. */
export async function rotateIntegrationPassword(
  adminSession: OdooSession,
  input: { userId: number; login: string; newPassword: string },
): Promise<{ uid: number }> {
  return step("rotate_password", async () => {
    await adminSession.write("res.users", [input.userId], { password: input.newPassword });
    const uid = await adminSession.client.authenticate(adminSession.db, input.login, input.newPassword);
    if (uid !== input.userId) {
      throw new OdooProvisioningError("rotate_password", `Odoo does not accept the rotated credential of ${input.login}`, { retryable: true });
    }
    log().info({ odoo: { step: "rotate_password", db: adminSession.db, uid } }, "odoo integration credential rotated");
    return { uid };
  });
}
