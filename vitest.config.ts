import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Two projects. `unit`: the browser-safe modules' tests under app/ (pure
 * functions and components) and the lint rules' tests, run in one reused
 * process each, without a database. `integration`: the server modules' tests and everything under
 * tests/, each file in a fresh process with its own database cloned from the
 * migrated template, so modules that read DATABASE_URL at import connect there.
 */
const UNIT = ["app/**/*.test.{ts,tsx}", "tests/lint/**/*.test.ts"];
const NOT_UNIT = ["app/**/*.server.test.ts", "app/routes/**"];

export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    pool: "forks",
    // Vitest's default is one worker fewer than the CPUs (one on a 2-core CI
    // machine); test files spend much of their time waiting on Postgres, the
    // simulators and child processes, so one per CPU keeps them busy.
    maxWorkers: availableParallelism(),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.VITEST_JSON_OUTPUT ? ["default", ["json", { outputFile: process.env.VITEST_JSON_OUTPUT }]] : ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: UNIT,
          exclude: [...NOT_UNIT, "node_modules/**"],
          setupFiles: ["tests/setup/fail-on-error-logs.ts"],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: [...NOT_UNIT.map((glob) => glob.replace(/\*\*$/, "**/*.test.{ts,tsx}")), "tests/**/*.test.ts"],
          exclude: ["tests/e2e/**", "tests/lint/**", "node_modules/**"],
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/fail-on-error-logs.ts", "tests/setup/test-database.ts"],
        },
      },
    ],
  },
});
