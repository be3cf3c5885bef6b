/**
 * A download produced only as fast as the client reads it: the producer
 * awaits `ready()` before each batch, which resolves once the stream wants
 * more (or the client has gone, when it answers false and the producer stops).
 * Memory stays at a few batches whatever the size of the export.
 */
export type PacedWriter = {
  /** Queues text for the client (dropped once the client has gone). */
  send(text: string): void;
  /** Resolves when the client wants more: true to go on, false when it went away. */
  ready(): Promise<boolean>;
};

export function pacedStream(
  produce: (out: PacedWriter) => Promise<void>,
  ended: (outcome: { error: unknown; cancelled: boolean }) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cancelled = false;
  let demand: (() => void) | null = null;
  const wake = () => {
    demand?.();
    demand = null;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const out: PacedWriter = {
          send: (text) => {
            if (!cancelled) controller.enqueue(encoder.encode(text));
          },
          ready: () =>
            new Promise<boolean>((resolve) => {
              if (cancelled || (controller.desiredSize ?? 0) > 0) resolve(!cancelled);
              else demand = () => resolve(!cancelled);
            }),
        };
        produce(out).then(
          () => {
            ended({ error: null, cancelled });
            if (!cancelled) controller.close();
          },
          (error: unknown) => {
            ended({ error, cancelled });
            if (!cancelled) controller.error(error);
          },
        );
      },
      pull: wake,
      cancel() {
        cancelled = true;
        wake();
      },
    },
    // Chunks of one batch each; a few in flight keep Postgres and the socket busy together.
    { highWaterMark: 4 },
  );
}
