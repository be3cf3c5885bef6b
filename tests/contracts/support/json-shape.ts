/**
 * Where `actual` falls short of a documented example: every key the example
 * has must be there, holding a value of the same JSON type. A `null` in the
 * example accepts anything (the vendor documents the field as nullable), and
 * a number matches a numeric string because vendors document both spellings
 * (Tavily's `response_time`, ZeroBounce's `Credits`). Arrays compare their
 * first items. Extra keys in `actual` are fine: examples are not exhaustive.
 */
export function shapeMismatches(actual: unknown, documented: unknown, at = "$"): string[] {
  if (documented === null) return [];
  const want = jsonType(documented);
  const got = jsonType(actual);
  if (want !== got) {
    if (isNumberLike(actual) && isNumberLike(documented)) return [];
    return [`${at}: expected ${want}, got ${got}`];
  }
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length === 0) return [];
    if (actual.length === 0) return [`${at}: empty, but the example has items`];
    return shapeMismatches(actual[0], documented[0], `${at}[0]`);
  }
  if (want === "object") {
    const a = actual as Record<string, unknown>;
    return Object.entries(documented as Record<string, unknown>).flatMap(([key, value]) =>
      key in a ? shapeMismatches(a[key], value, `${at}.${key}`) : [`${at}.${key}: missing`],
    );
  }
  return [];
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isNumberLike(value: unknown): boolean {
  return typeof value === "number" || (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)));
}
