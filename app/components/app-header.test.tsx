import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { AppHeader } from "./app-header";

async function header(roles: string[], path = "/app"): Promise<string> {
  const viewer = { email: "someone@acme.test", roles, tenant: { name: "Acme", slug: "acme" } };
  const routes = [{ path: "*", element: <AppHeader viewer={viewer} /> }];
  const { query, dataRoutes } = createStaticHandler(routes);
  const context = await query(new Request(`http://localhost${path}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  return renderToString(<StaticRouterProvider router={createStaticRouter(dataRoutes, context)} context={context} />);
}

describe("AppHeader", () => {
  it("offers Settings to ops and admins only, the other workspace pages to everyone", async () => {
    for (const roles of [["ops"], ["admin"]]) expect(await header(roles)).toContain('href="/app/settings"');
    const viewer = await header(["viewer"]);
    expect(viewer).not.toContain('href="/app/settings"');
    for (const page of ["/app/chat", "/app/shortlist", "/app/runs", "/app/icp"]) expect(viewer).toContain(`href="${page}"`);
    expect(viewer).toContain("someone@acme.test");
  });

  it("offers the tenant portal to the workspace's admins only", async () => {
    expect(await header(["admin"])).toContain('href="/app/portal"');
    for (const roles of [["ops"], ["viewer"], ["platform_owner"]]) expect(await header(roles), roles.join()).not.toContain('href="/app/portal"');
  });

  it("links the control plane to platform staff: finance to billing, owners and operators to the tenants", async () => {
    expect(await header(["ops"])).not.toContain('href="/admin');
    for (const roles of [["platform_owner"], ["platform_operator"]]) {
      const html = await header(roles);
      expect(html).toContain('href="/admin"');
      expect(html).toContain('href="/admin/support-requests"');
    }
    const finance = await header(["finance_owner"]);
    expect(finance).toContain('href="/admin/billing"');
    expect(finance).not.toContain('href="/admin"');
    expect(finance).not.toContain('href="/admin/support-requests"');
  });

  it("links the analytics hub list to owners, operators and finance, and keeps Infra lit on the warm pool", async () => {
    for (const roles of [["platform_owner"], ["platform_operator"], ["finance_owner"]])
      expect(await header(roles), roles.join()).toContain('href="/admin/integrations/analytics"');
    expect(await header(["admin"])).not.toContain('href="/admin/integrations/analytics"');
    const infra = (html: string) => html.match(/<a [^>]*href="\/admin\/infra\/templates"[^>]*>Infra<\/a>/)?.[0] ?? "";
    expect(infra(await header(["platform_operator"], "/admin/infra/warm-pool"))).toContain("bg-brand-50");
    expect(infra(await header(["platform_operator"], "/admin/catalog"))).not.toContain("bg-brand-50");
  });

  it("keeps Sales lit on every sales dashboard and on no other page", async () => {
    const sales = (html: string) => html.match(/<a [^>]*href="\/app\/pipeline"[^>]*>Sales<\/a>/)?.[0] ?? "";
    for (const path of ["/app/pipeline", "/app/opportunities", "/app/opportunities/42", "/app/activities", "/app/performance", "/app/lead-outcomes"])
      expect(sales(await header(["ops"], path)), path).toContain("bg-brand-50");
    for (const path of ["/app", "/app/data", "/app/opportunitiesx"]) expect(sales(await header(["ops"], path)), path).not.toContain("bg-brand-50");
  });
});
