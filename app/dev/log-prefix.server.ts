/**
 * Turns the JSON log lines of child processes into short readable lines with
 * a coloured prefix per process, for the dev runner's terminal.
 */
const COLORS = [36, 35, 33, 32, 34, 31, 96, 95];
const LEVEL_COLORS: Record<string, number> = { error: 31, fatal: 31, warn: 33, info: 32, debug: 90, trace: 90 };

export function prefixedWriter(stream: NodeJS.WritableStream = process.stdout) {
  const assigned = new Map<string, number>();
  const color = stream === process.stdout && process.stdout.isTTY;
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const width = 8;
  const partial = new Map<string, string>();

  return (name: string, chunk: string) => {
    if (!assigned.has(name)) assigned.set(name, COLORS[assigned.size % COLORS.length]!);
    const text = (partial.get(name) ?? "") + chunk;
    const lines = text.split("\n");
    partial.set(name, chunk.endsWith("\n") ? "" : (lines.pop() ?? ""));
    if (chunk.endsWith("\n")) lines.pop();
    const prefix = paint(assigned.get(name)!, `[${name}]`.padEnd(width + 2));
    for (const line of lines) {
      if (!line.trim()) continue;
      stream.write(`${prefix} ${formatLine(line, paint)}\n`);
    }
  };
}

export function formatLine(line: string, paint: (code: number, text: string) => string = (_c, t) => t): string {
  if (!line.startsWith("{")) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { level, msg, time, service: _service, pid: _pid, hostname: _hostname, ...rest } = entry;
    if (typeof msg !== "string") return line;
    const levelName = String(level ?? "info");
    const clock = typeof time === "string" ? time.slice(11, 19) : "";
    const extras = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    return `${clock} ${paint(LEVEL_COLORS[levelName] ?? 37, levelName.padEnd(5))} ${msg}${extras}`;
  } catch {
    return line;
  }
}
