import { db } from "~/db.server";
import { withLakeScope } from "~/lake/hierarchy.server";
import { WHOLE_TENANT } from "~/lake/serving-reads.server";
import { type MailboxEntity, type MailboxHoldings } from "./connector.server";
import { contactFoldersInCursor, mailboxOfKey, parseDeltaCursor } from "./delta-cursor";

/**
 * A tenant's lake as the Microsoft 365 connector asks it what came from
 * which mailbox. The stored cursor names the mailboxes followed and, for
 * contacts, each mailbox's folders; an event's source id starts with its
 * mailbox, a contact's latest raw payload names its folder (`parentFolderId`).
 */
export function lakeMailboxHoldings(tenantId: string): MailboxHoldings {
  const storedCursor = async (entity: MailboxEntity) => {
    const row = await db.$withTenant(tenantId, (tx) =>
      tx.lakeCursor.findUnique({ where: { tenantId_source_entity: { tenantId, source: "m365", entity } }, select: { cursor: true } }),
    );
    return parseDeltaCursor(row?.cursor ?? null);
  };

  return {
    async mailboxes(entity) {
      return [...new Set(Object.keys((await storedCursor(entity)).links).map(mailboxOfKey))];
    },

    async recordsOf(entity, mailboxIds) {
      if (mailboxIds.length === 0) return [];
      if (entity === "events") {
        const rows = await db.$withTenant(
          tenantId,
          (tx) => tx.$queryRaw<Array<{ source_id: string }>>`
            SELECT source_id FROM lake_source_records
            WHERE source = 'm365' AND entity = 'events' AND removed_at IS NULL AND split_part(source_id, '/', 1) = ANY(${mailboxIds}::text[])`,
        );
        return rows.map((r) => r.source_id);
      }
      const cursor = await storedCursor("contacts");
      const folderIds = mailboxIds.flatMap((userId) => contactFoldersInCursor(cursor, userId));
      if (folderIds.length === 0) return [];
      const rows = await db.$withTenant(
        tenantId,
        (tx) => tx.$queryRaw<Array<{ source_id: string }>>`
          SELECT s.source_id FROM lake_source_records s
          JOIN lake_raw_records r ON r.tenant_id = s.tenant_id AND r.id = s.raw_id
          WHERE s.source = 'm365' AND s.entity = 'contacts' AND s.removed_at IS NULL AND r.payload->>'parentFolderId' = ANY(${folderIds}::text[])`,
      );
      return rows.map((r) => r.source_id);
    },

    async eventsOutside(from, to) {
      // An event the lake could not map has no activity: kept too, since its date is unknown.
      const rows = await withLakeScope(
        tenantId,
        WHOLE_TENANT,
        (tx) => tx.$queryRaw<Array<{ source_id: string }>>`
          SELECT s.source_id FROM lake_source_records s LEFT JOIN lake_activities a ON a.id = s.canonical_id
          WHERE s.source = 'm365' AND s.entity = 'events' AND s.removed_at IS NULL AND (a.id IS NULL OR a.at < ${from} OR a.at >= ${to})`,
      );
      return rows.map((r) => r.source_id);
    },
  };
}
