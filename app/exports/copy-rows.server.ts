import { Readable } from "node:stream";
import type pg from "pg";

/**
 * `COPY … TO STDOUT` as a byte stream, for `client.query(new CopyRows(sql))`.
 * The server sends every row as its own CopyData message ("always one per
 * row", PostgreSQL protocol, COPY operations), ending in COPY's LF; pg's own
 * parser frames them, so a row end is known without reading the row. With
 * `crlf`, each row's final LF becomes CRLF (RFC 4180) while an LF inside a
 * quoted field stays as it is; no byte is decoded or scanned.
 *
 * Rows are gathered into one buffer per network read (pg parses a read in
 * one go and the flush runs right after); when the reader falls behind, the
 * connection's socket is paused, so the server waits for the client.
 */
const LF = 0x0a;
const CR = 0x0d;
/** A buffer's room: one network read's rows usually fit; a longer row gets a buffer of its own size. */
const BATCH_BYTES = 64 * 1024;

type CopyDataMessage = { chunk: Buffer };

export class CopyRows extends Readable implements pg.Submittable {
  /** Rows the server reported copying, once it has finished. */
  rowCount = 0;
  private connection: pg.Connection | null = null;
  private batch = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  private flushQueued = false;
  private paused = false;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly options: { crlf: boolean },
  ) {
    super();
  }

  submit(connection: pg.Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyData(message: CopyDataMessage): void {
    const row = message.chunk;
    const crlf = this.options.crlf && row.length > 0 && row[row.length - 1] === LF;
    const size = row.length + (crlf ? 1 : 0);
    if (this.used + size > this.batch.length) {
      this.flush();
      if (size > this.batch.length) this.batch = Buffer.allocUnsafe(size);
    }
    if (crlf) {
      this.used += row.copy(this.batch, this.used, 0, row.length - 1);
      this.batch[this.used++] = CR;
      this.batch[this.used++] = LF;
    } else this.used += row.copy(this.batch, this.used);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? "");
    if (match) this.rowCount = Number(match[1]);
  }

  handleError(error: Error): void {
    this.failed = true;
    this.destroy(error);
  }

  handleReadyForQuery(): void {
    if (!this.failed) {
      this.flush();
      this.push(null);
    }
    // The COPY is over and the connection goes on to the next statement: an ended stream is never
    // read again, so a pause for its last rows would leave that statement unanswered.
    this.resumeConnection();
  }

  /** pg calls these for other statements only; a COPY TO never gets them. */
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(): void {}

  override _read(): void {
    this.resumeConnection();
  }

  private resumeConnection(): void {
    if (this.paused) {
      this.paused = false;
      this.connection?.stream.resume();
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.used === 0 || this.destroyed) return;
    const rows = this.batch.subarray(0, this.used);
    this.batch = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    if (!this.push(rows) && !this.paused) {
      this.paused = true;
      this.connection?.stream.pause();
    }
  }
}
