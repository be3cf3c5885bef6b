import { describe, expect, it } from "vitest";
import { createRouteLabeller, methodLabel, STATIC_ROUTE, UNMATCHED_ROUTE } from "./http-metrics.server";

const manifest = {
  root: { id: "root", path: "" },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true },
  "routes/healthz": { id: "routes/healthz", parentId: "root", path: "healthz" },
  "routes/app+/_layout": { id: "routes/app+/_layout", parentId: "root", path: "app" },
  "routes/app+/runs.$id": { id: "routes/app+/runs.$id", parentId: "routes/app+/_layout", path: "runs/:id" },
  "routes/app+/_index": { id: "routes/app+/_index", parentId: "routes/app+/_layout", index: true },
};

describe("createRouteLabeller", () => {
  const label = createRouteLabeller(manifest);

  it("names the leaf route, whatever the ids in the path", () => {
    expect(label("/healthz")).toBe("routes/healthz");
    expect(label("/app/runs/0b6c1f1e-1d55-4c3e-9a59-2f7b1a0f3c11")).toBe("routes/app+/runs.$id");
    expect(label("/app/runs/another")).toBe("routes/app+/runs.$id");
    expect(label("/app")).toBe("routes/app+/_index");
    expect(label("/")).toBe("routes/_index");
  });

  it("names the page a single-fetch data request is for", () => {
    expect(label("/app/runs/42.data")).toBe("routes/app+/runs.$id");
    expect(label("/_root.data")).toBe("routes/_index");
  });

  it("labels the files express.static serves as static", () => {
    const withStatic = createRouteLabeller(manifest, ["/build/", "/favicon.svg"]);
    expect(withStatic("/build/_assets/root-ABC123.js")).toBe(STATIC_ROUTE);
    expect(withStatic("/favicon.svg")).toBe(STATIC_ROUTE);
    expect(withStatic("/healthz")).toBe("routes/healthz");
  });

  it("labels a path no route matches as unmatched", () => {
    expect(label("/nowhere/at/all")).toBe(UNMATCHED_ROUTE);
  });
});

describe("methodLabel", () => {
  it("keeps HTTP's usual methods and folds the rest into one label", () => {
    expect(methodLabel("GET")).toBe("GET");
    expect(methodLabel("PROPFIND")).toBe("other");
  });
});
