import { describe, expect, it } from "vitest";
import { formatLine } from "./log-prefix.server";

describe("formatLine", () => {
  it("shortens a pino JSON line to time, level, message and extra fields", () => {
    const line = JSON.stringify({ level: "info", time: "2026-11-22T02:07:48.123Z", service: "web", msg: "listening", port: 3000 });
    expect(formatLine(line)).toBe('02:07:48 info  listening {"port":3000}');
  });

  it("leaves lines that are not JSON log entries alone", () => {
    expect(formatLine("[info] built (1.5s)")).toBe("[info] built (1.5s)");
    expect(formatLine('{"not":"a log entry"}')).toBe('{"not":"a log entry"}');
  });
});
