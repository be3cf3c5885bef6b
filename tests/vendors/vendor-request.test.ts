import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Unavailable } from "~/vendors/errors.server";
import { vendorRequest } from "~/vendors/http.server";

let server: net.Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A TCP server that treats every connection with `onConnection`; its port. */
async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

const failure = (port: number) =>
  vendorRequest("apify", `http://127.0.0.1:${port}/v2/acts/x/run-sync-get-dataset-items`, { method: "POST", json: {}, timeoutMs: 5_000 }).catch(
    (error: unknown) => error,
  );

describe("a vendor request the network failed", () => {
  it("names the cause: a server that closes the connection without an answer", async () => {
    const port = await tcpServer((socket) => socket.once("data", () => socket.destroy()));
    const error = await failure(port);
    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Unavailable).message).toBe("apify: request failed: fetch failed (UND_ERR_SOCKET other side closed)");
  });

  it("names the cause: nothing listening", async () => {
    const port = await tcpServer(() => undefined);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const error = await failure(port);
    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Unavailable).message).toBe(`apify: request failed: fetch failed (ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${port})`);
  });
});
