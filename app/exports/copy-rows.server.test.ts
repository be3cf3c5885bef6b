import { describe, expect, it, vi } from "vitest";
import { CopyRows } from "./copy-rows.server";

/**
 * CopyRows as pg drives it: submit, one handleCopyData per row (the rows COPY
 * writes, each ending in LF), CommandComplete, ReadyForQuery. A fake
 * connection records the statement and whether the socket was paused.
 */
function fakeConnection() {
  const stream = { pause: vi.fn(), resume: vi.fn() };
  return { stream, query: vi.fn() };
}

function started(crlf: boolean) {
  const copy = new CopyRows("COPY (SELECT 1) TO STDOUT", { crlf });
  const connection = fakeConnection();
  copy.submit(connection as never);
  return { copy, connection };
}

/** pg parses one network read in one go; the rows of a read arrive in one synchronous run. */
function receive(copy: CopyRows, rows: string[]) {
  for (const row of rows) copy.handleCopyData({ chunk: Buffer.from(row) });
}

function finish(copy: CopyRows, count: number) {
  copy.handleCommandComplete({ text: `COPY ${count}` });
  copy.handleReadyForQuery();
}

/** The stream's chunks as they were pushed (a flowing stream hands each one on by itself). */
function readAll(copy: CopyRows): Promise<{ text: string; chunks: number }> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    copy.on("data", (chunk: Buffer) => chunks.push(chunk));
    copy.on("error", reject);
    copy.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), chunks: chunks.length }));
  });
}

describe("CopyRows", () => {
  it("sends the statement and ends each row with CRLF, leaving line breaks inside quoted fields alone", async () => {
    const { copy, connection } = started(true);
    expect(connection.query).toHaveBeenCalledWith("COPY (SELECT 1) TO STDOUT");
    receive(copy, ['"1","He said ""hi""\n"\n', '"2","""\n""","a\r\nb"\n', '"3","ümlaut","\n"\n']);
    finish(copy, 3);
    const { text, chunks } = await readAll(copy);
    expect(text).toBe('"1","He said ""hi""\n"\r\n"2","""\n""","a\r\nb"\r\n"3","ümlaut","\n"\r\n');
    expect(chunks).toBe(1);
    expect(copy.rowCount).toBe(3);
  });

  it("passes the rows on as they are without crlf", async () => {
    const { copy } = started(false);
    receive(copy, ["1,a\n", '2,"b\nc"\n']);
    finish(copy, 2);
    expect((await readAll(copy)).text).toBe('1,a\n2,"b\nc"\n');
  });

  it("gathers the rows of one network read into one buffer and keeps a row longer than a buffer whole", async () => {
    const { copy } = started(true);
    const long = `"${"x".repeat(100_000)}"\n`;
    receive(copy, ['"a"\n', long, '"b"\n']);
    await Promise.resolve();
    receive(copy, ['"c"\n']);
    finish(copy, 4);
    const { text, chunks } = await readAll(copy);
    expect(text).toBe(`"a"\r\n${long.slice(0, -1)}\r\n"b"\r\n"c"\r\n`);
    expect(chunks).toBe(4);
  });

  it("pauses the connection while the reader is behind and resumes it when the reader asks for more", async () => {
    const { copy, connection } = started(true);
    const row = `"${"y".repeat(1000)}"\n`;
    for (let read = 0; read < 40; read++) {
      receive(copy, [row]);
      await Promise.resolve();
    }
    expect(connection.stream.pause).toHaveBeenCalledTimes(1);
    expect(connection.stream.resume).not.toHaveBeenCalled();
    const first = copy.read() as Buffer;
    expect(connection.stream.resume).toHaveBeenCalledTimes(1);
    const rest = readAll(copy);
    finish(copy, 40);
    expect(Buffer.concat([first, Buffer.from((await rest).text)]).toString()).toBe(`${row.slice(0, -1)}\r\n`.repeat(40));
  });

  it("hands the connection back running when the COPY ends while the reader is behind", async () => {
    // The last network read carries more rows than the reader wants and ReadyForQuery: the
    // socket is paused for those rows, and no later read would resume it once the stream ended,
    // so the transaction's COMMIT would never be answered.
    const { copy, connection } = started(true);
    const row = `"${"z".repeat(1000)}"\n`;
    receive(copy, Array<string>(40).fill(row));
    finish(copy, 40);
    expect(connection.stream.pause).toHaveBeenCalledTimes(1);
    expect(connection.stream.resume).toHaveBeenCalledTimes(1);
    expect((await readAll(copy)).text).toBe(`${row.slice(0, -1)}\r\n`.repeat(40));
    expect(connection.stream.resume).toHaveBeenCalledTimes(1);
  });

  it("fails the stream with the server's error and ends nothing after it", async () => {
    const { copy } = started(true);
    receive(copy, ['"1"\n']);
    copy.handleError(new Error("canceling statement due to statement timeout"));
    copy.handleReadyForQuery();
    await expect(readAll(copy)).rejects.toThrow("statement timeout");
  });
});
