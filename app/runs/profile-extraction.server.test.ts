import { describe, expect, it } from "vitest";
import { page } from "../../tests/support/harbour-freight-site";
import { extractionTokenReserve } from "./profile-extraction.server";

describe("extractionTokenReserve", () => {
  it("reserves a token per three prompt characters, up to 24,000 characters, plus the whole completion", () => {
    expect(extractionTokenReserve([page("home", "x".repeat(1000)), page("about", "x".repeat(2000))])).toBe(1000 + 800);
    expect(extractionTokenReserve([page("home", "x".repeat(100_000))])).toBe(8000 + 800);
    expect(extractionTokenReserve([page("home", "x")])).toBe(1 + 800);
  });
});
