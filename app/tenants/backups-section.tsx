import { Form } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { formatWhenWithSeconds } from "~/utils/date-format";
import { formatBytes } from "~/utils/number-format";
import { ConfirmPopover } from "./confirm-popover";
import { OPERATION_IMPACTS } from "./operations";

export type BackupView = { id: string; filename: string; sizeBytes: number; createdAt: string | Date };

/**
 * A workspace's Odoo backups (zip dumps through Odoo's db service) with their
 * size and date: take one now, download one, restore one (each an operation).
 * Self-contained, so it can sit in whichever tab the tenant page gives it.
 */
export function BackupsSection({
  tenantId,
  backups,
  unavailable,
  canOperate,
  busy,
}: {
  tenantId: string;
  backups: BackupView[];
  /** Why this workspace has no Odoo backups (a shared database), or null. */
  unavailable: string | null;
  canOperate: boolean;
  busy: boolean;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2" aria-labelledby="backups">
      <div className="flex items-center justify-between gap-3">
        <h2 id="backups" className="font-semibold">
          Odoo backups
        </h2>
        {canOperate && !unavailable ? (
          <Form method="post">
            <input type="hidden" name="intent" value="backup" />
            <Button type="submit" disabled={busy} title={OPERATION_IMPACTS.backup.impact}>
              Back up now
            </Button>
          </Form>
        ) : null}
      </div>
      {unavailable ? (
        <p className="mt-3 text-sm text-slate-600">{unavailable}</p>
      ) : backups.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">No backup yet.</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <DataTable
            caption="Odoo backups"
            rows={backups}
            rowKey={(b) => b.id}
            columns={[
              { header: "Taken", rowHeader: true, cell: (b) => formatWhenWithSeconds(b.createdAt) },
              { header: "Size", cellClassName: "tabular-nums", cell: (b) => formatBytes(b.sizeBytes) },
              {
                header: "File",
                cell: (b) => (
                  <a href={`/admin/tenants/${tenantId}/files/${b.id}`} className="text-brand-700 hover:underline" download>
                    {b.filename}
                  </a>
                ),
              },
              {
                header: <span className="sr-only">Restore</span>,
                cell: (b) => (canOperate ? <RestoreConfirm backup={b} busy={busy} /> : null),
              },
            ]}
          />
        </div>
      )}
    </section>
  );
}

function RestoreConfirm({ backup, busy }: { backup: BackupView; busy: boolean }) {
  const { title, impact } = OPERATION_IMPACTS.restore;
  return (
    <ConfirmPopover label="Restore" title={title} impact={impact}>
      <Form method="post">
        <input type="hidden" name="intent" value="restore" />
        <input type="hidden" name="backupId" value={backup.id} />
        <Button type="submit" variant="danger" disabled={busy}>
          Restore {formatWhenWithSeconds(backup.createdAt)}
        </Button>
      </Form>
    </ConfirmPopover>
  );
}
