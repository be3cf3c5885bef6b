import { request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The limits the web server puts in front of every request
 * (installRequestLimits, as app/cli/serve.ts installs it), over real HTTP on two
 * express instances sharing one Postgres: per-address rate limits with 429 and
 * Retry-After, counted across instances; a body limit that also holds for
 * chunked uploads; the SQL statement limit of a web request. Limits are set
 * low here, before the app is loaded.
 */
Object.assign(process.env, {
  RATE_LIMIT_SIGN_IN_PER_MINUTE: "3",
  RATE_LIMIT_API_PER_MINUTE: "2",
  MAX_REQUEST_BODY_BYTES: String(64 * 1024),
  WEB_STATEMENT_TIMEOUT_MS: "300",
});

type Instance = { url: string; server: Server };
const instances: Instance[] = [];
let app: Awaited<ReturnType<typeof loadApp>>;
let tenantId: string;
/** Bytes the upload handler was given, per request. */
const uploaded: number[] = [];

async function loadApp() {
  const [db, env, limits] = await Promise.all([import("~/db.server"), import("~/env.server"), import("~/http/request-limits.server")]);
  return { ...db, ...env, ...limits };
}

async function startInstance(): Promise<Instance> {
  const web = express();
  // As behind one proxy: the tests speak for several client addresses through X-Forwarded-For.
  web.set("trust proxy", 1);
  app.installRequestLimits(web, app.env());
  web.post("/upload", async (req, res) => {
    let bytes = 0;
    try {
      for await (const chunk of req) bytes += (chunk as Buffer).length;
    } catch {
      uploaded.push(bytes);
      return;
    }
    uploaded.push(bytes);
    res.json({ bytes });
  });
  web.get("/slow", async (req, res) => {
    const seconds = Number(req.query.seconds);
    try {
      await app.db.$withTenant(tenantId, (tx) => tx.$executeRaw`SELECT pg_sleep(${seconds})`);
      res.json({ ok: true });
    } catch (error) {
      res.status(503).json({ error: String((error as Error).message) });
    }
  });
  web.all("*", (_req, res) => res.json({ ok: true }));
  const server = await new Promise<Server>((resolve) => {
    const s = web.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

beforeAll(async () => {
  app = await loadApp();
  tenantId = (await app.platformDb.tenant.create({ data: { slug: "limits", name: "Limits", status: "active" } })).id;
  instances.push(await startInstance(), await startInstance());
}, 60_000);

afterAll(async () => {
  for (const { server } of instances) await new Promise((resolve) => server.close(resolve));
});

const get = (instance: Instance, path: string, address: string) => fetch(`${instance.url}${path}`, { headers: { "x-forwarded-for": address } });

/** Requests until one is refused: a fixed window may end between two of them, so up to two windows' worth. */
async function untilRefused(send: () => Promise<Response>, limit: number) {
  const statuses: number[] = [];
  for (let i = 0; i <= 2 * limit; i++) {
    const response = await send();
    statuses.push(response.status);
    if (response.status === 429) return { statuses, refused: response };
  }
  return { statuses, refused: null };
}

describe("rate limits per client address", () => {
  it("refuses the fourth sign-in a minute from one address with 429 and Retry-After, counted across instances", async () => {
    const address = "198.51.100.7";
    expect((await get(instances[0]!, "/auth/login", address)).status).toBe(200);
    expect((await get(instances[1]!, "/auth/callback?code=x", address)).status).toBe(200);
    const { statuses, refused } = await untilRefused(() => get(instances[0]!, "/auth/login", address), 3);
    expect(refused, `statuses ${statuses.join(",")}`).not.toBeNull();
    // At most the limit in each of the (at most two) windows the requests fell in.
    expect(2 + statuses.length - 1).toBeLessThanOrEqual(6);
    const retryAfter = Number(refused!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused!.text()).toMatch(/too many sign-in attempts/i);

    // Another address is not affected, nor are pages outside the limited scopes.
    expect((await get(instances[1]!, "/auth/login", "198.51.100.8")).status).toBe(200);
    expect((await get(instances[0]!, "/app/shortlist", address)).status).toBe(200);
  });

  it("allows an address five times a user's API limit, and answers /api in JSON", async () => {
    const address = "198.51.100.20";
    const { statuses, refused } = await untilRefused(() => get(instances[0]!, "/api/whoami", address), 10);
    expect(refused, `statuses ${statuses.join(",")}`).not.toBeNull();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(refused!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused!.json()).toMatchObject({ error: "rate_limited", scope: "api" });
  });

  it("counts in one upsert, so concurrent requests on two instances never exceed the limit in a window", async () => {
    const address = "198.51.100.30";
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => get(instances[i % 2]!, "/auth/login", address)));
    const windows = await app.platformDb.$queryRaw<Array<{ hits: number }>>`
      SELECT hits FROM rate_limit_counters WHERE bucket = ${`sign_in:ip:${address}`}`;
    expect(windows.reduce((sum, w) => sum + w.hits, 0)).toBe(12);
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(3 * windows.length);
  });
});

/** POSTs `chunks` chunks of `size` bytes with chunked transfer encoding (no Content-Length). */
function chunkedUpload(instance: Instance, chunks: number, size: number): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${instance.url}/upload`);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "transfer-encoding": "chunked" } });
    let sent = 0;
    let finished = false;
    req.on("response", (res: IncomingMessage) => {
      finished = true;
      let body = "";
      res.on("data", (c: Buffer) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body, sent }));
    });
    req.on("error", (error) => (finished ? undefined : reject(error)));
    const chunk = Buffer.alloc(size, "a");
    const writeNext = () => {
      if (finished) return;
      if (sent >= chunks) return void req.end();
      sent++;
      if (req.write(chunk)) setImmediate(writeNext);
      else req.once("drain", writeNext);
    };
    writeNext();
  });
}

describe("request body limit", () => {
  it("passes a body under the limit intact", async () => {
    const result = await chunkedUpload(instances[0]!, 4, 8 * 1024);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ bytes: 32 * 1024 });
  });

  it("answers 413 to a chunked upload past the limit without handing the app more than the limit", async () => {
    uploaded.length = 0;
    // 64 MiB offered in 16 KiB chunks; the limit is 64 KiB.
    const result = await chunkedUpload(instances[0]!, 4096, 16 * 1024);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: "payload_too_large" });
    // The client learnt of it long before it could send everything.
    expect(result.sent).toBeLessThan(4096);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]).toBeLessThanOrEqual(64 * 1024);
  });

  it("refuses a declared Content-Length past the limit before reading anything", async () => {
    const response = await fetch(`${instances[1]!.url}/upload`, { method: "POST", body: Buffer.alloc(65 * 1024, "b") });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
  });
});

describe("statement time limit of a web request", () => {
  it("cancels a web request's statement that runs past the limit", async () => {
    const slow = await fetch(`${instances[0]!.url}/slow?seconds=3`);
    expect(slow.status).toBe(503);
    expect((await slow.json()).error).toMatch(/statement timeout/i);
    expect((await fetch(`${instances[0]!.url}/slow?seconds=0`)).status).toBe(200);
  });

  it("leaves work outside a web request (jobs, the CLI) to the database's own setting", async () => {
    await expect(app.db.$withTenant(tenantId, (tx) => tx.$queryRaw`SELECT 'slept' AS done FROM pg_sleep(0.6)`)).resolves.toEqual([{ done: "slept" }]);
  });
});
