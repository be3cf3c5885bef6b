import { log } from "~/logger.server";
import { isRunFinished } from "~/runs/run-vocabulary";
import { singaporeDate } from "~/utils/singapore-time";
import { type LlmClient } from "~/vendors/llm.server";
import { executeCommand, icpRefreshesLive, runsLive, type Answer, type ChatViewer } from "./answers.server";
import { routeCommand } from "./command-router";
import { refusalFor } from "./commands";
import { chatLlm, routeWithLlm } from "./llm-router.server";
import { type IcpRefreshLive, type RunLive } from "./replies";
import { appendMessages, threadMessages, type ChatMessageView, type ThreadOwner } from "./threads.server";

/**
 * One turn of the conversation: the user's message is stored, understood
 * (rules first, the configured model for what the rules miss), checked
 * against the user's role, carried out, and answered in the same thread.
 */
export type { ChatViewer };

export type TurnOptions = {
  now?: Date;
  /** The model for free-form questions; defaults to the configured one (none without LLM_API_KEY). */
  llm?: LlmClient | null;
};

export class ThreadNotFoundError extends Error {
  constructor() {
    super("No such thread");
    this.name = "ThreadNotFoundError";
  }
}

function ownerOf(viewer: ChatViewer): ThreadOwner {
  return { tenantId: viewer.tenantId, sub: viewer.sub, email: viewer.email };
}

export async function understandAndAnswer(viewer: ChatViewer, text: string, options: TurnOptions = {}): Promise<Answer> {
  const now = options.now ?? new Date();
  const routed = routeCommand(text, { now });
  let command = routed.ok ? routed.command : null;
  if (!routed.ok) {
    const llm = options.llm === undefined ? chatLlm() : options.llm;
    if (llm) {
      const viaModel = await routeWithLlm(llm, viewer.tenantId, text, { today: singaporeDate(now) });
      if (viaModel.kind === "answer") return { text: viaModel.text, reply: { type: "answer", message: viaModel.text, source: "llm" } };
      if (viaModel.kind === "command") command = viaModel.command;
    }
  }
  if (!command) {
    const failure = routed.ok ? null : routed;
    return {
      text: failure?.message ?? "I did not understand that.",
      reply: { type: "not_understood", message: failure?.message ?? "I did not understand that.", suggestions: failure?.suggestions ?? [] },
    };
  }
  // The server decides, whatever the page showed: a viewer's command that changes something is refused here.
  const refusal = refusalFor(command, viewer.roles);
  if (refusal) return { text: refusal, reply: { type: "refusal", message: refusal } };
  try {
    return await executeCommand(viewer, command, { now });
  } catch (error) {
    log().error({ err: error, command: command.kind }, "chat command failed");
    const message = "Something went wrong while doing that. Nothing was lost; please try again in a moment.";
    return { text: message, reply: { type: "error", message } };
  }
}

/** Stores the user's message and the answer to it. Throws ThreadNotFoundError for a thread that is not the viewer's. */
export async function takeTurn(viewer: ChatViewer, threadId: string, text: string, options: TurnOptions = {}): Promise<Answer> {
  const owner = ownerOf(viewer);
  if (!(await appendMessages(owner, threadId, [{ role: "user", text }]))) throw new ThreadNotFoundError();
  const answer = await understandAndAnswer(viewer, text, options);
  await appendMessages(owner, threadId, [{ role: "assistant", text: answer.text, reply: answer.reply }]);
  return answer;
}

export type ThreadView = {
  messages: ChatMessageView[];
  runs: Record<string, RunLive>;
  refreshes: Record<string, IcpRefreshLive>;
  /** Something in the thread is still moving (a run, a queued candidate refresh): the page keeps it fresh. */
  pending: boolean;
};

/** A thread's messages with the live state of the runs and refreshes its replies point at. */
export async function threadView(viewer: ChatViewer, threadId: string): Promise<ThreadView> {
  const messages = await threadMessages(ownerOf(viewer), threadId);
  const runIds = [...new Set(messages.flatMap((m) => (m.reply?.type === "run" ? [m.reply.runId] : [])))];
  const cards = messages.flatMap((m) =>
    m.reply?.type === "icp_change" && m.reply.refreshQueued
      ? [{ messageId: m.id, requestedAt: m.reply.requestedAt, version: m.reply.changed ? m.reply.version : null }]
      : [],
  );
  const [runs, refreshes] = await Promise.all([runsLive(viewer.tenantId, runIds), icpRefreshesLive(viewer.tenantId, cards)]);
  const pending = Object.values(runs).some((r) => !isRunFinished(r.status)) || Object.values(refreshes).some((r) => r.status === "pending");
  return { messages, runs, refreshes, pending };
}
