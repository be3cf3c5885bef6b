import { describe, expect, it } from "vitest";
import { withSearchParams } from "./search-params";

describe("withSearchParams", () => {
  it("sets, replaces and removes parameters, keeping the others", () => {
    expect(withSearchParams("?stage=New&cursor=abc", { cursor: null, sort: "-value" })).toBe("?stage=New&sort=-value");
    expect(withSearchParams("stage=New", { stage: "Won" })).toBe("?stage=Won");
  });

  it("is empty when no parameter is left", () => {
    expect(withSearchParams("?cursor=abc", { cursor: "" })).toBe("");
  });
});
