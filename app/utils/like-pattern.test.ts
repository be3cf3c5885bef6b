import { describe, expect, it } from "vitest";
import { containsPattern, literalPattern } from "./like-pattern";

describe("literalPattern", () => {
  it("leaves plain text as it is", () => {
    expect(literalPattern("jane.tan@codigo.sg")).toBe("jane.tan@codigo.sg");
  });

  it("escapes the pattern characters and the escape character itself", () => {
    expect(literalPattern("john_tan@acme.com")).toBe("john\\_tan@acme.com");
    expect(literalPattern("%@acme.com")).toBe("\\%@acme.com");
    expect(literalPattern("a\\b")).toBe("a\\\\b");
  });
});

describe("containsPattern", () => {
  it("matches the text anywhere", () => {
    expect(containsPattern("codigo")).toBe("%codigo%");
  });

  it("takes the pattern characters of the text literally", () => {
    expect(containsPattern("100%_PURE\\")).toBe("%100\\%\\_PURE\\\\%");
  });
});
