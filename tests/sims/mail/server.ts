import { randomUUID } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { parseMessage } from "./message";

/**
 * The dev mail catcher: an SMTP server that accepts every message (no
 * authentication, no TLS: it listens on loopback only) and keeps it in
 * memory, and an HTTP server that shows the inbox as JSON — how `npm run dev`
 * users and the tests see what the platform emailed.
 *
 *   GET    /messages[?to=<address>]  the inbox, newest last
 *   GET    /messages/<id>            one message, with its raw source
 *   DELETE /messages                 empties the inbox
 */
export type CaughtMessage = {
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  subject: string;
  from: string;
  to: string;
  text: string;
  raw: string;
};

export type MailCatcher = { smtpUrl: string; url: string; messages: CaughtMessage[]; close(): Promise<void> };

export async function startMailCatcher(options: { smtpPort?: number; httpPort?: number; host?: string } = {}): Promise<MailCatcher> {
  const host = options.host ?? "127.0.0.1";
  const messages: CaughtMessage[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    banner: "Nexius dev mail catcher",
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = parseMessage(raw);
        messages.push({
          id: randomUUID(),
          receivedAt: new Date().toISOString(),
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          },
          subject: parsed.subject,
          from: parsed.from,
          to: parsed.to,
          text: parsed.text,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.smtpPort ?? 0, host, () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const web = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://catcher");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/messages" && req.method === "GET") {
      const to = url.searchParams.get("to")?.toLowerCase();
      return send(
        200,
        messages.filter((m) => !to || m.envelope.to.includes(to)).map(({ raw: _raw, ...m }) => m),
      );
    }
    if (url.pathname === "/messages" && req.method === "DELETE") {
      messages.length = 0;
      return send(200, { ok: true });
    }
    const one = url.pathname.match(/^\/messages\/([\w-]+)$/);
    if (one && req.method === "GET") {
      const message = messages.find((m) => m.id === one[1]);
      return message ? send(200, message) : send(404, { error: "no such message" });
    }
    send(404, { error: "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    web.once("error", reject);
    web.listen(options.httpPort ?? 0, host, () => resolve());
  });
  const httpPort = (web.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    url: `http://${host}:${httpPort}`,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
