import { describe, expect, it } from "vitest";
import { decodeFeedCursor, encodeFeedCursor } from "./feed-cursor";

describe("feed cursors", () => {
  it("round-trip the last activity's time and id", () => {
    const id = "7d0c6a3e-8f0e-4c3f-9a51-0d1e2f3a4b5c";
    const cursor = encodeFeedCursor({ at: new Date("2026-12-01T03:04:05.678Z"), id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeFeedCursor(cursor)).toEqual({ at: "2026-12-01T03:04:05.678Z", id });
  });

  it("refuse what they did not make", () => {
    expect(decodeFeedCursor("nonsense")).toBeNull();
    expect(decodeFeedCursor(Buffer.from("2026-12-01T00:00:00Z|not-a-uuid").toString("base64url"))).toBeNull();
    expect(decodeFeedCursor(Buffer.from("yesterday|7d0c6a3e-8f0e-4c3f-9a51-0d1e2f3a4b5c").toString("base64url"))).toBeNull();
  });

  it("refuse an instant Postgres has no timestamptz for: year 0000, past 9999 or before the era", () => {
    const id = "7d0c6a3e-8f0e-4c3f-9a51-0d1e2f3a4b5c";
    const cursor = (at: string) => Buffer.from(`${at}|${id}`).toString("base64url");
    expect(decodeFeedCursor(cursor("0000-01-01"))).toBeNull();
    expect(decodeFeedCursor(cursor("+010000-01-01T00:00:00.000Z"))).toBeNull();
    expect(decodeFeedCursor(cursor("-000001-01-01T00:00:00.000Z"))).toBeNull();
    expect(decodeFeedCursor(cursor("0001-01-01T00:00:00.000Z"))).toEqual({ at: "0001-01-01T00:00:00.000Z", id });
  });
});
