import { describe, expect, it } from "vitest";
import { maskPersonalEntity } from "./entity-privacy";

describe("maskPersonalEntity", () => {
  it("masks a contact's name, address and number", () => {
    const contact = { label: "Jane Tan", attributes: { name: "Jane Tan", email: "jane.tan@codigo.sg", phone: "+6591234567", job_title: "CTO" } };
    expect(maskPersonalEntity("contact", contact)).toEqual({
      label: "J. T.",
      attributes: { name: "J. T.", email: "j***@codigo.sg", phone: "*** 567", job_title: "CTO" },
    });
  });

  it("masks a rep's login when it is an address, and leaves missing values alone", () => {
    const user = { label: "Ben Lim", attributes: { name: "Ben Lim", email: null, login: "ben@acme.sg" } };
    expect(maskPersonalEntity("user", user).attributes).toEqual({ name: "B. L.", email: null, login: "b***@acme.sg" });
  });

  it("masks a deal's name and leaves out an activity's summary, as the CRM views do", () => {
    const deal = { label: "Jane Tan renewal", attributes: { name: "Jane Tan renewal", stage_name: "Proposal", expected_revenue: "12000" } };
    expect(maskPersonalEntity("opportunity", deal)).toEqual({
      label: "J. T. R.",
      attributes: { name: "J. T. R.", stage_name: "Proposal", expected_revenue: "12000" },
    });
    const call = { label: "Called Jane about the price", attributes: { activity_type: "call", summary: "Called Jane about the price", state: "done" } };
    expect(maskPersonalEntity("activity", call)).toEqual({ label: "call", attributes: { activity_type: "call", summary: null, state: "done" } });
  });

  it("leaves companies and teams as they are", () => {
    const account = { label: "Codigo Pte Ltd", attributes: { name: "Codigo Pte Ltd", email: "hello@codigo.sg" } };
    expect(maskPersonalEntity("account", account)).toBe(account);
    const team = { label: "Direct", attributes: { name: "Direct" } };
    expect(maskPersonalEntity("team", team)).toBe(team);
  });
});
