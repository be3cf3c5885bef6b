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

/** Sends a documented request as it is written to a server (our simulator), and reads the JSON answer. */
export async function sendDocumented(baseUrl: string, exchange: DocumentedExchange): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${exchange.request.path}`, {
    method: exchange.request.method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(exchange.request.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
