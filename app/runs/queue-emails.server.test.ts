import { describe, expect, it } from "vitest";
import { addressesToQueue, emailCandidates, freeMailPolicy } from "./queue-emails.server";

describe("emailCandidates", () => {
  it("lists the website's addresses, then the contacts' that have one, each with its source", () => {
    const contact = { fullName: "A", title: null, companyCurrent: null, linkedinUrl: "https://www.linkedin.com/in/a", location: null };
    expect(
      emailCandidates(
        ["enquiry@harbourfreight.com.sg"],
        [
          { ...contact, email: "a@harbourfreight.com.sg", source: "lusha" },
          { ...contact, email: null, source: "apify_linkedin" },
        ],
      ),
    ).toEqual([
      { email: "enquiry@harbourfreight.com.sg", source: "website" },
      { email: "a@harbourfreight.com.sg", source: "lusha" },
    ]);
  });
});

describe("freeMailPolicy", () => {
  it.each([
    ["allow", "allow_low_confidence"],
    ["allow_low_confidence", "allow_low_confidence"],
    ["exclude", "exclude"],
    [undefined, "exclude"],
  ] as const)("the ICP's %j keeps free-mail as %j", (rule, policy) => {
    expect(freeMailPolicy(rule)).toBe(policy);
  });
});

describe("addressesToQueue", () => {
  it("keeps what the email policy keeps, once each, with the source and the contact of its last candidate", () => {
    const contact = { fullName: "A", title: null, companyCurrent: null, location: null, source: "apify_linkedin" };
    const run = { rules: { freeMail: "exclude" }, suppression: { emails: ["gone@harbourfreight.com.sg"], domains: [] } };
    const queued = addressesToQueue({ run } as never, {
      websiteEmails: ["Enquiry@HarbourFreight.com.sg", "someone@gmail.com", "gone@harbourfreight.com.sg"],
      contacts: [
        { ...contact, linkedinUrl: "https://www.linkedin.com/in/a", email: "tan@harbourfreight.com.sg" },
        { ...contact, linkedinUrl: "https://www.linkedin.com/in/b", email: "TAN@harbourfreight.com.sg", source: "lusha" },
        { ...contact, linkedinUrl: "https://www.linkedin.com/in/c", email: "enquiry@harbourfreight.com.sg" },
        { ...contact, linkedinUrl: "https://www.linkedin.com/in/d", email: null },
      ],
    });
    expect(queued.addresses).toEqual([
      { email: "enquiry@harbourfreight.com.sg", source: "apify_linkedin", linkedinUrl: "https://www.linkedin.com/in/c" },
      { email: "tan@harbourfreight.com.sg", source: "lusha", linkedinUrl: "https://www.linkedin.com/in/b" },
    ]);
    expect(queued.dropped.map((d) => d.reason)).toEqual(["free_mail", "suppressed_email", "duplicate", "duplicate"]);
  });
});
