/**
 * A bench child's result among whatever else it printed (a log line, a
 * library's notice after the result): the last stdout line that parses as
 * JSON and carries the expected keys, or null when there is none.
 */
export function lastJsonLine<T>(stdout: string, isResult: (value: unknown) => value is T): T | null {
  const lines = stdout.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith("{")) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isResult(value)) return value;
    } catch {
      // Not JSON: a log line; keep looking.
    }
  }
  return null;
}

/** The result line of one onboarding scenario: `{ scenario, samples }`. */
export function isScenarioResult(name: string) {
  return (value: unknown): value is { scenario: string; samples: number[] } => {
    const v = value as { scenario?: unknown; samples?: unknown } | null;
    return typeof v === "object" && v !== null && v.scenario === name && Array.isArray(v.samples) && v.samples.every((s) => typeof s === "number");
  };
}
