import { db } from "~/db.server";
import { env } from "~/env.server";
import { OdooClient, OdooServerError, type OdooContext, type OdooDomain, type OdooRecord, type OdooSession } from "~/odoo/client.server";
import { openOdooSecret } from "~/odoo/connection.server";
import { type SourceCheck, type SourceConnector, type SourcePage, type SourceRecord, type SyncMode } from "../pipeline";
import { formatCursor, parseCursor, secondsBefore } from "./cursor";
import { ODOO_LAKE_ENTITIES, type OdooLakeEntity, type OdooLakeScope } from "./entities";

/**
 * Reads a tenant's Odoo for the lake through its integration user, with
 * `search_read` pages ordered `write_date asc, id asc`.
 *
 * Incremental reads start at the stored cursor's second (`write_date >=`),
 * so the records of that second are read again: Odoo stamps a whole
 * transaction with one `write_date`, at second precision on the wire, and a
 * record of that second may have committed after the last sync read it; the
 * engine's content hash makes the re-read free. Within a run, each page asks
 * for `write_date >=` the last page's second minus the ids already read in
 * that second, so records sharing a second are neither lost nor read twice
 * however many pages they span (an `id >` keyset would be wrong here: in the
 * database the same displayed second can hide microseconds in any id order).
 *
 * A full run reads from the start (or, handed a cursor, resumes the killed
 * full run it came from); teams are read whole on every run.
 *
 * Every call carries `active_test: false`, so archived records arrive with
 * `active: false`; vanished ones are found by `liveIds` during the full
 * reconcile.
 */

export type OdooConnectorOptions = {
  scope: OdooLakeScope;
  /** Records per search_read call. */
  pageSize?: number;
  /** Extra seconds re-read before the cursor's second, for clocks or transactions slower than one second. */
  overlapSeconds?: number;
  lang?: string;
  entities?: readonly OdooLakeEntity[];
};

/** Which module provides a model, to say what to install when it is missing. */
const MODULE_OF: Array<[RegExp, string]> = [
  [/^crm\.(team|tag)/, "Sales Teams (sales_team)"],
  [/^crm\./, "CRM (crm)"],
  [/^mail\./, "Discuss (mail)"],
];

function describeMissingModel(model: string, error: OdooServerError): string {
  if (/doesn't exist/.test(error.odooMessage)) {
    const module = MODULE_OF.find(([re]) => re.test(model))?.[1];
    return `${model}: the model does not exist in this Odoo${module ? ` (is ${module} installed?)` : ""}`;
  }
  return `${model}: ${error.odooName} ${error.odooMessage.split("\n")[0]}`;
}

export class OdooLakeConnector implements SourceConnector {
  readonly source = "odoo" as const;
  readonly entities: readonly string[];
  private readonly specs: Map<string, OdooLakeEntity>;
  private readonly available = new Map<string, Promise<Set<string>>>();
  private readonly pageSize: number;
  private readonly overlapSeconds: number;
  private readonly context: OdooContext;

  constructor(
    private readonly session: OdooSession,
    private readonly options: OdooConnectorOptions,
  ) {
    const specs = options.entities ?? ODOO_LAKE_ENTITIES;
    this.specs = new Map(specs.map((s) => [s.model, s]));
    this.entities = specs.map((s) => s.model);
    this.pageSize = options.pageSize ?? 1000;
    this.overlapSeconds = options.overlapSeconds ?? 0;
    const companyId = options.scope.companyId;
    this.context = { lang: options.lang ?? "en_US", active_test: false, ...(companyId === null ? {} : { allowed_company_ids: [companyId] }) };
  }

  async check(): Promise<SourceCheck> {
    const missing: string[] = [];
    for (const spec of this.specs.values()) {
      let fields: Set<string>;
      try {
        fields = await this.fieldsOf(spec.model);
      } catch (error) {
        if (!(error instanceof OdooServerError)) throw error;
        this.available.delete(spec.model);
        missing.push(describeMissingModel(spec.model, error));
        continue;
      }
      for (const field of [...spec.fields, "write_date"]) if (!fields.has(field)) missing.push(`${spec.model}.${field}`);
    }
    return { missing };
  }

  async *pages(entity: string, from: { mode: SyncMode; cursor: string | null }): AsyncIterable<SourcePage> {
    const spec = this.spec(entity);
    const available = await this.fieldsOf(spec.model);
    const fields = [...spec.fields, ...(spec.optional ?? []).filter((f) => available.has(f)), "write_date"];
    const base = spec.domain?.(this.options.scope) ?? [];
    // A cursor in full mode is the engine resuming a killed full run: that run's records before it are loaded already.
    const resume = from.cursor && !(spec.alwaysFull && from.mode === "incremental") ? parseCursor(from.cursor) : null;
    let second = resume ? secondsBefore(resume.writeDate, this.overlapSeconds) : null;
    let readInSecond: number[] = [];
    for (;;) {
      const window: OdooDomain = second === null ? [] : [["write_date", ">=", second]];
      const skip: OdooDomain = readInSecond.length ? [["id", "not in", readInSecond]] : [];
      const rows = await this.session.searchRead(spec.model, [...base, ...window, ...skip], {
        fields,
        order: "write_date asc, id asc",
        limit: this.pageSize,
        context: this.context,
      });
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      const lastSecond = String(last.write_date);
      const sameSecond = rows.filter((r) => r.write_date === lastSecond).map((r) => r.id);
      readInSecond = lastSecond === second ? [...readInSecond, ...sameSecond] : sameSecond;
      second = lastSecond;
      yield { records: rows.map((row) => toSourceRecord(spec.model, row)), cursor: formatCursor({ writeDate: lastSecond, id: last.id }) };
      if (rows.length < this.pageSize) return;
    }
  }

  async liveIds(entity: string): Promise<Set<string>> {
    const spec = this.spec(entity);
    const ids = await this.session.search(spec.model, spec.domain?.(this.options.scope) ?? [], { context: this.context });
    return new Set(ids.map(String));
  }

  private spec(entity: string): OdooLakeEntity {
    const spec = this.specs.get(entity);
    if (!spec) throw new Error(`The Odoo connector does not read ${entity}`);
    return spec;
  }

  /** The model's field names, asked once per connector (a sync) with `fields_get`. */
  private fieldsOf(model: string): Promise<Set<string>> {
    let known = this.available.get(model);
    if (!known) {
      known = this.session
        .call(model, "fields_get", [], { attributes: ["type"] }, { context: this.context })
        .then((answer) => new Set(Object.keys(answer as Record<string, unknown>)));
      this.available.set(model, known);
    }
    return known;
  }
}

function toSourceRecord(entity: string, row: OdooRecord): SourceRecord {
  return { entity, sourceId: String(row.id), version: typeof row.write_date === "string" ? row.write_date : null, payload: row };
}

export class OdooLakeNotConnectedError extends Error {
  constructor() {
    super("This workspace has no Odoo connection yet");
    this.name = "OdooLakeNotConnectedError";
  }
}

/**
 * The lake's connector for a tenant: its integration user (never the admin),
 * scoped to its company when the database is shared by every tenant.
 */
export async function openOdooLakeConnector(tenantId: string, options: Omit<OdooConnectorOptions, "scope"> = {}): Promise<OdooLakeConnector> {
  const connection = await db.$withTenant(tenantId, (tx) => tx.odooConnection.findUnique({ where: { tenantId } }));
  if (!connection) throw new OdooLakeNotConnectedError();
  const client = new OdooClient({ baseUrl: connection.baseUrl, timeoutMs: env().ODOO_TIMEOUT_MS });
  const session = await client.connect(connection.database, connection.login, openOdooSecret(connection));
  const companyId = connection.mode === "company_per_tenant" ? connection.companyId : null;
  return new OdooLakeConnector(session, { ...options, scope: { companyId } });
}
