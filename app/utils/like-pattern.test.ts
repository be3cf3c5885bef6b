import { describe, expect, it } from "vitest";
import { containsPattern } from "./like-pattern";

describe("containsPattern", () => {
  it("matches the text anywhere", () => {
    expect(containsPattern("codigo")).toBe("%codigo%");
  });

  it("takes the pattern characters of the text literally", () => {
    expect(containsPattern("100%_PURE\\")).toBe("%100\\%\\_PURE\\\\%");
  });
});
