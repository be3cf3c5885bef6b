import "./load-dotenv";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, installGlobals, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { checkCrossSite } from "../auth/csrf.server";
import { readSessionId } from "../auth/session.server";
import { requireEnvOrExit } from "../env.server";
import { installRequestLimits } from "../http/request-limits.server";
import { requestLoadContext, securityHeaders } from "../http/security-headers.server";
import { log, rootLogger, withLogContext } from "../logger.server";
import { httpMetrics } from "../metrics/http-metrics.server";

/**
 * The web server: express in front of the Remix build. Parses the environment
 * before anything else, so a bad setting stops start-up with its name.
 */
installGlobals({ nativeFetch: true });
const config = requireEnvOrExit();

const BUILD_PATH = path.resolve("build/index.js");
const build = (await import(pathToFileURL(BUILD_PATH).href).catch(() => {
  console.error(`No server build at ${BUILD_PATH}: run \`npm run build\` first.`);
  process.exit(1);
})) as ServerBuild;
if (config.NODE_ENV === "production" && build.mode !== "production") {
  console.error("build/ holds a development build (left by `npm run dev`): run `npm run build` before `npm start`.");
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
// req.ip is the address this many proxies in front of us report; X-Forwarded-For entries to its left are the client's own words.
app.set("trust proxy", config.TRUST_PROXY_HOPS);
// Event streams must reach the browser as they are written, not when a compression buffer fills.
app.use(
  compression({
    filter: (req, res) => !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") && compression.filter(req, res),
  }),
);

app.use((req, res, next) => {
  const incoming = req.get("x-request-id");
  const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  withLogContext({ requestId }, () => {
    res.on("finish", () => {
      if ((req.path === "/healthz" || req.path === "/readyz") && res.statusCode === 200) return;
      log().info({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, "request");
    });
    next();
  });
});

// Every request counted and timed by Remix route id (see metrics/http-metrics.server.ts), refused ones included.
app.use(httpMetrics(build.routes, { publicDir: "public" }));

app.use(securityHeaders({ production: config.NODE_ENV === "production", formTargets: config.NEXIUS_ISSUER ? [new URL(config.NEXIUS_ISSUER).origin] : [] }));
// Body size, per-address rate limits and the SQL statement limit (see http/request-limits.server.ts).
installRequestLimits(app, config);

// Cookie-authenticated writes and export downloads must come from our own pages (see auth/csrf.server.ts).
const appOrigin = new URL(config.APP_URL).origin;
app.use((req, res, next) => {
  const verdict = checkCrossSite({
    method: req.method,
    path: req.path,
    appOrigin,
    hasSessionCookie: readSessionId(new Request("http://local/", { headers: { cookie: req.get("cookie") ?? "" } })) !== null,
    origin: req.get("origin"),
    secFetchSite: req.get("sec-fetch-site"),
  });
  if (verdict.allowed) return next();
  log().warn({ method: req.method, path: req.path, reason: verdict.reason }, "cross-site request refused");
  res.status(403).json({ error: "cross_site_request", message: `Refused: ${verdict.reason}` });
});

// Remix fingerprints its assets, so they can be cached for a year.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.all("*", createRequestHandler({ build, mode: build.mode, getLoadContext: requestLoadContext }));

const server = app.listen(config.PORT, () => {
  rootLogger.info({ port: config.PORT, mode: build.mode }, `web server listening on http://localhost:${config.PORT}`);
  if (process.env.NODE_ENV === "development") void broadcastDevReady(build);
});

function shutdown(signal: string) {
  rootLogger.info({ signal }, "web server stopping");
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
