import { describe, expect, it } from "vitest";
import { withoutSuppressedPeople } from "./suppressed-people";

const person = (linkedinUrl: string, email: string | null) => ({ fullName: "x", linkedinUrl, email });

describe("withoutSuppressedPeople", () => {
  it("drops a person by profile in any spelling, or by address in any case, and keeps the others", () => {
    const found = [
      person("http://sg.linkedin.com/in/Jane-Tan/", null),
      person("https://www.linkedin.com/in/someone-else", "Optout@Codigo.sg "),
      person("https://www.linkedin.com/in/john-lim", "john.lim@codigo.sg"),
    ];
    const suppressed = { emails: new Set(["optout@codigo.sg"]), linkedinUrls: new Set(["https://www.linkedin.com/in/jane-tan"]) };
    expect(withoutSuppressedPeople(found, suppressed)).toEqual({ kept: [found[2]], dropped: 2 });
  });

  it("keeps everyone when nothing is suppressed", () => {
    const found = [person("not a url", null)];
    expect(withoutSuppressedPeople(found, { emails: new Set(), linkedinUrls: new Set() })).toEqual({ kept: found, dropped: 0 });
  });
});
