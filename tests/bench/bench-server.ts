import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, installGlobals, type ServerBuild } from "@remix-run/node";

/**
 * The real Remix request handler of the server build (`npm run build`) on a
 * benchmark's database, with the settings a signed-in request needs; page and
 * API loads go through it as a browser's would.
 */
export async function benchRequestHandler(database: { ownerUrl: string; appUrl: string }, logLevel: string) {
  installGlobals({ nativeFetch: true });
  process.env.NODE_ENV = "test";
  process.env.DATABASE_URL = database.ownerUrl;
  process.env.APP_DATABASE_URL = database.appUrl;
  process.env.LOG_LEVEL = logLevel;
  process.env.APP_URL ??= "http://localhost:3000";
  process.env.SECRET_KEYS ??= `bench:${randomBytes(32).toString("base64")}`;
  process.env.OIDC_NONCE_KEY ??= randomBytes(32).toString("base64");
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href).catch(() => {
    console.error("No server build at build/index.js: run `npm run build` first.");
    process.exit(1);
  })) as ServerBuild;
  return createRequestHandler(build, "production");
}
