import { recordAudit } from "~/audit.server";
import { db } from "~/db.server";
import { parseReply, THREAD_TITLE_MAX, type Reply } from "./replies";

/**
 * Chat threads and their messages. Row-level security keeps them inside the
 * tenant; every query here also names the owner, so a user only ever sees
 * and changes their own threads (another user's thread id is a miss).
 */
export type ThreadOwner = { tenantId: string; sub: string; email?: string | null };

export type ThreadSummary = { id: string; title: string; updatedAt: Date };

export type ChatMessageView = {
  id: string;
  role: "user" | "assistant";
  text: string;
  reply: Reply | null;
  createdAt: Date;
};

export const DEFAULT_THREAD_TITLE = "New chat";

export async function listThreads(owner: ThreadOwner, limit = 100): Promise<ThreadSummary[]> {
  return db.$withTenant(owner.tenantId, (tx) =>
    tx.chatThread.findMany({
      where: { ownerSub: owner.sub },
      orderBy: [{ updatedAt: "desc" }, { createdAt: "desc" }],
      take: limit,
      select: { id: true, title: true, updatedAt: true },
    }),
  );
}

export async function createThread(owner: ThreadOwner, title = DEFAULT_THREAD_TITLE): Promise<ThreadSummary> {
  const thread = await db.$withTenant(owner.tenantId, (tx) =>
    tx.chatThread.create({
      data: { ownerSub: owner.sub, ownerEmail: owner.email ?? null, title: titleFrom(title) },
      select: { id: true, title: true, updatedAt: true },
    }),
  );
  await recordAudit(owner.tenantId, owner, "chat.thread_created", `chat_thread:${thread.id}`);
  return thread;
}

export function titleFrom(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (!flat) return DEFAULT_THREAD_TITLE;
  return flat.length <= THREAD_TITLE_MAX ? flat : `${flat.slice(0, THREAD_TITLE_MAX - 1).trimEnd()}…`;
}

export async function findThread(owner: ThreadOwner, threadId: string): Promise<ThreadSummary | null> {
  return db.$withTenant(owner.tenantId, (tx) =>
    tx.chatThread.findFirst({ where: { id: threadId, ownerSub: owner.sub }, select: { id: true, title: true, updatedAt: true } }),
  );
}

export async function renameThread(owner: ThreadOwner, threadId: string, title: string): Promise<boolean> {
  const { count } = await db.$withTenant(owner.tenantId, (tx) =>
    tx.chatThread.updateMany({ where: { id: threadId, ownerSub: owner.sub }, data: { title: titleFrom(title) } }),
  );
  if (count) await recordAudit(owner.tenantId, owner, "chat.thread_renamed", `chat_thread:${threadId}`);
  return count > 0;
}

export async function deleteThread(owner: ThreadOwner, threadId: string): Promise<boolean> {
  const { count } = await db.$withTenant(owner.tenantId, (tx) => tx.chatThread.deleteMany({ where: { id: threadId, ownerSub: owner.sub } }));
  if (count) await recordAudit(owner.tenantId, owner, "chat.thread_deleted", `chat_thread:${threadId}`);
  return count > 0;
}

/** The newest `limit` messages of a thread, oldest first. */
export async function threadMessages(owner: ThreadOwner, threadId: string, limit = 200): Promise<ChatMessageView[]> {
  const rows = await db.$withTenant(owner.tenantId, (tx) =>
    tx.chatMessage.findMany({
      where: { threadId, thread: { ownerSub: owner.sub } },
      orderBy: { id: "desc" },
      take: limit,
      select: { id: true, role: true, text: true, payload: true, createdAt: true },
    }),
  );
  return rows.reverse().map((r) => ({
    id: r.id.toString(),
    role: r.role === "user" ? "user" : "assistant",
    text: r.text,
    reply: r.payload === null ? null : parseReply(r.payload),
    createdAt: r.createdAt,
  }));
}

export type NewMessage = { role: "user" | "assistant"; text: string; reply?: Reply | null };

/**
 * Adds messages to one of the owner's threads and bumps it to the top; the
 * first user message names a thread that still has the default title.
 * Returns false (and writes nothing) when the thread is not theirs.
 */
export async function appendMessages(owner: ThreadOwner, threadId: string, messages: NewMessage[]): Promise<boolean> {
  return db.$withTenant(owner.tenantId, async (tx) => {
    const thread = await tx.chatThread.findFirst({ where: { id: threadId, ownerSub: owner.sub }, select: { title: true } });
    if (!thread) return false;
    for (const m of messages) {
      await tx.chatMessage.create({ data: { threadId, role: m.role, text: m.text, payload: m.reply ? (m.reply as object) : undefined } });
    }
    const firstUser = messages.find((m) => m.role === "user");
    await tx.chatThread.updateMany({
      where: { id: threadId, ownerSub: owner.sub },
      data: { updatedAt: new Date(), ...(thread.title === DEFAULT_THREAD_TITLE && firstUser ? { title: titleFrom(firstUser.text) } : {}) },
    });
    return true;
  });
}
