import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { LeadOriginPanel, type LeadOrigin } from "./lead-origin";

const origin: LeadOrigin = {
  uen: "202610001A",
  runId: "5f0c6f43-7a53-4a8f-9a55-1d2b8c7e9f10",
  runDate: "2026-11-02",
  icpVersion: 3,
  pushedAt: "2026-11-02T01:30:00Z",
  matchedBy: "partner",
  score: 84.5,
  bucket: "High",
  rationale: "A software house of 40 people with a CTO reachable by email.",
  breakdown: [{ feature: "employee_fit", label: "Employee fit", signal: "40", weight: 15, points: 12, reason: "40 employees, inside 10–200" }],
};

async function render(): Promise<string> {
  const { query, dataRoutes } = createStaticHandler([{ path: "*", element: <LeadOriginPanel origin={origin} /> }]);
  const context = await query(new Request("http://localhost/app/opportunities/x"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  return renderToString(<StaticRouterProvider router={createStaticRouter(dataRoutes, context)} context={context} />);
}

const text = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

describe("LeadOriginPanel", () => {
  it("shows the bucket, score, rationale and reasons the lead had when pushed, linking its run and company", async () => {
    const html = await render();
    expect(text(html)).toContain("Found by the lead engine High score 84.5");
    expect(text(html)).toContain("A software house of 40 people with a CTO reachable by email.");
    expect(text(html)).toContain("Run of 2 Nov 2026 · ICP v3 · pushed to Odoo 2 Nov 2026, 9:30 am");
    expect(text(html)).toContain("Employee fit 40 employees, inside 10–200 12.0 / 15");
    expect(html).toContain(`href="/app/runs/${origin.runId}"`);
    expect(html).toContain('href="/app/companies/202610001A"');
  });
});
