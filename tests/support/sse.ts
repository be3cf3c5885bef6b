export type SseMessage = { id?: string; event?: string; data?: string };

/**
 * The server-sent events of a streamed response, as they arrive; messages
 * without an event name (comments, keep-alives) are skipped. Stops when the
 * stream ends or the consumer breaks out (which cancels the stream).
 */
export async function* sseMessages(response: Response): AsyncGenerator<SseMessage> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const message: SseMessage = {};
        for (const line of buffer.slice(0, end).split("\n")) {
          const [field, ...rest] = line.split(": ");
          if (field === "id" || field === "event" || field === "data") message[field] = rest.join(": ");
        }
        buffer = buffer.slice(end + 2);
        if (message.event) yield message;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
