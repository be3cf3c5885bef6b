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

  it("leaves companies and deals as they are", () => {
    const account = { label: "Codigo Pte Ltd", attributes: { name: "Codigo Pte Ltd", email: "hello@codigo.sg" } };
    expect(maskPersonalEntity("account", account)).toBe(account);
  });
});
