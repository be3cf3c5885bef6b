import { readFileSync } from "node:fs";
import path from "node:path";

/** A vendor's documented exchange: what to send and what comes back. */
export type DocumentedExchange = {
  request: {
    method: "GET" | "POST";
    path: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: unknown;
  };
  response: { status: number; body: unknown };
};

const FIXTURES = path.resolve(import.meta.dirname, "..", "fixtures");

export function loadExchange(vendor: string, name: string): DocumentedExchange {
  return JSON.parse(readFileSync(path.join(FIXTURES, vendor, `${name}.json`), "utf8")) as DocumentedExchange;
}
