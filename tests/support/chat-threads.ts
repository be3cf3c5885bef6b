import { expect } from "vitest";
import { type Reply } from "~/chat/replies";
import { appRequest, invoke } from "./app-requests";

/**
 * A signed-in user's side of the agent chat, through its route modules
 * (imported when first used, after `startStandIns` set the environment).
 */
export async function newChatThread(cookie: string): Promise<string> {
  const { action } = await import("~/routes/app+/chat");
  const response = await invoke(action, appRequest("/app/chat", { cookie, form: { intent: "new" } }));
  expect(response.status).toBe(302);
  return response.headers.get("location")!.split("/").pop()!;
}

/** Sends a message to the thread; the answer is the action's response (200, or 429 past the rate limit). */
export async function sendChatMessage(cookie: string, threadId: string, text: string): Promise<Response> {
  const { action } = await import("~/routes/app+/chat.$threadId");
  return invoke(action, appRequest(`/app/chat/${threadId}`, { cookie, form: { intent: "send", text } }), { threadId });
}

/** The thread page's loader response, as the user would load it. */
export async function loadChatThread(cookie: string, threadId: string): Promise<Response> {
  const { loader } = await import("~/routes/app+/chat.$threadId");
  return invoke(loader, appRequest(`/app/chat/${threadId}`, { cookie }), { threadId });
}

/** The assistant's reply that ends the thread. */
export async function lastChatReply(cookie: string, threadId: string): Promise<Reply> {
  const view = (await (await loadChatThread(cookie, threadId)).json()) as { messages: Array<{ role: string; reply: Reply | null }> };
  const last = view.messages.at(-1)!;
  expect(last.role).toBe("assistant");
  return last.reply!;
}
