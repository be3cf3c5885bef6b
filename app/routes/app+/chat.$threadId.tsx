import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { requireTenantUser, type TenantViewer } from "~/auth/guards.server";
import { takeTurn, threadView, ThreadNotFoundError, type ChatViewer } from "~/chat/chat.server";
import { Composer } from "~/chat/composer";
import { MessageText, THREAD_TITLE_MAX, ThreadTitle } from "~/chat/replies";
import { ReplyView } from "~/chat/reply-view";
import { deleteThread, findThread, renameThread } from "~/chat/threads.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Button } from "~/components/ui/button";
import { limitUser } from "~/http/rate-limit.server";
import { invariantFound } from "~/http.server";
import { formatTime } from "~/utils/date-format";

function chatViewer(viewer: TenantViewer): ChatViewer {
  return { tenantId: viewer.tenant.id, sub: viewer.sub, email: viewer.email, roles: viewer.roles };
}

/** Only the owner's thread: anyone else's id (or a malformed one) is a 404. */
async function ownThread(viewer: TenantViewer, threadId: string | undefined) {
  const id = z.uuid().safeParse(threadId);
  const thread = id.success ? await findThread({ tenantId: viewer.tenant.id, sub: viewer.sub }, id.data) : null;
  invariantFound(thread, "No such chat");
  return thread;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const thread = await ownThread(viewer, params.threadId);
  const view = await threadView(chatViewer(viewer), thread.id);
  return { thread, ...view };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send"), text: MessageText }),
  z.object({ intent: z.literal("rename"), title: ThreadTitle }),
  z.object({ intent: z.literal("delete") }),
]);

export type ThreadActionResult = { ok: true; intent: "send" | "rename" } | { ok: false; intent: string | null; error: string; field?: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ThreadActionResult | Response> {
  const viewer = await requireTenantUser(request);
  const thread = await ownThread(viewer, params.threadId);
  const form = Object.fromEntries(await request.formData());
  const parsed = ActionSchema.safeParse(form);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      intent: typeof form.intent === "string" ? form.intent : null,
      error: issue?.message ?? "Invalid request",
      field: issue?.path.join("."),
    };
  }
  const owner = { tenantId: viewer.tenant.id, sub: viewer.sub, email: viewer.email };
  switch (parsed.data.intent) {
    case "send":
      await limitUser(request, "chat", viewer.sub);
      try {
        await takeTurn(chatViewer(viewer), thread.id, parsed.data.text);
      } catch (error) {
        if (error instanceof ThreadNotFoundError) throw new Response("No such chat", { status: 404 });
        throw error;
      }
      return { ok: true, intent: "send" };
    case "rename":
      await renameThread(owner, thread.id, parsed.data.title);
      return { ok: true, intent: "rename" };
    case "delete":
      await deleteThread(owner, thread.id);
      return redirect("/app/chat");
  }
}

export default function ChatThread() {
  const { thread, messages, runs, refreshes, pending } = useLoaderData<typeof loader>();
  const sender = useFetcher<ThreadActionResult>({ key: `chat-send-${thread.id}` });
  const revalidator = useRevalidator();
  const sending = sender.state !== "idle";
  const sentText = sending ? String(sender.formData?.get("text") ?? "") : null;
  const [lastSent, setLastSent] = useState<string | null>(null);
  const failed = sender.state === "idle" && sender.data && !sender.data.ok ? sender.data : null;
  const bottom = useRef<HTMLDivElement>(null);

  const send = (text: string) => {
    setLastSent(text);
    sender.submit({ intent: "send", text }, { method: "post" });
  };

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages.length, sending]);

  // Queued candidate refreshes have no stream of their own: re-read the thread until they are done.
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, 2500);
    return () => clearInterval(timer);
  }, [pending, revalidator]);

  return (
    <>
      <ThreadHeader title={thread.title} />
      <div
        role="log"
        aria-live="polite"
        aria-label="Conversation"
        aria-busy={sending}
        className="flex-1 space-y-4 overflow-y-auto rounded-lg bg-slate-50 p-3 sm:p-4"
      >
        {messages.length === 0 && !sending ? (
          <p className="py-8 text-center text-sm text-slate-600">Nothing here yet. Ask “help” to see what I can do.</p>
        ) : null}
        {messages.map((m) =>
          m.role === "user" ? (
            <UserBubble key={m.id} text={m.text} at={m.createdAt} />
          ) : (
            <article key={m.id} className="max-w-full" aria-label="Assistant reply" data-reply-type={m.reply?.type ?? "text"}>
              <ReplyView
                reply={m.reply}
                text={m.text}
                run={m.reply?.type === "run" ? runs[m.reply.runId] : undefined}
                refresh={refreshes[m.id]}
                onSuggest={send}
                busy={sending}
              />
            </article>
          ),
        )}
        {sentText ? (
          <>
            <UserBubble text={sentText} pending />
            <div className="max-w-md animate-pulse space-y-2 rounded-lg border border-slate-200 bg-white p-4" aria-label="Waiting for the reply">
              <div className="h-3 w-1/3 rounded bg-slate-200" />
              <div className="h-3 w-2/3 rounded bg-slate-200" />
              <span className="sr-only">Working on it…</span>
            </div>
          </>
        ) : null}
        <div ref={bottom} />
      </div>
      <Composer onSend={send} busy={sending} error={failed?.intent === "send" ? failed.error : null} restore={failed?.intent === "send" ? lastSent : null} />
    </>
  );
}

function UserBubble({ text, at, pending }: { text: string; at?: string | Date; pending?: boolean }) {
  return (
    <div className="flex justify-end">
      <div className={`max-w-[85%] rounded-lg bg-brand-600 px-3 py-2 text-sm text-white ${pending ? "opacity-70" : ""}`}>
        <p className="whitespace-pre-wrap">{text}</p>
        {at ? <p className="mt-0.5 text-right text-[11px] text-white/70">{formatTime(at)}</p> : null}
      </div>
    </div>
  );
}

function ThreadHeader({ title }: { title: string }) {
  const renamer = useFetcher<ThreadActionResult>();
  const navigation = useNavigation();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const renameError = renamer.state === "idle" && renamer.data && !renamer.data.ok ? renamer.data.error : null;

  useEffect(() => {
    if (renamer.state === "idle" && renamer.data?.ok) setEditing(false);
  }, [renamer.state, renamer.data]);
  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);

  return (
    <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
      {editing ? (
        <renamer.Form method="post" className="flex flex-1 flex-wrap items-center gap-2" onKeyDown={(e) => e.key === "Escape" && setEditing(false)}>
          <input type="hidden" name="intent" value="rename" />
          <label htmlFor="thread-title" className="sr-only">
            Chat title
          </label>
          <input
            id="thread-title"
            ref={input}
            name="title"
            defaultValue={title}
            maxLength={THREAD_TITLE_MAX + 20}
            aria-invalid={renameError ? true : undefined}
            aria-describedby={renameError ? "thread-title-error" : undefined}
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
          <Button type="submit" variant="primary" className="py-1.5" disabled={renamer.state !== "idle"}>
            Save
          </Button>
          <Button type="button" variant="ghost" className="py-1.5" onClick={() => setEditing(false)}>
            Cancel
          </Button>
          {renameError ? (
            <p id="thread-title-error" role="alert" className="w-full text-xs text-red-700">
              {renameError}
            </p>
          ) : null}
        </renamer.Form>
      ) : (
        <>
          <h2 className="min-w-0 truncate text-base font-semibold text-slate-900">{title}</h2>
          <div className="flex items-center gap-1">
            <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => setEditing(true)}>
              Rename
            </Button>
            {confirming ? (
              <Form method="post" className="flex items-center gap-1">
                <input type="hidden" name="intent" value="delete" />
                <span className="text-xs text-slate-600">Delete this chat?</span>
                <Button type="submit" variant="danger" className="px-2 py-1 text-xs" disabled={navigation.state !== "idle"}>
                  Yes, delete
                </Button>
                <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => setConfirming(false)} autoFocus>
                  Keep
                </Button>
              </Form>
            ) : (
              <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => setConfirming(true)}>
                Delete
              </Button>
            )}
          </div>
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.thread.title ?? "Chat"} · Nexius Leads` }];

/** Inside the chat pane: a thread that is gone, or one that failed to load, keeps the way back to the other chats. */
function ChatNotice({ title, detail }: { title: string; detail: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="mt-2 text-sm text-slate-600">{detail}</p>
      <Link to="/app/chat" className="mt-4 inline-block text-sm text-brand-700 underline">
        Back to your chats
      </Link>
    </div>
  );
}

export function ErrorBoundary() {
  const failed = () => <ChatNotice title="The chat could not be loaded" detail="Please try again in a moment." />;
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: () => <ChatNotice title="This chat does not exist" detail="It may have been deleted." /> }}
      defaultStatusHandler={failed}
      unexpectedErrorHandler={failed}
    />
  );
}
