/**
 * What a viewer sees of personal data (viewers always see it masked):
 * `j***@acme.sg` for an address, initials for a name, the last three digits
 * of a phone number. Shared by pages, exports and the chat.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***@${email.slice(at + 1)}`;
}

const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Free text (a step message, a logged argument) with every email address in it masked. */
export function maskEmailsIn(text: string): string {
  return text.replace(EMAIL_ADDRESS, maskEmail);
}

export function maskName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return parts.length ? parts.map((p) => `${p[0]!.toUpperCase()}.`).join(" ") : "";
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length <= 3 ? "***" : `*** ${digits.slice(-3)}`;
}

/** Viewers see masked personal data; ops and admins see it in full. */
export function seesPersonalData(roles: readonly string[]): boolean {
  return roles.includes("admin") || roles.includes("ops");
}
