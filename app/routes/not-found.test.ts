import { describe, expect, it } from "vitest";
import { appRequest, invoke } from "../../tests/support/app-requests";
import { action, loader } from "./$";

describe("paths no route claims", () => {
  it("answer API clients with a JSON 404, GET or POST", async () => {
    for (const [fn, method] of [
      [loader, "GET"],
      [action, "POST"],
    ] as const) {
      const response = await invoke(fn, appRequest("/api/no-such-endpoint", { method }));
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      expect(await response.json()).toMatchObject({ error: "not_found" });
    }
  });

  it("answer pages with a 404 for the error boundary", async () => {
    const response = await invoke(loader, appRequest("/no-such-page"));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("Not found");
  });
});
