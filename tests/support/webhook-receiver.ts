import http from "node:http";
import { type AddressInfo } from "node:net";
import { verifyWebhookSignature, WEBHOOK_HEADERS, type SignatureVerdict } from "~/webhooks/signature.server";

export type ReceivedWebhook = { at: number; path: string; status: number; body: string; headers: http.IncomingHttpHeaders; verdict: SignatureVerdict };

/**
 * A webhook receiver on a loopback port that does what a real one does:
 * verify the raw body against the timestamp and signature headers before
 * trusting it (401 otherwise). `answers` are the statuses it gives next
 * (then 200); `secret` is set once the endpoint's secret is known.
 */
export async function startWebhookReceiver() {
  const state = { secret: "", received: [] as ReceivedWebhook[], answers: [] as number[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const verdict = verifyWebhookSignature({
        secret: state.secret,
        body,
        timestamp: req.headers[WEBHOOK_HEADERS.timestamp] as string | undefined,
        signature: req.headers[WEBHOOK_HEADERS.signature] as string | undefined,
        now: new Date(),
      });
      const status = verdict.ok ? (state.answers.shift() ?? 200) : 401;
      state.received.push({ at: Date.now(), path: req.url ?? "", status, body, headers: req.headers, verdict });
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ received: verdict.ok }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    received: state.received,
    answers: state.answers,
    state,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
