import { describe, expect, it } from "vitest";
import { lakeAccessOf, lakeOwnerSetting, seesLakeRows } from "./hierarchy";

const [ann, ben, cai, dev] = ["a", "b", "c", "d"].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000000`) as [string, string, string, string];
const teams = [
  { id: "t1", leaderId: ann, memberIds: [ben, cai] },
  { id: "t2", leaderId: ann, memberIds: [dev] },
  { id: "t3", leaderId: ben, memberIds: [cai] },
];

describe("lake access", () => {
  it("gives an admin the whole tenant, mapped or not", () => {
    expect(lakeAccessOf(["admin"], null, teams)).toMatchObject({ role: "admin", scope: { ownerIds: null } });
    expect(lakeAccessOf(["ops", "admin"], cai, teams)).toMatchObject({ role: "admin", scope: { ownerIds: null } });
  });

  it("gives a team leader every team they lead, members and themselves", () => {
    expect(lakeAccessOf(["ops"], ann, teams)).toEqual({ role: "manager", lakeUserId: ann, teamIds: ["t1", "t2"], scope: { ownerIds: [ann, ben, cai, dev] } });
  });

  it("gives a rep their own records", () => {
    expect(lakeAccessOf(["ops"], dev, teams)).toEqual({ role: "rep", lakeUserId: dev, scope: { ownerIds: [dev] } });
  });

  it("leaves viewers and unmapped members the aggregates, masked", () => {
    for (const access of [lakeAccessOf(["viewer"], ann, teams), lakeAccessOf(["ops"], null, teams), lakeAccessOf([], dev, teams)]) {
      expect(access.role).toBe("aggregates");
      expect(seesLakeRows(access)).toBe(false);
    }
    expect(seesLakeRows(lakeAccessOf(["ops"], dev, teams))).toBe(true);
  });
});

describe("lake owner setting", () => {
  it("is * for the whole tenant, the ids for owners, empty for none", () => {
    expect(lakeOwnerSetting({ ownerIds: null })).toBe("*");
    expect(lakeOwnerSetting({ ownerIds: [ann, ben] })).toBe(`${ann},${ben}`);
    expect(lakeOwnerSetting({ ownerIds: [] })).toBe("");
  });

  it("refuses anything but uuids", () => {
    expect(() => lakeOwnerSetting({ ownerIds: ["*"] })).toThrow(TypeError);
    expect(() => lakeOwnerSetting({ ownerIds: [`${ann},${ben}`] })).toThrow(TypeError);
  });
});
