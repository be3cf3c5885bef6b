import { type AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, requestLoadContext, securityHeaders } from "./security-headers.server";

/** The middleware as serve.ts mounts it, on a real express server. */
async function serve(options: { production: boolean; trustProxyHops?: number }) {
  const app = express();
  app.set("trust proxy", options.trustProxyHops ?? 0);
  app.use(securityHeaders({ production: options.production, formTargets: ["https://sso.example.com"] }));
  app.get("/", (req, res) => {
    res.json(requestLoadContext(req, res));
  });
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    get: (headers: Record<string, string> = {}) => fetch(url, { headers }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("security headers", () => {
  it("send a CSP whose nonce is the one handed to Remix, and the other protections", async () => {
    const server = await serve({ production: false });
    try {
      const response = await server.get();
      const { cspNonce } = (await response.json()) as { cspNonce: string };
      expect(cspNonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(response.headers.get("content-security-policy")).toBe(
        contentSecurityPolicy(cspNonce, { production: false, formTargets: ["https://sso.example.com"] }),
      );
      expect(response.headers.get("content-security-policy")).toContain("form-action 'self' https://sso.example.com");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      // HTTPS is not pinned on a development server.
      expect(response.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await server.close();
    }
  });

  it("pin HTTPS in production", async () => {
    const server = await serve({ production: true });
    try {
      const response = await server.get();
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    } finally {
      await server.close();
    }
  });
});

describe("the client address handed to Remix", () => {
  it("is the entry the trusted proxy wrote, not the first X-Forwarded-For entry", async () => {
    const behindOne = await serve({ production: true, trustProxyHops: 1 });
    const direct = await serve({ production: true, trustProxyHops: 0 });
    try {
      const spoofed = { "x-forwarded-for": "6.6.6.6, 203.0.113.7" };
      expect(await (await behindOne.get(spoofed)).json()).toMatchObject({ clientIp: "203.0.113.7" });
      // No proxy trusted: the connection's peer (this test, on loopback) is the client.
      expect(((await (await direct.get(spoofed)).json()) as { clientIp: string }).clientIp).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    } finally {
      await Promise.all([behindOne.close(), direct.close()]);
    }
  });
});

describe("contentSecurityPolicy", () => {
  it("allows scripts only from us or with the nonce, and no framing", () => {
    const csp = contentSecurityPolicy("abc", { production: false, formTargets: [] });
    expect(csp).toContain("script-src 'self' 'nonce-abc'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
  });
});
