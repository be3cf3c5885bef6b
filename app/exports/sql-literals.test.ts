import { describe, expect, it } from "vitest";
import { quoteLiteral, withLiterals } from "./sql-literals";

describe("withLiterals", () => {
  it("writes each parameter in as a literal of its kind", () => {
    const text = "SELECT $1, $2, $3, $4, $5, $6, $7, $10";
    const values = ["it's", null, true, 42.5, new Date("2026-12-05T00:00:00Z"), ["a", "b'c"], 7n, 0, 0, "ten"];
    expect(withLiterals({ text, values })).toBe("SELECT 'it''s', NULL, TRUE, 42.5, '2026-12-05T00:00:00.000Z', ARRAY['a', 'b''c'], 7, 'ten'");
  });

  it("escapes backslashes as Postgres's escape strings do, and refuses what it cannot write safely", () => {
    expect(quoteLiteral("a\\b'")).toBe(" E'a\\\\b'''");
    expect(() => quoteLiteral("a\u0000b")).toThrow(/NUL/);
    expect(() => withLiterals({ text: "SELECT $1", values: [Number.NaN] })).toThrow(/finite/);
    expect(() => withLiterals({ text: "SELECT $1", values: [{}] })).toThrow(/no literal/);
    expect(() => withLiterals({ text: "SELECT $2", values: ["x"] })).toThrow(/no parameter/);
  });
});
