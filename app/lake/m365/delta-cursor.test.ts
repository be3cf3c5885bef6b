import { describe, expect, it } from "vitest";
import {
  calendarWindow,
  contactFolderKey,
  contactFoldersInCursor,
  mailboxOfKey,
  parseDeltaCursor,
  serializeDeltaCursor,
  windowNeedsRolling,
} from "./delta-cursor";

describe("delta cursors", () => {
  it("round-trips links and the window, in a stable key order", () => {
    const cursor = { links: { "u2/f": "https://g/v1.0/b", u1: "https://g/v1.0/a" }, window: { start: "2026-09-05T00:00:00Z", end: "2027-03-04T00:00:00Z" } };
    const text = serializeDeltaCursor(cursor);
    expect(text).toBe('{"links":{"u1":"https://g/v1.0/a","u2/f":"https://g/v1.0/b"},"window":{"start":"2026-09-05T00:00:00Z","end":"2027-03-04T00:00:00Z"}}');
    expect(parseDeltaCursor(text)).toEqual(cursor);
  });

  it("starts afresh from no cursor or an unreadable one", () => {
    for (const text of [null, "", "not json", '"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x"', '{"links":{"u":1}}']) {
      expect(parseDeltaCursor(text)).toEqual({ links: {} });
    }
  });

  it("finds a user's contact folders among the keys, and only that user's", () => {
    const cursor = {
      links: {
        [contactFolderKey("u1", "AAMk/x=")]: "a",
        [contactFolderKey("u1", "F2")]: "b",
        [contactFolderKey("u10", "F3")]: "c",
        u1: "events-link",
      },
    };
    expect(contactFoldersInCursor(cursor, "u1").sort()).toEqual(["AAMk/x=", "F2"]);
  });

  it("names the mailbox of an events key and of a contact folder's key, whose folder id may hold a slash", () => {
    expect(mailboxOfKey("5f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5")).toBe("5f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5");
    expect(mailboxOfKey(contactFolderKey("u1", "AAMk/b+c="))).toBe("u1");
  });
});

describe("the calendar window", () => {
  it("spans the days back and ahead of today, from UTC midnight", () => {
    expect(calendarWindow(new Date("2026-12-04T20:15:00Z"), { pastDays: 90, futureDays: 30 })).toEqual({
      start: "2026-09-05T00:00:00Z",
      end: "2027-01-03T00:00:00Z",
    });
  });

  it("rolls once today is rollAfterDays past the day it was opened", () => {
    const opts = { pastDays: 90, rollAfterDays: 1 };
    const window = calendarWindow(new Date("2026-12-04T20:15:00Z"), { pastDays: 90, futureDays: 90 });
    expect(windowNeedsRolling(window, new Date("2026-12-04T23:59:59Z"), opts)).toBe(false);
    expect(windowNeedsRolling(window, new Date("2026-12-05T00:00:00Z"), opts)).toBe(true);
    expect(windowNeedsRolling(undefined, new Date(), opts)).toBe(true);
    expect(windowNeedsRolling({ start: "garbage" }, new Date(), opts)).toBe(true);
  });
});
