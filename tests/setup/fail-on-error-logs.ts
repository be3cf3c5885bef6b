import { format } from "node:util";
import { afterEach, beforeEach } from "vitest";
import { describeLogCall, reportErrorLog, takeUnexpectedErrorLogs } from "../support/error-logs";

/**
 * Fails the current test on a console.error or an error/fatal log from
 * app/logger.server.ts that the test did not declare with expectErrorLogs().
 * Installed before any app module loads, so the root logger sees the hook.
 */
(globalThis as { __nexiusErrorLogObserver?: unknown }).__nexiusErrorLogObserver = (level: string, args: unknown[]) =>
  reportErrorLog(describeLogCall(level, args));

const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  reportErrorLog(`console.error: ${format(...args)}`);
  consoleError(...args);
};

beforeEach(() => {
  takeUnexpectedErrorLogs();
});

afterEach(() => {
  const lines = takeUnexpectedErrorLogs();
  if (lines.length > 0) {
    throw new Error(
      `The test logged ${lines.length} undeclared error(s) (declare them with expectErrorLogs(/.../)):\n${lines.map((l) => l.slice(0, 2000)).join("\n")}`,
    );
  }
});
