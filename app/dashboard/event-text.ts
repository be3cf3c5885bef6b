import { maskEmail } from "~/privacy/mask";

/**
 * Step messages can quote an address a vendor returned; viewers see it
 * masked like everywhere else. Browser-safe: the live feed
 * masks the stream's events with it too.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export function maskMessage(message: string | null): string | null {
  return message ? message.replace(EMAIL, maskEmail) : message;
}
