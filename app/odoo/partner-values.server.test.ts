import { describe, expect, it } from "vitest";
import { commentHtml, withScheme } from "./partner-values.server";

describe("withScheme", () => {
  it("adds http:// where Odoo would and keeps a URL that has a scheme", () => {
    expect(withScheme(" acme.example ")).toBe("http://acme.example");
    expect(withScheme("//acme.example/about")).toBe("http://acme.example/about");
    expect(withScheme("https://www.linkedin.com/in/jane")).toBe("https://www.linkedin.com/in/jane");
  });
});

describe("commentHtml", () => {
  it("escapes text into one paragraph with line breaks", () => {
    expect(commentHtml("a < b")).toBe("<p>a &lt; b</p>");
    expect(commentHtml("Fish & chips\r\nIndustry: Food")).toBe("<p>Fish &amp; chips<br>Industry: Food</p>");
  });
});
