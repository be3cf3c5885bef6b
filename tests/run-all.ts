import { spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";

/**
 * `npm test`: unit + integration (vitest), then the production build and the
 * browser journeys (playwright). The last line is the total over both
 * runners, read from their JSON reports: `tests: N passed, M failed`.
 */
const OUTPUT = path.resolve("tests/.output");
const VITEST_JSON = path.join(OUTPUT, "vitest.json");
const PLAYWRIGHT_JSON = path.join(OUTPUT, "playwright.json");

type Count = { passed: number; failed: number; note?: string };

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function vitest(): Promise<Count> {
  const code = await run("node_modules/.bin/vitest", ["run"], { VITEST_JSON_OUTPUT: VITEST_JSON });
  const report = await readJson<{ numPassedTests: number; numFailedTests: number; numTotalTests: number }>(VITEST_JSON);
  if (!report) return { passed: 0, failed: 1, note: `vitest exited ${code} without a report` };
  const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
  return { passed: report.numPassedTests, failed, note: failed > report.numFailedTests ? `vitest exited ${code}` : undefined };
}

async function playwright(): Promise<Count> {
  const built = await run("npm", ["run", "build", "--silent"]);
  if (built !== 0) return { passed: 0, failed: 1, note: "the production build failed" };
  const code = await run("node_modules/.bin/playwright", ["test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_JSON });
  const report = await readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(PLAYWRIGHT_JSON);
  if (!report) return { passed: 0, failed: 1, note: `playwright exited ${code} without a report` };
  const failed = report.stats.unexpected + (code !== 0 && report.stats.unexpected === 0 ? 1 : 0);
  return {
    passed: report.stats.expected + report.stats.flaky,
    failed,
    note: failed > report.stats.unexpected ? `playwright exited ${code}` : undefined,
  };
}

await rm(OUTPUT, { recursive: true, force: true });
await mkdir(OUTPUT, { recursive: true });
const only = process.argv[2];
const results: Array<[string, Count]> = [];
if (only !== "e2e") results.push(["vitest", await vitest()]);
if (only !== "unit") results.push(["playwright", await playwright()]);

for (const [name, count] of results) {
  console.log(`${name}: ${count.passed} passed, ${count.failed} failed${count.note ? ` (${count.note})` : ""}`);
}
const passed = results.reduce((n, [, c]) => n + c.passed, 0);
const failed = results.reduce((n, [, c]) => n + c.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
