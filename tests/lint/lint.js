/**
 * `npm run lint`: ESLint's two passes (tests/lint/passes.js) and Prettier's
 * check, all three at once, each in a process of its own. Each report is
 * printed whole when its check ends; the exit code is non-zero if any check
 * failed. ESLint fails on any warning, as `--max-warnings 0` does.
 *
 * `node tests/lint/lint.js program|syntax` runs one ESLint pass.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LINT_PASSES, passOptions } from "./passes.js";

/** @param {import("./passes.js").LintPass} pass */
async function runPass(pass) {
  // Loaded here, not at the top: the process that only starts the checks needs neither.
  const [{ ESLint }, { default: config }] = await Promise.all([import("eslint"), import("../../eslint.config.js")]);
  const eslint = new ESLint(passOptions(pass, config));
  const results = await eslint.lintFiles(["."]);
  const formatter = await eslint.loadFormatter("stylish");
  const report = await formatter.format(results);
  if (report) process.stdout.write(report);
  const problems = results.reduce((sum, result) => sum + result.errorCount + result.warningCount + result.fatalErrorCount, 0);
  process.exitCode = problems === 0 ? 0 : 1;
}

function prettierBin() {
  const require = createRequire(import.meta.url);
  const manifest = require("prettier/package.json");
  return path.join(path.dirname(require.resolve("prettier/package.json")), manifest.bin);
}

/** @param {string} name @param {string[]} args */
function check(name, args) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    /** @type {Buffer[]} */
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("close", (code, signal) => {
      const report = Buffer.concat(output).toString().trimEnd();
      if (report) process.stdout.write(`${report}\n`);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      resolve({ ok: code === 0, summary: `${name} ${code === 0 ? "passed" : `failed (${signal ?? `exit ${code}`})`} in ${seconds} s` });
    });
  });
}

const pass = process.argv[2];
if (pass === undefined) {
  const self = fileURLToPath(import.meta.url);
  const results = await Promise.all([
    ...LINT_PASSES.map((name) => check(`eslint (${name})`, [self, name])),
    check("prettier", [prettierBin(), "--cache", "--check", "."]),
  ]);
  for (const result of results) console.log(result.summary);
  process.exitCode = results.every((result) => result.ok) ? 0 : 1;
} else if (LINT_PASSES.includes(/** @type {never} */ (pass))) {
  await runPass(/** @type {import("./passes.js").LintPass} */ (pass));
} else {
  console.error(`usage: node tests/lint/lint.js [${LINT_PASSES.join("|")}]`);
  process.exitCode = 2;
}
