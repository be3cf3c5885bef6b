import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, log, withLogContext } from "./logger.server";

function sink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { stream, lines };
}

describe("the logger", () => {
  it("censors secrets at the depths callers put them", () => {
    const { stream, lines } = sink();
    createLogger(stream, "info").info(
      {
        password: "hunter2",
        token: "abc",
        vendor: { api_key: "k-123", nested: { client_secret: "s3" } },
        req: { headers: { authorization: "Bearer eyJ", cookie: "__Host-session=1" } },
        safe: "visible",
      },
      "login attempt",
    );
    const entry = lines[0]!;
    expect(entry).toMatchObject({
      password: "[redacted]",
      token: "[redacted]",
      vendor: { api_key: "[redacted]", nested: { client_secret: "[redacted]" } },
      req: { headers: { authorization: "[redacted]", cookie: "[redacted]" } },
      safe: "visible",
      msg: "login attempt",
      level: "info",
    });
    expect(JSON.stringify(entry)).not.toMatch(/hunter2|k-123|s3|eyJ/);
  });

  it("carries the request context into every line logged inside it", () => {
    const seen = withLogContext({ requestId: "req-1", tenantId: "t-1" }, () => (log() as unknown as { bindings(): object }).bindings());
    expect(seen).toMatchObject({ requestId: "req-1", tenantId: "t-1" });
  });
});
