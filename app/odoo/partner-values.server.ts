/**
 * Partner values in the form Odoo stores them, so that what we send compares
 * equal to what we read back and a re-run sees no change.
 */

/** What Odoo's `_clean_website` stores for a website: the value with a scheme, `http://` when it had none. */
export function withScheme(website: string): string {
  const trimmed = website.trim();
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(trimmed)) return trimmed;
  return trimmed.startsWith("//") ? `http:${trimmed}` : `http://${trimmed}`;
}

/** Odoo's html fields sanitise plain text into a paragraph; sending that form keeps change detection exact. */
export function commentHtml(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<p>${escaped.replace(/\r?\n/g, "<br>")}</p>`;
}
