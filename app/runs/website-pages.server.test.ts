import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { page } from "../../tests/support/harbour-freight-site";
import { extractedPageKind, mergedContentSha256, tavilyPage } from "./website-pages.server";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("mergedContentSha256", () => {
  it("hashes the pages' text, each headed by its URL, in their order", () => {
    const pages = [page("home", "Welcome."), page("about", "About us.")];
    expect(mergedContentSha256(pages)).toBe(sha256("# https://www.harbourfreight.com.sg/\nWelcome.\n\n# https://www.harbourfreight.com.sg/about\nAbout us."));
    expect(mergedContentSha256([...pages].reverse())).not.toBe(mergedContentSha256(pages));
  });
});

describe("Tavily's pages", () => {
  it("are stored like crawled pages, marked as Tavily's, without an HTTP status", () => {
    expect(tavilyPage("https://harbourfreight.com.sg/about", "about", "About", "Héllo")).toEqual({
      url: "https://harbourfreight.com.sg/about",
      kind: "about",
      title: "About",
      text: "Héllo",
      sha256: sha256("Héllo"),
      source: "tavily",
      status: null,
      bytes: 6,
    });
  });

  it.each([
    ["https://harbourfreight.com.sg/about-us", "about"],
    ["https://harbourfreight.com.sg/who-we-are", "about"],
    ["https://harbourfreight.com.sg/Contact", "contact"],
    ["https://harbourfreight.com.sg/", "home"],
  ])("%s is a %s page", (url, kind) => {
    expect(extractedPageKind(url)).toBe(kind);
  });
});
