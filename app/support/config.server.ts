import { z } from "zod";

/** Env fragment of /support: how people reach the platform's operators. */
export const supportEnv = z.object({
  /** Where support requests go; /support shows it. Unset: the page asks people to contact their workspace administrator. */
  SUPPORT_EMAIL: z.email().optional(),
  /** A status page or chat channel of the operators, linked from /support. */
  SUPPORT_URL: z.url().optional(),
});
