import { env } from "~/env.server";
import { type OdooConnection } from "~/generated/prisma/client";
import { OdooClient, type OdooSession } from "./client.server";
import { openOdooSecret } from "./connection.server";

/** An Odoo client for one push that counts its calls for run_vendor_usage. */
export class MeteredOdooClient extends OdooClient {
  calls = 0;
  errors = 0;

  override async rpc(...args: Parameters<OdooClient["rpc"]>): Promise<unknown> {
    this.calls++;
    try {
      return await super.rpc(...args);
    } catch (error) {
      this.errors++;
      throw error;
    }
  }
}

export async function openPushSession(connection: OdooConnection): Promise<{ client: MeteredOdooClient; session: OdooSession }> {
  const client = new MeteredOdooClient({ baseUrl: connection.baseUrl, timeoutMs: env().ODOO_TIMEOUT_MS });
  // The integration user, never the admin: a push needs partner rights only.
  const session = await client.connect(connection.database, connection.login, openOdooSecret(connection));
  return { client, session };
}
