import type pg from "pg";
import { tenantScopeStatement } from "~/db/tenant-scope-pipeline.server";
import { exportCopyPool } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { CopyRows } from "./copy-rows.server";
import { CSV_HEADER, EXPORT_COLUMNS } from "./shortlist-export";
import { withLiterals } from "./sql-literals";

/**
 * A CSV download that Postgres writes: `COPY (…) TO STDOUT` in CSV with every
 * field quoted, each cell through `csv_cell` (empty for NULL, the formula
 * guard), in one transaction of the application role with the tenant set, so
 * row-level security holds exactly as for the cursor path. Node adds the
 * header and the CRLF row ends (./copy-rows.server.ts) and passes the bytes
 * on; the connection is read only as fast as the client reads, so memory
 * stays flat.
 */

/** The export's query with each column as its CSV cell text; COPY takes no parameters, so the values are written in. */
export function csvCopySql(query: Prisma.Sql): string {
  const cells = EXPORT_COLUMNS.map((column) => `csv_cell(e.${column}::text)`).join(", ");
  return `COPY (SELECT ${cells} FROM (${withLiterals(query)}) e) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)`;
}

export type CopyExportEnd = { rows: number; error: unknown; cancelled: boolean };

export type CopyExportSettings = { statementTimeout: string; workMem: string };

/** The export's transaction scope: the tenant (RLS), the statement time limit and the memory its sorts may use. */
export async function scopeCopyExport(connection: pg.ClientBase, tenantId: string, settings: CopyExportSettings): Promise<void> {
  await connection.query("BEGIN");
  const scope = tenantScopeStatement({ tenantId, statementTimeout: settings.statementTimeout });
  await connection.query(scope.text, scope.values);
  await connection.query("SELECT set_config('work_mem', $1, true)", [settings.workMem]);
}

export function copyCsvStream(tenantId: string, query: Prisma.Sql, settings: CopyExportSettings, ended: (end: CopyExportEnd) => void) {
  const encoder = new TextEncoder();
  let source: AsyncIterator<Buffer> | null = null;
  let client: pg.PoolClient | null = null;
  let copy: CopyRows | null = null;

  const finish = async (outcome: { error: unknown; cancelled: boolean }) => {
    const held = client;
    client = null;
    if (!held) return;
    if (outcome.error || outcome.cancelled) {
      // A COPY cut short leaves the connection mid-stream: it is closed, not handed back (its
      // "connection terminated" is our own doing, not news).
      held.on("error", () => {});
      copy?.on("error", () => {});
      copy?.destroy();
      held.release(true);
    } else {
      await held.query("COMMIT");
      held.release();
    }
    ended({ rows: copy?.rowCount ?? 0, ...outcome });
  };

  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        try {
          const connection = await exportCopyPool.connect();
          client = connection;
          await scopeCopyExport(connection, tenantId, settings);
          copy = connection.query(new CopyRows(csvCopySql(query), { crlf: true }));
          source = (copy as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
          controller.enqueue(encoder.encode(CSV_HEADER));
        } catch (error) {
          await finish({ error, cancelled: false });
          controller.error(error);
        }
      },
      async pull(controller) {
        try {
          const next = await source!.next();
          if (next.done) {
            await finish({ error: null, cancelled: false });
            controller.close();
          } else controller.enqueue(next.value);
        } catch (error) {
          await finish({ error, cancelled: false });
          controller.error(error);
        }
      },
      async cancel() {
        await finish({ error: null, cancelled: true });
      },
    },
    { highWaterMark: 0 },
  );
}
