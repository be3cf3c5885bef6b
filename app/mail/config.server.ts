import { z } from "zod";

/** Env fragment of outgoing email (alert channels). */
export const mailEnv = z.object({
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`; `npm run dev` points it at the mail catcher. Unset: email channels fail their deliveries. */
  SMTP_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^smtps?:\/\//.test(v), "must be an smtp:// or smtps:// URL"),
  /** The From of alert emails. */
  SMTP_FROM: z.string().min(3).default("Nexius Leads <alerts@nexius.local>"),
});
