import http from "node:http";
import net, { type AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BlockedAddressError,
  DnsError,
  HttpError,
  NotHtmlError,
  SchemeNotAllowedError,
  TimeoutError,
  TooLargeError,
  TooManyRedirectsError,
  InvalidUrlError,
} from "./errors.server";
import { createHostResolver, type DnsLookup } from "./resolver.server";
import { createSafeFetcher, type SafeFetcher } from "./safe-fetch.server";

/**
 * The SSRF matrix: a canary TCP listener on 127.0.0.1 stands for every
 * internal service. No attack may open even one connection to it.
 */
let canary: net.Server;
let canaryPort = 0;
let canaryConnections = 0;
const canarySockets = new Set<net.Socket>();
let fixture: http.Server;
let fixturePort = 0;
let fetcher: SafeFetcher;

const fakeDns: Record<string, string[]> = {
  "loopback.attacker.example": ["127.0.0.1"],
  "private.attacker.example": ["10.0.0.7"],
  "metadata.attacker.example": ["169.254.169.254"],
  "v6loop.attacker.example": ["::1"],
  "mapped.attacker.example": ["::ffff:127.0.0.1"],
  "mixed.attacker.example": ["93.184.216.34", "127.0.0.1"],
  "mixed6.attacker.example": ["2606:2800:220:1:248:1893:25c8:1946", "fd00:ec2::254"],
};
let rebindLookups = 0;
const lookup: DnsLookup = async (host) => {
  // A rebinding server: public on the first answer, loopback ever after.
  if (host === "rebind.attacker.example") {
    rebindLookups += 1;
    return [{ address: rebindLookups === 1 ? "198.41.0.4" : "127.0.0.1", family: 4 }];
  }
  const answers = fakeDns[host];
  if (!answers) throw new DnsError(host, host, "ENOTFOUND");
  return answers.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

beforeAll(async () => {
  canary = net.createServer((socket) => {
    canaryConnections += 1;
    canarySockets.add(socket);
    socket.end("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 6\r\n\r\ncanary");
  });
  await new Promise<void>((resolve) => canary.listen(0, "127.0.0.1", resolve));
  canaryPort = (canary.address() as AddressInfo).port;

  fixture = http.createServer((req, res) => {
    const redirects: Record<string, string> = {
      "/to-canary": `http://127.0.0.1:${canaryPort}/`,
      "/to-canary-decimal": `http://2130706433:${canaryPort}/`,
      "/to-canary-v6": `http://[::ffff:127.0.0.1]:${canaryPort}/`,
      "/to-private-host": `http://private.attacker.example:${canaryPort}/`,
      "/to-loopback-host": `http://loopback.attacker.example:${canaryPort}/`,
      "/to-metadata": "http://169.254.169.254/latest/meta-data/",
      "/to-file": "file:///etc/passwd",
      "/to-gopher": `gopher://127.0.0.1:${canaryPort}/_x`,
      "/loop": "/loop",
      "/hop1": "/hop2",
      "/hop2": "/page",
    };
    const target = redirects[req.url ?? ""];
    if (target) {
      res.writeHead(302, { location: target }).end();
      return;
    }
    if (req.url === "/page") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<title>ok</title><p>${req.headers["user-agent"]}</p>`);
    } else if (req.url === "/pdf") {
      res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.4");
    } else if (req.url === "/big") {
      res.writeHead(200, { "content-type": "text/html" }).end("x".repeat(50_000));
    } else if (req.url === "/big-chunked") {
      res.writeHead(200, { "content-type": "text/html" });
      for (let i = 0; i < 50; i += 1) res.write("y".repeat(1000));
      res.end();
    } else if (req.url === "/gzip-bomb") {
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(zlib.gzipSync("z".repeat(500_000)));
    } else if (req.url === "/gzip") {
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(zlib.gzipSync("<p>compressed</p>"));
    } else if (req.url === "/slow") {
      setTimeout(() => res.writeHead(200, { "content-type": "text/html" }).end("late"), 2_000);
    } else if (req.url === "/latin1") {
      res.writeHead(200, { "content-type": "text/html; charset=iso-8859-1" }).end(Buffer.from("caf\xe9", "latin1"));
    } else if (req.url === "/oauth-error") {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid_grant"}');
    } else if (req.url === "/robots.txt") {
      res.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nDisallow:\n");
    } else {
      res.writeHead(500, { "content-type": "text/html" }).end("boom");
    }
  });
  await new Promise<void>((resolve) => fixture.listen(0, "127.0.0.1", resolve));
  fixturePort = (fixture.address() as AddressInfo).port;

  fetcher = createSafeFetcher({
    resolver: createHostResolver({
      production: false,
      overrides: { "fixture.test": `127.0.0.1:${fixturePort}`, "www.fixture.test": `127.0.0.1:${fixturePort}` },
      lookup,
    }),
    userAgent: "NexiusLeadsBot/1.0 (+https://nexius.example/bot)",
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 1_000,
    totalTimeoutMs: 1_500,
    maxBytes: 20_000,
    maxRedirects: 3,
  });
});

afterAll(async () => {
  await fetcher.close();
  for (const socket of canarySockets) socket.destroy();
  await new Promise((resolve) => canary.close(resolve));
  fixture.closeAllConnections();
  await new Promise((resolve) => fixture.close(resolve));
});

describe("SSRF matrix (canary must see zero connections)", () => {
  const blockedLiterals = () => [
    `http://127.0.0.1:${canaryPort}/`,
    `http://127.0.0.1.:${canaryPort}/`,
    `http://2130706433:${canaryPort}/`,
    `http://0177.0.0.1:${canaryPort}/`,
    `http://0x7f.1:${canaryPort}/`,
    `http://0x7f000001:${canaryPort}/`,
    `http://017700000001:${canaryPort}/`,
    `http://127.1:${canaryPort}/`,
    `http://127.0.1:${canaryPort}/`,
    `http://0:${canaryPort}/`,
    `http://0.0.0.0:${canaryPort}/`,
    `http://user:pw@127.0.0.1:${canaryPort}/`,
    `https://127.0.0.1:${canaryPort}/`,
    `http://[::1]:${canaryPort}/`,
    `http://[0:0:0:0:0:0:0:1]:${canaryPort}/`,
    `http://[::ffff:127.0.0.1]:${canaryPort}/`,
    `http://[::ffff:7f00:1]:${canaryPort}/`,
    `http://[::127.0.0.1]:${canaryPort}/`,
    `http://[64:ff9b::7f00:1]:${canaryPort}/`,
    `http://[2002:7f00:1::1]:${canaryPort}/`,
    `http://[::]:${canaryPort}/`,
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://192.0.2.10/",
    "http://198.51.100.10/",
    "http://203.0.113.10/",
    "http://198.18.0.1/",
    "http://240.0.0.1/",
    "http://192.0.0.170/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[ff02::1]/",
    "http://[2001:db8::1]/",
    "http://[2001::1]/",
  ];

  it("refuses IP literals in every notation", async () => {
    for (const url of blockedLiterals()) {
      await expect(fetcher.fetch(url), url).rejects.toBeInstanceOf(BlockedAddressError);
    }
  });

  it("refuses hostnames whose DNS answer holds any non-public address", async () => {
    for (const host of Object.keys(fakeDns)) {
      await expect(fetcher.fetch(`http://${host}:${canaryPort}/`), host).rejects.toBeInstanceOf(BlockedAddressError);
    }
  });

  it("connects to the address it checked, so a rebinding DNS answer never reaches loopback", async () => {
    const outcome = await fetcher.fetch(`http://rebind.attacker.example:${canaryPort}/`).then(
      () => "fetched",
      (e: Error) => e.name,
    );
    // The checked public address is unreachable from the test sandbox; what matters is where we did not go.
    expect(["NetworkError", "TimeoutError"]).toContain(outcome);
    expect(rebindLookups).toBe(1);
    expect(canaryConnections).toBe(0);
  });

  it("re-checks every redirect hop", async () => {
    for (const path of ["/to-canary", "/to-canary-decimal", "/to-canary-v6", "/to-private-host", "/to-loopback-host", "/to-metadata"]) {
      await expect(fetcher.fetch(`http://fixture.test${path}`), path).rejects.toBeInstanceOf(BlockedAddressError);
    }
    for (const path of ["/to-file", "/to-gopher"]) {
      await expect(fetcher.fetch(`http://fixture.test${path}`), path).rejects.toBeInstanceOf(SchemeNotAllowedError);
    }
  });

  it("allows only http and https", async () => {
    for (const url of [
      "file:///etc/passwd",
      `ftp://127.0.0.1:${canaryPort}/`,
      `gopher://127.0.0.1:${canaryPort}/`,
      `ws://127.0.0.1:${canaryPort}/`,
      "data:text/html,<p>x</p>",
      "javascript:alert(1)",
    ]) {
      await expect(fetcher.fetch(url), url).rejects.toBeInstanceOf(SchemeNotAllowedError);
    }
    await expect(fetcher.fetch("not a url")).rejects.toBeInstanceOf(InvalidUrlError);
  });

  it("treats localhost and unknown names as DNS failures, never as loopback", async () => {
    await expect(fetcher.fetch(`http://localhost:${canaryPort}/`)).rejects.toBeInstanceOf(DnsError);
    const offline = createSafeFetcher({
      resolver: createHostResolver({ production: false, offline: true, lookup }),
      userAgent: "t",
      connectTimeoutMs: 500,
      headersTimeoutMs: 500,
      totalTimeoutMs: 500,
      maxBytes: 1000,
      maxRedirects: 1,
    });
    // Offline mode never consults DNS, even for names the lookup would answer.
    await expect(offline.fetch(`http://loopback.attacker.example:${canaryPort}/`)).rejects.toBeInstanceOf(DnsError);
    await offline.close();
  });

  it("left the canary untouched", () => {
    expect(canaryConnections).toBe(0);
  });
});

describe("the override map", () => {
  it("is refused in production", () => {
    expect(() => createHostResolver({ production: true, overrides: { "codigo.com.sg": "127.0.0.1:4100" } })).toThrow(/production/);
  });

  it("does not accept IP literals as keys", () => {
    expect(() => createHostResolver({ production: false, overrides: { "2130706433": "127.0.0.1:1" } })).toThrow();
  });

  it("is the one way to reach loopback, and the canary proves it counts connections", async () => {
    const before = canaryConnections;
    const viaOverride = createSafeFetcher({
      resolver: createHostResolver({ production: false, offline: true, overrides: { "canary.test": `127.0.0.1:${canaryPort}` } }),
      userAgent: "t",
      connectTimeoutMs: 500,
      headersTimeoutMs: 500,
      totalTimeoutMs: 1000,
      maxBytes: 1000,
      maxRedirects: 0,
    });
    const result = await viaOverride.fetch("http://canary.test/");
    await viaOverride.close();
    expect(result.body).toBe("canary");
    expect(canaryConnections).toBe(before + 1);
  });
});

describe("fetching", () => {
  it("returns the page with its final URL, redirects and our user agent", async () => {
    const result = await fetcher.fetch("http://fixture.test/hop1");
    expect(result).toMatchObject({
      url: "http://fixture.test/hop1",
      finalUrl: "http://fixture.test/page",
      status: 200,
      contentType: "text/html",
      redirects: ["http://fixture.test/hop2", "http://fixture.test/page"],
    });
    expect(result.body).toContain("NexiusLeadsBot/1.0");
    expect(result.bytes).toBe(Buffer.byteLength(result.body));
  });

  it("stops redirect loops", async () => {
    await expect(fetcher.fetch("http://fixture.test/loop")).rejects.toBeInstanceOf(TooManyRedirectsError);
  });

  it("lets the caller refuse a hop", async () => {
    await expect(
      fetcher.fetch("http://fixture.test/hop1", {
        onRedirect: (to) => {
          if (to.pathname === "/page") throw new Error("robots says no");
        },
      }),
    ).rejects.toMatchObject({ name: "RedirectRefusedError", reason: "robots says no", url: "http://fixture.test/page" });
  });

  it("enforces the content-type allow-list", async () => {
    await expect(fetcher.fetch("http://fixture.test/pdf")).rejects.toBeInstanceOf(NotHtmlError);
    const robots = await fetcher.fetch("http://fixture.test/robots.txt", { contentTypes: ["text/plain"] });
    expect(robots.body).toContain("User-agent");
    await expect(fetcher.fetch("http://fixture.test/robots.txt")).rejects.toBeInstanceOf(NotHtmlError);
  });

  it("aborts beyond max bytes, declared or streamed or decompressed, or truncates on request", async () => {
    await expect(fetcher.fetch("http://fixture.test/big")).rejects.toBeInstanceOf(TooLargeError);
    await expect(fetcher.fetch("http://fixture.test/big-chunked")).rejects.toBeInstanceOf(TooLargeError);
    await expect(fetcher.fetch("http://fixture.test/gzip-bomb")).rejects.toBeInstanceOf(TooLargeError);
    const cut = await fetcher.fetch("http://fixture.test/big", { truncate: true });
    expect(cut).toMatchObject({ bytes: 20_000, truncated: true });
  });

  it("decompresses and decodes declared charsets", async () => {
    expect((await fetcher.fetch("http://fixture.test/gzip")).body).toBe("<p>compressed</p>");
    expect((await fetcher.fetch("http://fixture.test/latin1")).body).toBe("café");
  });

  it("raises HttpError with the status, and TimeoutError on slow servers", async () => {
    await expect(fetcher.fetch("http://fixture.test/missing")).rejects.toMatchObject({ status: 500 });
    await expect(fetcher.fetch("http://fixture.test/missing")).rejects.toBeInstanceOf(HttpError);
    await expect(fetcher.fetch("http://fixture.test/slow")).rejects.toBeInstanceOf(TimeoutError);
  });

  it("returns an error answer of an accepted type on request, and still refuses one of another type", async () => {
    const json = { contentTypes: ["application/json"], errorAnswers: true };
    expect(await fetcher.fetch("http://fixture.test/oauth-error", json)).toMatchObject({ status: 400, body: '{"error":"invalid_grant"}' });
    await expect(fetcher.fetch("http://fixture.test/oauth-error", { contentTypes: ["application/json"] })).rejects.toMatchObject({ status: 400 });
    await expect(fetcher.fetch("http://fixture.test/missing", json)).rejects.toMatchObject({ name: "HttpError", status: 500 });
  });
});
