import { useState, type FormEvent } from "react";
import type { z } from "zod";
import { fieldErrors, type FieldErrors } from "./settings-forms";

/**
 * Inline validation in the browser with the same zod schema the action uses:
 * a refused submit never leaves the page and keeps what was typed. The
 * server's errors (for a submit that got through, or without JavaScript) show
 * when there are no newer browser-side ones.
 */
export function useZodForm(schema: z.ZodType, serverErrors: FieldErrors | undefined) {
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const data = Object.fromEntries([...new FormData(event.currentTarget).entries()].filter(([, v]) => typeof v === "string"));
    const parsed = schema.safeParse(data);
    if (parsed.success) {
      setClientErrors(null);
      return;
    }
    event.preventDefault();
    const errors = fieldErrors(parsed.error);
    setClientErrors(errors);
    const first = Object.keys(errors)[0];
    if (first) (event.currentTarget.elements.namedItem(first) as HTMLElement | null)?.focus?.();
  };
  return { errors: clientErrors ?? serverErrors ?? {}, onSubmit };
}
