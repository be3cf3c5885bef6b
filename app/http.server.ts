/** JSON error responses for /api routes: a stable `error` code and a human `message`. */
export function apiError(status: number, error: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return Response.json({ error, message, ...extra }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export function isApiRequest(request: Request): boolean {
  return new URL(request.url).pathname.startsWith("/api/");
}

/** Throws a 404 when a row is missing, e.g. another tenant's id: we never say it exists. */
export function invariantFound<T>(value: T | null | undefined, what = "Not found"): asserts value is T {
  if (value === null || value === undefined) throw new Response(what, { status: 404 });
}
