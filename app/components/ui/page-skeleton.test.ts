import { describe, expect, it } from "vitest";
import { opensAnotherPage } from "./page-skeleton";

describe("opensAnotherPage", () => {
  const loading = (pathname: string) => ({ state: "loading" as const, location: { pathname } });

  it("is true while another workspace page loads", () => {
    expect(opensAnotherPage(loading("/app/companies/201912345K"), "/app/shortlist")).toBe(true);
    expect(opensAnotherPage(loading("/app/runs/6f1c"), "/app")).toBe(true);
    expect(opensAnotherPage(loading("/app/chat"), "/app/shortlist")).toBe(true);
  });

  it("is false when nothing loads, for a submission, and within the same page", () => {
    expect(opensAnotherPage({ state: "idle" }, "/app")).toBe(false);
    expect(opensAnotherPage({ state: "submitting", location: { pathname: "/app" } }, "/app/shortlist")).toBe(false);
    expect(opensAnotherPage(loading("/app/shortlist"), "/app/shortlist")).toBe(false);
  });

  it("leaves moves between chats to the chat, which keeps its thread list", () => {
    expect(opensAnotherPage(loading("/app/chat/b"), "/app/chat/a")).toBe(false);
    expect(opensAnotherPage(loading("/app/chat/b"), "/app/chat")).toBe(false);
    expect(opensAnotherPage(loading("/app/chatter"), "/app/chat")).toBe(true);
  });
});
