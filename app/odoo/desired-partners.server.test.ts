import { describe, expect, it } from "vitest";
import { contactKey, normalizeLinkedInUrl } from "./desired-partners.server";

describe("contact keys", () => {
  it("normalises LinkedIn URLs and keys", () => {
    expect(normalizeLinkedInUrl("sg.linkedin.com/in/Jane-Doe/?originalSubdomain=sg")).toBe("https://www.linkedin.com/in/jane-doe");
    expect(normalizeLinkedInUrl("http://www.linkedin.com/in/jane-doe#x")).toBe("https://www.linkedin.com/in/jane-doe");
    expect(contactKey({ email: " Jane@Acme.example ", linkedinUrl: "https://linkedin.com/in/jane" })).toBe("jane@acme.example");
    expect(contactKey({ email: null, linkedinUrl: "https://linkedin.com/in/jane/" })).toBe("https://www.linkedin.com/in/jane");
  });
});
