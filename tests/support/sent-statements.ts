import pg from "pg";
import { vi } from "vitest";

/** From now until the mocks are restored: the first word of every statement a pg client sends (SELECT, INSERT, WITH…). */
export function recordSentStatements(): string[] {
  const sent: string[] = [];
  const send = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [config] = args as [{ text?: string } | string];
    const text = typeof config === "string" ? config : config?.text;
    if (text) sent.push(text.trim().split(/\s+/, 1)[0]!);
    return (send as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  return sent;
}
