import { describe, expect, it } from "vitest";
import { formatCursor, parseCursor, secondsBefore } from "./cursor";

describe("Odoo lake cursor", () => {
  it("round-trips write_date and id", () => {
    const cursor = { writeDate: "2026-12-04 20:15:09", id: 4711 };
    expect(formatCursor(cursor)).toBe("2026-12-04 20:15:09,4711");
    expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
  });

  it("refuses text that is not a cursor, naming the expected shape", () => {
    for (const text of ["", "2026-12-04 20:15:09", "2026-12-04T20:15:09Z,1", "2026-12-04 20:15:09,", "2026-12-04 20:15:09,x"]) {
      expect(() => parseCursor(text)).toThrow(/expected "YYYY-MM-DD HH:MM:SS,id"/);
    }
  });

  it("moves a write_date back by whole seconds across minute and day boundaries", () => {
    expect(secondsBefore("2026-12-04 20:15:09", 0)).toBe("2026-12-04 20:15:09");
    expect(secondsBefore("2026-12-04 20:15:09", 10)).toBe("2026-12-04 20:14:59");
    expect(secondsBefore("2026-12-05 00:00:30", 60)).toBe("2026-12-04 23:59:30");
  });
});
