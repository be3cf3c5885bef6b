/** The Odoo connector's cursor: the last record read, its write_date (Odoo's `YYYY-MM-DD HH:MM:SS`, UTC, second precision) and id. */
export type OdooCursor = { writeDate: string; id: number };

/** `write_date,id`, the text the engine stores per entity. */
export function formatCursor(cursor: OdooCursor): string {
  return `${cursor.writeDate},${cursor.id}`;
}

export function parseCursor(text: string): OdooCursor {
  const comma = text.lastIndexOf(",");
  const writeDate = text.slice(0, comma);
  const id = Number(text.slice(comma + 1));
  if (comma < 0 || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(writeDate) || !Number.isInteger(id) || id <= 0) {
    throw new Error(`Not an Odoo lake cursor: ${JSON.stringify(text)} (expected "YYYY-MM-DD HH:MM:SS,id")`);
  }
  return { writeDate, id };
}

/** An Odoo datetime moved back by some seconds, in Odoo's format. */
export function secondsBefore(writeDate: string, seconds: number): string {
  if (seconds <= 0) return writeDate;
  const ms = Date.parse(`${writeDate.replace(" ", "T")}Z`) - seconds * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
