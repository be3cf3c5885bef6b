import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { singleton } from "./singleton.server";

/** What a log line should carry about the request or job it belongs to. */
export type LogContext = {
  requestId?: string;
  tenantId?: string;
  userId?: string;
  jobId?: string;
  task?: string;
};

const context = singleton("log-context", () => new AsyncLocalStorage<LogContext>());

/** Keys whose values never reach a log line, wherever they appear. */
export const REDACTED_KEYS = [
  "password",
  "secret",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "authorization",
  "cookie",
  "set-cookie",
  "api_key",
  "apiKey",
  "client_secret",
  "master_password",
];

const redactPaths = REDACTED_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`;
  return [key.slice(key.startsWith(".") ? 1 : 0), `*${key}`, `*.*${key}`, `req.headers${key}`];
});

/**
 * Sees every error- and fatal-level call, whatever the configured level, when
 * one is installed on globalThis — only the vitest setup does that, so a test
 * fails on an error it did not declare even though its logs are silenced.
 */
type ErrorLogObserver = (level: "error" | "fatal", args: unknown[]) => void;
const observerKey = "__nexiusErrorLogObserver";

function errorLogObserver(): ErrorLogObserver | undefined {
  return (globalThis as { [observerKey]?: ErrorLogObserver })[observerKey];
}

export function createLogger(destination?: pino.DestinationStream, level = process.env.LOG_LEVEL ?? "info"): pino.Logger {
  const observed = errorLogObserver() !== undefined;
  const configured = pino.levels.values[level] ?? Infinity;
  const errorLevel = 50;
  const fatalLevel = 60;
  return pino(
    {
      // Observed loggers let error calls through to the hook, which then
      // writes only what the configured level allows.
      level: observed && configured > errorLevel ? "error" : level,
      ...(observed && {
        hooks: {
          logMethod(args, method, callLevel) {
            if (callLevel >= errorLevel) errorLogObserver()?.(callLevel >= fatalLevel ? "fatal" : "error", args);
            if (callLevel >= configured) method.apply(this, args);
          },
        },
      }),
      base: { service: process.env.SERVICE_NAME ?? "web" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export const rootLogger = singleton("root-logger", () => createLogger());

/** Runs `fn` with a log context that every `log()` call inside it inherits. */
export function withLogContext<T>(extra: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...extra }, fn);
}

/** Adds fields (e.g. tenant, user once known) to the current context in place. */
export function addLogContext(extra: LogContext): void {
  const store = context.getStore();
  if (store) Object.assign(store, extra);
}

export function currentLogContext(): LogContext {
  return context.getStore() ?? {};
}

/** The logger for the current request or job. */
export function log(): pino.Logger {
  const store = context.getStore();
  return store ? rootLogger.child(store) : rootLogger;
}
