import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV_KEYS, EnvError, parseEnv } from "./env.server";

const owner = "postgresql://postgres:secret@db.internal:5432/nexius";
const app = "postgresql://nexius_app:secret@db.internal:5432/nexius";

describe("parseEnv", () => {
  it("fills development defaults and takes both database logins as given", () => {
    const env = parseEnv({ DATABASE_URL: owner, APP_DATABASE_URL: app });
    expect(env).toMatchObject({ NODE_ENV: "development", PORT: 3000, EMBEDDED_PG_PORT: 54329, ALLOW_DEV_BYPASS: false });
    expect(env).toMatchObject({ DATABASE_URL: owner, APP_DATABASE_URL: app });
  });

  it("has no default login for the application role outside production either", () => {
    expect(() => parseEnv({ DATABASE_URL: owner })).toThrow(/APP_DATABASE_URL: not set/);
  });

  it("names a malformed variable", () => {
    expect(() => parseEnv({ DATABASE_URL: owner, APP_DATABASE_URL: app, PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x@y/z" })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it("stops production start-up when required settings are missing, naming each", () => {
    const error = (() => {
      try {
        parseEnv({ NODE_ENV: "production" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems).toEqual([
      expect.stringMatching(/^DATABASE_URL: required in production/),
      expect.stringMatching(/^APP_DATABASE_URL: required in production/),
      expect.stringMatching(/^NEXIUS_ISSUER: required in production/),
      expect.stringMatching(/^NEXIUS_CLIENT_ID: required in production/),
      expect.stringMatching(/^NEXIUS_CLIENT_SECRET: required in production/),
      expect.stringMatching(/^OIDC_NONCE_KEY: required in production/),
      "APP_URL: required in production",
      "SECRET_KEYS: required in production",
    ]);
  });

  it("does not invent an application role in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: owner })).toThrow(/APP_DATABASE_URL/);
  });

  it("tells a developer without DATABASE_URL to use the dev runner", () => {
    expect(() => parseEnv({})).toThrow(/npm run dev/);
  });
});

describe(".env.example", () => {
  const lines = readFileSync(".env.example", "utf8").split("\n");
  const set = Object.fromEntries(lines.filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  const mentioned = new Set(lines.map((l) => l.match(/^#?\s*([A-Z][A-Z0-9_]*)=/)?.[1]).filter(Boolean));

  it("documents every variable the platform reads, and no other", () => {
    expect([...mentioned].sort()).toEqual([...ENV_KEYS].sort());
  });

  it("holds values the platform accepts", () => {
    expect(() => parseEnv({ ...set, DATABASE_URL: owner, APP_DATABASE_URL: app })).not.toThrow();
  });
});
