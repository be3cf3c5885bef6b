import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { createThread, listThreads } from "~/chat/threads.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Button } from "~/components/ui/button";
import { formatWhen } from "~/utils/date-format";

/** The chat's frame: the user's own threads on the side, the open thread beside them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const threads = await listThreads({ tenantId: viewer.tenant.id, sub: viewer.sub });
  return { threads };
}

const Intent = z.object({ intent: z.literal("new") });

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  const thread = await createThread({ tenantId: viewer.tenant.id, sub: viewer.sub, email: viewer.email });
  return redirect(`/app/chat/${thread.id}`);
}

export default function ChatLayout() {
  const { threads } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const creating = navigation.state === "submitting" && navigation.formData?.get("intent") === "new";
  const opening = navigation.state === "loading" && navigation.location.pathname.startsWith("/app/chat/");
  return (
    <main className="mx-auto flex w-full max-w-7xl flex-1 flex-col gap-4 px-4 py-6 sm:px-6 lg:flex-row">
      <aside className="lg:w-64 lg:shrink-0" aria-label="Your chats">
        <div className="mb-3 flex items-center justify-between gap-2">
          <h1 className="text-lg font-bold tracking-tight text-slate-900">Agent chat</h1>
          <Form method="post" action="/app/chat">
            <input type="hidden" name="intent" value="new" />
            <Button type="submit" variant="secondary" className="px-2.5 py-1.5" disabled={creating}>
              {creating ? "Opening…" : "New chat"}
            </Button>
          </Form>
        </div>
        {threads.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-600">No chats yet. Ask something to start one.</p>
        ) : (
          <nav aria-label="Chat threads">
            <ul className="flex gap-1 overflow-x-auto lg:max-h-[70vh] lg:flex-col lg:overflow-y-auto">
              {threads.map((t) => (
                <li key={t.id} className="min-w-48 lg:min-w-0">
                  <NavLink
                    to={`/app/chat/${t.id}`}
                    className={({ isActive }) =>
                      `block rounded-md px-3 py-2 text-sm ${isActive ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`
                    }
                  >
                    <span className="block truncate">{t.title}</span>
                    <span className="block text-xs text-slate-500">{formatWhen(t.updatedAt)}</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </aside>
      <section className="flex min-w-0 flex-1 flex-col" aria-busy={opening}>
        {opening ? <ThreadSkeleton /> : <Outlet />}
      </section>
    </main>
  );
}

function ThreadSkeleton() {
  return (
    <div className="flex-1 animate-pulse space-y-4 rounded-lg bg-slate-50 p-4" aria-label="Loading the chat">
      <div className="h-4 w-1/3 rounded bg-slate-200" />
      <div className="ml-auto h-10 w-1/2 rounded-lg bg-slate-200" />
      <div className="h-24 w-3/4 rounded-lg bg-slate-200" />
      <div className="ml-auto h-10 w-1/3 rounded-lg bg-slate-200" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Chat · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
