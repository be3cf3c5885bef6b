import http from "node:http";
import { type AddressInfo } from "node:net";

/** A request exactly as it arrived on the wire. */
export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The JSON body (a form body as an object of its fields), or undefined when there was none. */
  body: unknown;
};

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export type RecordingServer = { url: string; requests: RecordedRequest[]; close(): Promise<void> };

/**
 * Stands in for a vendor with its documented answers: records what our
 * client sent and replies with the example, so a contract test sees both
 * sides of the exchange without the simulator in between.
 */
export async function startRecordingServer(reply: (request: RecordedRequest) => Reply): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://recorder");
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: !raw.trim()
        ? undefined
        : req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")
          ? Object.fromEntries(new URLSearchParams(raw))
          : JSON.parse(raw),
    };
    requests.push(request);
    const answer = reply(request);
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
