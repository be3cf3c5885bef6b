import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "~/components/ui/button";
import { MESSAGE_MAX } from "./replies";

/**
 * The message box: Enter sends, Shift+Enter adds a line. It keeps focus
 * after sending and gives the text back when sending failed.
 */
export function Composer({
  onSend,
  busy,
  error,
  restore,
  placeholder = "Ask, e.g. “Show today's shortlist (top 50).”",
}: {
  onSend: (text: string) => void;
  busy: boolean;
  /** A problem with the last message (from the server or the check here). */
  error?: string | null;
  /** Text to put back in the box (the message that failed). */
  restore?: string | null;
  placeholder?: string;
}) {
  const [text, setText] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (restore) setText(restore);
  }, [restore]);

  useEffect(() => {
    box.current?.focus();
  }, []);

  const send = () => {
    const value = text.trim();
    if (!value) {
      setLocalError("Type a message first.");
      return;
    }
    if (value.length > MESSAGE_MAX) {
      setLocalError(`Messages are at most ${MESSAGE_MAX} characters.`);
      return;
    }
    setLocalError(null);
    onSend(value);
    setText("");
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (!busy) send();
    }
  };

  const problem = localError ?? error ?? null;
  return (
    <form
      className="mt-4 rounded-lg border border-slate-300 bg-white p-2 shadow-sm focus-within:border-brand-500 focus-within:ring-2 focus-within:ring-brand-500/30"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) send();
      }}
    >
      <label htmlFor="chat-message" className="sr-only">
        Message
      </label>
      <textarea
        id="chat-message"
        ref={box}
        name="text"
        rows={2}
        value={text}
        maxLength={MESSAGE_MAX + 100}
        onChange={(e) => {
          setText(e.target.value);
          if (localError) setLocalError(null);
        }}
        onKeyDown={onKeyDown}
        placeholder={placeholder}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? "chat-message-error" : "chat-message-hint"}
        className="block w-full resize-none border-0 bg-transparent px-2 py-1 text-sm text-slate-900 placeholder:text-slate-400 focus:outline-none"
      />
      <div className="flex items-center justify-between gap-2 px-2 pt-1">
        {problem ? (
          <p id="chat-message-error" role="alert" className="text-xs text-red-700">
            {problem}
          </p>
        ) : (
          <p id="chat-message-hint" className="text-xs text-slate-500">
            Enter to send · Shift+Enter for a new line
          </p>
        )}
        <Button type="submit" disabled={busy} className="px-3 py-1.5">
          {busy ? "Sending…" : "Send"}
        </Button>
      </div>
    </form>
  );
}
