import { env } from "~/env.server";

/**
 * Where to land after sign-in: only pages of this site. The value is resolved
 * the way the browser will resolve the redirect (against APP_URL, which drops
 * tabs and newlines and reads `\` as `/`), and must stay on APP_URL's origin;
 * control characters are refused outright.
 */
const FALLBACK = "/app";

export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.length > 500 || /[\u0000-\u001f\u007f\\]/.test(value)) return FALLBACK;
  const base = new URL(`${env().APP_URL}/`);
  let resolved: URL;
  try {
    resolved = new URL(value, base);
  } catch {
    return FALLBACK;
  }
  if (resolved.origin !== base.origin || resolved.pathname.startsWith("/auth/") || resolved.pathname.startsWith("//")) return FALLBACK;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

function cookieName(): string {
  return env().NODE_ENV === "production" ? "__Host-nexius_return_to" : "nexius_return_to";
}

function attributes(maxAge: number): string {
  const secure = env().NODE_ENV === "production" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax${secure}; Max-Age=${maxAge}`;
}

export function returnToCookie(path: string): string {
  return `${cookieName()}=${encodeURIComponent(path)}; ${attributes(600)}`;
}

export function readReturnTo(request: Request): string {
  const raw = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${cookieName()}=([^;]+)`))?.[1];
  try {
    return safeReturnTo(raw ? decodeURIComponent(raw) : null);
  } catch {
    return FALLBACK;
  }
}

export function clearReturnToCookie(): string {
  return `${cookieName()}=; ${attributes(0)}`;
}
