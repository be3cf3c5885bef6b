import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { ErrorNotice, GeneralErrorBoundary } from "./error-boundary";

/** Renders a page whose loader throws `thrown`, with the boundary a route module exports. */
async function pageThrowing(thrown: unknown, boundary = <GeneralErrorBoundary />): Promise<string> {
  const routes = [
    {
      path: "/app/runs/:id",
      loader: () => {
        throw thrown;
      },
      element: <p>the page</p>,
      errorElement: boundary,
    },
  ];
  const { query, dataRoutes } = createStaticHandler(routes);
  const context = await query(new Request("http://localhost/app/runs/r1"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  // Only what the page shows: the static router's hydration script carries the error for the test harness.
  const html = renderToString(<StaticRouterProvider router={createStaticRouter(dataRoutes, context)} context={context} hydrate={false} />);
  return html.replace(/<!-- -->/g, "");
}

describe("GeneralErrorBoundary", () => {
  it("says a 403 is about the role, with a way back to the start page", async () => {
    const html = await pageThrowing(new Response("Forbidden", { status: 403 }));
    expect(html).toContain("You don&#x27;t have access to this page");
    expect(html).toContain('href="/"');
    expect(html).not.toContain("the page");
  });

  it("says a 404 page does not exist, and a paused workspace (423) that it is paused", async () => {
    expect(await pageThrowing(new Response("Not found", { status: 404 }))).toContain("Page not found");
    expect(await pageThrowing(new Response("Paused", { status: 423 }))).toContain("This workspace is paused");
  });

  it("lets a route say more for a status, with the route's params", async () => {
    const boundary = (
      <GeneralErrorBoundary
        statusHandlers={{
          404: ({ params }) => <ErrorNotice status={404} title={`Run ${params.id} not found`} detail="" back={{ to: "/app/runs", label: "See all runs" }} />,
        }}
      />
    );
    const html = await pageThrowing(new Response("Not found", { status: 404 }), boundary);
    expect(html).toContain("Run r1 not found");
    expect(html).toContain('href="/app/runs"');
  });

  it("shows other statuses and thrown errors as a plain apology, never the error's message or stack", async () => {
    expect(await pageThrowing(new Response("Teapot", { status: 418 }))).toContain("Something went wrong");
    const html = await pageThrowing(new Error("secret connection string"));
    expect(html).toContain("Something went wrong");
    expect(html).toContain("Error 500");
    expect(html).not.toContain("secret connection string");
  });
});
