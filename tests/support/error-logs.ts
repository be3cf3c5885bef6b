import { format } from "node:util";

/**
 * What a test may log at error level. The vitest setup
 * (tests/setup/fail-on-error-logs.ts) fails the current test on any
 * console.error or error/fatal log line that no declared pattern matches.
 */
const expected: RegExp[] = [];
const unexpected: string[] = [];

/**
 * Declares error logs the current test provokes on purpose (a refused
 * request, a failing vendor). Returns a restore for tests that want to
 * narrow the window; otherwise the declaration ends with the test.
 */
export function expectErrorLogs(...patterns: RegExp[]): () => void {
  expected.push(...patterns);
  return () => {
    for (const pattern of patterns) {
      const at = expected.indexOf(pattern);
      if (at >= 0) expected.splice(at, 1);
    }
  };
}

/** Records one error-level line unless a declared pattern matches it. */
export function reportErrorLog(line: string): void {
  if (!expected.some((pattern) => pattern.test(line))) unexpected.push(line);
}

/** The undeclared lines since the last call, clearing them and the declarations. */
export function takeUnexpectedErrorLogs(): string[] {
  expected.length = 0;
  return unexpected.splice(0);
}

/** A pino call's arguments as one searchable line: the message, then the merged object (errors by message and stack). */
export function describeLogCall(level: string, args: unknown[]): string {
  const [first, ...rest] = args;
  if (typeof first === "object" && first !== null) {
    const fields = first instanceof Error ? { err: first } : (first as Record<string, unknown>);
    const json = JSON.stringify(fields, (_key, value) =>
      value instanceof Error ? { message: value.message, at: value.stack?.split("\n")[1]?.trim() } : value,
    );
    return `${level}: ${format(...(rest as [unknown, ...unknown[]]))} ${json}`;
  }
  return `${level}: ${format(first, ...rest)}`;
}
