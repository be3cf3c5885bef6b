import { open, parseKeyRing } from "../../../app/crypto/secret-box.server";
import { queryE2eDatabase, standInsEnv } from "./database";

/**
 * A workspace's Odoo as the e2e platform's simulator holds it, over Odoo's
 * JSON-RPC, signed in as the workspace's integration user (the credential
 * the platform sealed at set-up, so the same user and company the platform
 * itself reaches). Journeys read the records their figures are checked
 * against through it, and write the records a journey arranges.
 */
export type OdooSession = {
  /** The workspace's Odoo company. */
  companyId: number;
  /** A model method, with the workspace's company as the allowed one (`kwargs.context` adds to that). */
  call: <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<T>;
  /** Every record of `model` matching `domain`, archived ones included. */
  searchRead: <T>(model: string, domain: unknown[], fields: string[]) => Promise<T[]>;
};

let rpcId = 0;

async function jsonRpc<T>(url: string, service: string, method: string, args: unknown[]): Promise<T> {
  const response = await fetch(`${url}/jsonrpc`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: ++rpcId, params: { service, method, args } }),
  });
  const body = (await response.json()) as { result?: T; error?: { message?: string; data?: { message?: string } } };
  if (body.error) throw new Error(`Odoo ${service}.${method}: ${body.error.data?.message ?? body.error.message ?? JSON.stringify(body.error)}`);
  return body.result as T;
}

/** The databases the e2e platform's Odoo holds (the db service's `list`, which needs no login). */
export async function odooDatabases(): Promise<string[]> {
  return jsonRpc<string[]>((await standInsEnv()).ODOO_URL, "db", "list", []);
}

export async function odooSession(slug: string): Promise<OdooSession> {
  const env = await standInsEnv();
  const [connection] = await queryE2eDatabase<{
    tenant_id: string;
    database: string;
    login: string;
    secret_cipher: Buffer;
    secret_key_id: string;
    company_id: number;
  }>(
    `SELECT c.tenant_id, c.db_name AS database, c.login, c.secret_cipher, c.secret_key_id, c.company_id
       FROM odoo_connections c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = $1`,
    [slug],
  );
  if (!connection) throw new Error(`${slug} has no Odoo connection`);
  const password = open(
    parseKeyRing(env.SECRET_KEYS),
    { cipher: connection.secret_cipher, keyId: connection.secret_key_id },
    `odoo-service:${connection.tenant_id}`,
  );
  const uid = await jsonRpc<number | false>(env.ODOO_URL, "common", "authenticate", [connection.database, connection.login, password, {}]);
  if (typeof uid !== "number") throw new Error(`Odoo refused ${slug}'s integration user`);
  const companyId = connection.company_id;
  const call = <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const context = { allowed_company_ids: [companyId], ...(kwargs.context as Record<string, unknown> | undefined) };
    return jsonRpc<T>(env.ODOO_URL, "object", "execute_kw", [connection.database, uid, password, model, method, args, { ...kwargs, context }]);
  };
  return {
    companyId,
    call,
    searchRead: <T>(model: string, domain: unknown[], fields: string[]) =>
      call<T[]>(model, "search_read", [domain], { fields, context: { active_test: false } }),
  };
}
