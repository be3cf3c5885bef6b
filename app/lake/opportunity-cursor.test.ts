import { describe, expect, it } from "vitest";
import { decodeOpportunityCursor, encodeOpportunityCursor, OPPORTUNITY_SORTS } from "./opportunity-cursor";

const id = "0b6f3a52-6f1e-4a8e-9d0c-2f5b7c1d9e10";

describe("opportunity cursor", () => {
  it("round-trips a value and an update position", () => {
    expect(decodeOpportunityCursor("-value", encodeOpportunityCursor("-value", { key: "12500.50", id }))).toEqual({ key: "12500.50", id });
    const at = "2026-11-30T08:00:00.000Z";
    expect(decodeOpportunityCursor("updated", encodeOpportunityCursor("updated", { key: at, id }))).toEqual({ key: at, id });
  });

  it("refuses a cursor made for another sort, a bad key or a bad id", () => {
    expect(decodeOpportunityCursor("value", encodeOpportunityCursor("-value", { key: "1", id }))).toBeNull();
    expect(decodeOpportunityCursor("value", encodeOpportunityCursor("value", { key: "1; DROP", id }))).toBeNull();
    expect(decodeOpportunityCursor("-updated", encodeOpportunityCursor("-updated", { key: "yesterday", id }))).toBeNull();
    expect(decodeOpportunityCursor("value", encodeOpportunityCursor("value", { key: "1", id: "42" }))).toBeNull();
    expect(decodeOpportunityCursor("value", "not-a-cursor")).toBeNull();
  });
});

describe("opportunity cursor for each sort", () => {
  it("offers every sort ascending and descending", () => {
    expect(OPPORTUNITY_SORTS).toEqual([
      "value",
      "-value",
      "probability",
      "-probability",
      "age",
      "-age",
      "last_touch",
      "-last_touch",
      "deadline",
      "-deadline",
      "updated",
      "-updated",
    ]);
  });

  it("round-trips a percentage, a day and an instant, and refuses a key of the wrong kind", () => {
    expect(decodeOpportunityCursor("-probability", encodeOpportunityCursor("-probability", { key: "33.333333333333336", id }))).toEqual({
      key: "33.333333333333336",
      id,
    });
    expect(decodeOpportunityCursor("deadline", encodeOpportunityCursor("deadline", { key: "2026-12-31", id }))).toEqual({ key: "2026-12-31", id });
    expect(decodeOpportunityCursor("age", encodeOpportunityCursor("age", { key: "2026-11-01T00:00:00Z", id }))).toEqual({
      key: "2026-11-01T00:00:00.000Z",
      id,
    });
    expect(decodeOpportunityCursor("deadline", encodeOpportunityCursor("deadline", { key: "2026-11-01T00:00:00Z", id }))).toBeNull();
    expect(decodeOpportunityCursor("probability", encodeOpportunityCursor("probability", { key: "2026-11-01", id }))).toBeNull();
    expect(decodeOpportunityCursor("last_touch", encodeOpportunityCursor("last_touch", { key: "soon", id }))).toBeNull();
  });

  it("refuses a key Postgres would reject when the query casts it", () => {
    const refused = (sort: "probability" | "deadline" | "age" | "updated" | "-last_touch", key: string) =>
      decodeOpportunityCursor(sort, encodeOpportunityCursor(sort, { key, id }));
    expect(refused("probability", "1e-999")).toBeNull();
    expect(refused("probability", "1e-320")).toBeNull();
    expect(refused("deadline", "2024-02-30")).toBeNull();
    expect(refused("deadline", "0000-01-01")).toBeNull();
    expect(refused("age", "0000-01-01")).toBeNull();
    expect(refused("updated", "+010000-01-01T00:00:00.000Z")).toBeNull();
    expect(refused("-last_touch", "-000001-01-01T00:00:00.000Z")).toBeNull();
  });

  it("keeps the keys Postgres gives for zero, a small percentage and the far days", () => {
    expect(decodeOpportunityCursor("probability", encodeOpportunityCursor("probability", { key: "0", id }))).toEqual({ key: "0", id });
    expect(decodeOpportunityCursor("probability", encodeOpportunityCursor("probability", { key: "0e-5", id }))).toEqual({ key: "0e-5", id });
    expect(decodeOpportunityCursor("probability", encodeOpportunityCursor("probability", { key: "1e-05", id }))).toEqual({ key: "1e-05", id });
    expect(decodeOpportunityCursor("deadline", encodeOpportunityCursor("deadline", { key: "9999-12-31", id }))).toEqual({ key: "9999-12-31", id });
    expect(decodeOpportunityCursor("last_touch", encodeOpportunityCursor("last_touch", { key: "1970-01-01T00:00:00.000Z", id }))).toEqual({
      key: "1970-01-01T00:00:00.000Z",
      id,
    });
  });
});
