/** A webhook delivery with its attempts, as the delivery log shows it (instants as Dates on the server, strings once serialized). Browser-safe. */
export type DeliveryLogEntry<Instant = Date> = {
  id: string;
  endpointUrl: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  replayOf: string | null;
  createdAt: Instant;
  deliveredAt: Instant | null;
  log: Array<{ attempt: number; statusCode: number | null; durationMs: number; error: string | null; createdAt: Instant }>;
};
