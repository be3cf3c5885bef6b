/**
 * How a standalone simulator started by the dev runner ends: on SIGINT or
 * SIGTERM, or when its stdin closes (the runner died), it closes once and exits.
 */
export function stopOnExit(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
}
