/**
 * A parameterised query with its values written in as literals, for the one
 * statement that takes no parameters: COPY. Only plain values are accepted
 * (text is quoted and escaped as Postgres's own escapeLiteral does), anything
 * else is refused rather than guessed at.
 */
export type ParameterisedQuery = { text: string; values: readonly unknown[] };

export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) throw new RangeError("a text value may not contain a NUL byte");
  const escaped = value.replace(/'/g, "''");
  // Like pg's escapeLiteral: a value with backslashes is an E'' string with them doubled.
  return value.includes("\\") ? ` E'${escaped.replace(/\\/g, "\\\\")}'` : `'${escaped}'`;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return quoteLiteral(value);
  if (value instanceof Date) return quoteLiteral(value.toISOString());
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(", ")}]`;
  throw new TypeError(`no literal for a ${typeof value} parameter`);
}

/** `$1`, `$2`… of the query's text replaced by its values as literals. */
export function withLiterals(query: ParameterisedQuery): string {
  return query.text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= query.values.length) throw new RangeError(`the query has no parameter $${n}`);
    return literal(query.values[index]);
  });
}
