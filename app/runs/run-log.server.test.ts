import { describe, expect, it } from "vitest";
import { redactArgs } from "./run-log.server";

describe("redactArgs", () => {
  it("drops secrets, masks addresses and shortens long text", () => {
    expect(
      redactArgs({
        api_key: "zb-123",
        query: "contact jane.tan@codigo.com.sg for sales",
        nested: { token: "t", emails: ["a@b.sg"] },
        long: "x".repeat(400),
      }),
    ).toEqual({
      api_key: "[redacted]",
      query: "contact j***@codigo.com.sg for sales",
      nested: { token: "[redacted]", emails: ["a***@b.sg"] },
      long: `${"x".repeat(300)}…`,
    });
  });
});
