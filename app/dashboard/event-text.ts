import { maskEmailsIn } from "~/privacy/mask";

/**
 * Step messages can quote an address a vendor returned; viewers see it
 * masked like everywhere else. Browser-safe: the live feed
 * masks the stream's events with it too.
 */
export function maskMessage(message: string | null): string | null {
  return message ? maskEmailsIn(message) : message;
}
