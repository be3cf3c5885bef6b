import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { takeTurn } from "~/chat/chat.server";
import { PRD_EXAMPLES } from "~/chat/commands";
import { Composer } from "~/chat/composer";
import { MessageText } from "~/chat/replies";
import { createThread } from "~/chat/threads.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { limitUser } from "~/http/rate-limit.server";
import { type loader as layoutLoader } from "./_layout";

/** No thread open: what the agent can do, and a box whose first message opens a new thread. */
const Send = z.object({ intent: z.literal("send"), text: MessageText });

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const parsed = Send.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false as const, intent: "send", error: parsed.error.issues[0]?.message ?? "Invalid message" };
  await limitUser(request, "chat", viewer.sub);
  const thread = await createThread({ tenantId: viewer.tenant.id, sub: viewer.sub, email: viewer.email });
  await takeTurn({ tenantId: viewer.tenant.id, sub: viewer.sub, email: viewer.email, roles: viewer.roles }, thread.id, parsed.data.text);
  return redirect(`/app/chat/${thread.id}`);
}

export default function ChatStart() {
  const workspace = useRouteLoaderData<typeof layoutLoader>("routes/app+/_layout");
  const operator = canOperate(workspace?.roles ?? []);
  const starter = useFetcher<typeof action>({ key: "chat-start" });
  const [lastSent, setLastSent] = useState<string | null>(null);
  const busy = starter.state !== "idle";
  const failed = starter.state === "idle" && starter.data && !starter.data.ok ? starter.data : null;
  const send = (text: string) => {
    setLastSent(text);
    starter.submit({ intent: "send", text }, { method: "post" });
  };
  return (
    <div className="flex flex-1 flex-col">
      <div className="flex-1 rounded-lg bg-slate-50 p-6">
        <h2 className="text-lg font-semibold text-slate-900">Ask the agent</h2>
        <p className="mt-1 max-w-prose text-sm text-slate-600">
          Plain English works.{" "}
          {operator
            ? "You can change the ICP, start runs and re-enrich companies."
            : "As a viewer you can read the shortlist and explanations; changes need an ops or admin user."}
        </p>
        <ul className="mt-4 grid gap-2 sm:grid-cols-2" aria-label="Examples">
          {PRD_EXAMPLES.map((example) => (
            <li key={example}>
              <button
                type="button"
                disabled={busy}
                onClick={() => send(example)}
                className="w-full rounded-lg border border-slate-200 bg-white px-4 py-3 text-left text-sm text-slate-800 shadow-sm hover:border-brand-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-50"
              >
                {example}
              </button>
            </li>
          ))}
        </ul>
        {busy ? (
          <div className="mt-6 max-w-md animate-pulse space-y-2 rounded-lg border border-slate-200 bg-white p-4" aria-label="Waiting for the reply">
            <div className="h-3 w-1/3 rounded bg-slate-200" />
            <div className="h-3 w-2/3 rounded bg-slate-200" />
            <span className="sr-only">Working on it…</span>
          </div>
        ) : null}
      </div>
      <Composer onSend={send} busy={busy} error={failed?.error ?? null} restore={failed ? lastSent : null} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
