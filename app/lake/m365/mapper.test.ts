import { describe, expect, it } from "vitest";
import { type SourceRecord } from "../pipeline";
import { createM365Mapper, eventSourceId, utcInstant } from "./mapper";

const mapper = createM365Mapper({ now: () => new Date("2026-12-04T12:00:00Z") });
const context = { payloadOf: () => undefined };
const USER = "ffff7b1a-13b6-477b-8c0c-380905cd99f7";

function map(record: Omit<SourceRecord, "version">) {
  return mapper.map({ version: null, ...record }, context);
}

describe("m365 mapper: users", () => {
  it("maps a directory user to a user draft", () => {
    const result = map({
      entity: "users",
      sourceId: USER,
      payload: {
        id: USER,
        displayName: "Cameron White",
        mail: "cameron@contoso.com",
        userPrincipalName: "cameron@contoso.onmicrosoft.com",
        accountEnabled: true,
      },
    });
    expect(result).toEqual({
      mapped: [
        {
          ref: { source: "m365", entity: "users", sourceId: USER },
          draft: { kind: "user", name: "Cameron White", email: "cameron@contoso.com", login: "cameron@contoso.onmicrosoft.com", team: null, active: true },
        },
      ],
      rejected: [],
    });
  });

  it("maps empty values to null, a disabled account to inactive, and names a nameless user by login", () => {
    const [first] = map({
      entity: "users",
      sourceId: USER,
      payload: { id: USER, displayName: " ", mail: "", userPrincipalName: "x@c.com", accountEnabled: false },
    }).mapped;
    expect(first!.draft).toEqual({ kind: "user", name: "x@c.com", email: null, login: "x@c.com", team: null, active: false });
  });
});

describe("m365 mapper: contacts", () => {
  it("takes the first email address, the first business phone, the job title and the company name, with no account link", () => {
    const [first] = map({
      entity: "contacts",
      sourceId: "AAMkAD=",
      payload: {
        id: "AAMkAD=",
        displayName: "Tan Wei Ming",
        emailAddresses: [
          { name: "Tan Wei Ming", address: "WeiMing.Tan@Codigo.SG" },
          { name: "home", address: "wm@gmail.com" },
        ],
        businessPhones: ["", "+65 6123 4567"],
        mobilePhone: "+65 9123 4567",
        jobTitle: "Director",
        companyName: "CODIGO PTE. LTD.",
      },
    }).mapped;
    expect(first!.draft).toEqual({
      kind: "contact",
      name: "Tan Wei Ming",
      email: "WeiMing.Tan@Codigo.SG",
      phone: "+65 6123 4567",
      jobTitle: "Director",
      account: null,
      companyName: "CODIGO PTE. LTD.",
      active: true,
    });
  });

  it("falls back to the mobile phone and to given name and surname; empties are null", () => {
    const [first] = map({
      entity: "contacts",
      sourceId: "c2",
      payload: {
        id: "c2",
        displayName: "",
        givenName: "Siti",
        surname: "Rahman",
        emailAddresses: [],
        businessPhones: [],
        mobilePhone: "9123 4567",
        jobTitle: "",
        companyName: null,
      },
    }).mapped;
    expect(first!.draft).toMatchObject({ name: "Siti Rahman", email: null, phone: "9123 4567", jobTitle: null, companyName: null });
  });
});

describe("m365 mapper: events", () => {
  const event = (start: string, end: string, extra: Record<string, unknown> = {}) => ({
    entity: "events",
    sourceId: eventSourceId(USER, "AAMkADVxSAAA="),
    payload: { id: "AAMkADVxSAAA=", subject: "Pick up car", start: { dateTime: start, timeZone: "UTC" }, end: { dateTime: end, timeZone: "UTC" }, ...extra },
  });

  it("maps a past event to a done meeting owned by the mailbox's user", () => {
    const result = map(event("2016-12-10T01:00:00.0000000", "2016-12-10T02:00:00.0000000"));
    expect(result.mapped[0]).toEqual({
      ref: { source: "m365", entity: "events", sourceId: `${USER}/AAMkADVxSAAA=` },
      draft: {
        kind: "activity",
        activityType: "meeting",
        summary: "Pick up car",
        state: "done",
        at: "2016-12-10T01:00:00.000Z",
        owner: { source: "m365", entity: "users", sourceId: USER },
        about: null,
        active: true,
      },
    });
  });

  it("plans an event that has not ended yet, and retires a cancelled one", () => {
    expect(map(event("2026-12-04T11:30:00.0000000", "2026-12-04T12:30:00.0000000")).mapped[0]!.draft).toMatchObject({ state: "planned" });
    expect(map(event("2026-12-10T01:00:00.0000000", "2026-12-10T02:00:00.0000000", { isCancelled: true })).mapped[0]!.draft).toMatchObject({
      state: "planned",
      active: false,
    });
  });

  it("rejects, with the reason, an event in another time zone or without its mailbox", () => {
    const zoned = event("2026-12-10T09:00:00.0000000", "2026-12-10T10:00:00.0000000");
    zoned.payload.start = { dateTime: "2026-12-10T09:00:00.0000000", timeZone: "Pacific Standard Time" };
    expect(map(zoned).rejected).toEqual([
      { ref: expect.objectContaining({ entity: "events" }), reason: "start is in time zone Pacific Standard Time, not UTC" },
    ]);
    expect(map({ ...event("2026-12-10T09:00:00", "2026-12-10T10:00:00"), sourceId: "AAMkADVxSAAA=" }).rejected[0]!.reason).toMatch(/does not name its mailbox/);
  });
});

describe("m365 mapper: removals and strangers", () => {
  it("maps nothing for a removed item (the loader retires it by reference)", () => {
    expect(
      mapper.map({ entity: "contacts", sourceId: "c1", version: null, payload: { id: "c1", "@removed": { reason: "deleted" } }, removed: true }, context),
    ).toEqual({
      mapped: [],
      rejected: [],
    });
  });

  it("rejects an entity it does not know", () => {
    expect(map({ entity: "messages", sourceId: "m1", payload: { id: "m1" } }).rejected[0]!.reason).toBe("m365 has no entity messages");
  });
});

describe("utcInstant", () => {
  it("reads Graph's seven-digit UTC date-times and explicit offsets", () => {
    expect(utcInstant({ dateTime: "2016-12-09T20:30:00.0000000", timeZone: "UTC" })).toEqual({ ok: true, iso: "2016-12-09T20:30:00.000Z" });
    expect(utcInstant({ dateTime: "2016-12-09T20:30:00Z" })).toEqual({ ok: true, iso: "2016-12-09T20:30:00.000Z" });
    expect(utcInstant({ dateTime: "soon", timeZone: "UTC" })).toEqual({ ok: false, reason: "soon is not a date and time" });
    expect(utcInstant(undefined)).toEqual({ ok: false, reason: "has no date and time" });
  });
});
