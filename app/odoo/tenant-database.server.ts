import { log } from "~/logger.server";
import { OdooAccessDenied, OdooDatabaseExists, OdooServerError, type OdooClient } from "./client.server";
import { OdooProvisioningError, provisioningStep } from "./provisioning-step.server";

/** db_per_tenant: the tenant's own Odoo database, created with the master password. */

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
  return provisioningStep("create_database", async () => {
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
