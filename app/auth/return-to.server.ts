/** Where to land after sign-in: only paths on this site, never another origin. */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.startsWith("/auth/")) {
    return "/app";
  }
  return value.slice(0, 500);
}

const COOKIE = "nexius_return_to";

export function returnToCookie(path: string): string {
  return `${COOKIE}=${encodeURIComponent(path)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=600`;
}

export function readReturnTo(request: Request): string {
  const raw = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`))?.[1];
  return safeReturnTo(raw ? decodeURIComponent(raw) : null);
}

export function clearReturnToCookie(): string {
  return `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
