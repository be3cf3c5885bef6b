import { defineConfig } from "@playwright/test";

/**
 * End-to-end journeys against the production build, served with the embedded
 * stand-ins by the dev runner on its own ports and data folder. The browser
 * is Debian's Chromium; Playwright never downloads one.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: [
      "node_modules/.bin/tsx app/cli/platform.ts --mode built --fresh --demo-crm",
      `--port ${PORT} --pg-port ${process.env.E2E_PG_PORT ?? 54349} --idp-port ${process.env.E2E_IDP_PORT ?? 4810}`,
      `--odoo-port ${process.env.E2E_ODOO_PORT ?? 8079} --world-port ${process.env.E2E_WORLD_PORT ?? 4200} --graph-port ${process.env.E2E_GRAPH_PORT ?? 0}`,
      `--mail-port ${process.env.E2E_MAIL_PORT ?? 0} --mail-smtp-port 0`,
      "--data-dir .data/e2e --database nexius_e2e",
    ].join(" "),
    // Slow enough that the setup screen's phases can be watched.
    env: { ...(process.env as Record<string, string>), ODOO_SIM_LATENCY_MS: "120" },
    // Readiness, not liveness: the journeys need the job worker up as well as the web server.
    url: `http://localhost:${PORT}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: process.env.E2E_SERVER_LOGS ? "pipe" : "ignore",
    stderr: "pipe",
  },
});
