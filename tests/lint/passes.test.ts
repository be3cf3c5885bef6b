import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import projectConfig from "../../eslint.config.js";
import { noCycle } from "./no-cycle.js";
import { type LintPass, passOptions, programRules } from "./passes.js";

/**
 * `npm run lint`'s two ESLint passes over a small project of their own: each
 * reports its own rules' problems and unused disable comments, never the
 * other's, and together they report what one whole run reports.
 */
const files: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ include: ["**/*.ts"], compilerOptions: { strict: true, module: "ESNext", moduleResolution: "Bundler", noEmit: true } }),
  "a.ts": [
    "async function later(): Promise<number> {",
    "  return 1;",
    "}",
    "later();",
    "const unused = 2;",
    "// eslint-disable-next-line @typescript-eslint/no-floating-promises",
    "later();",
    "// eslint-disable-next-line no-unused-vars",
    "export const a = 1;",
    "",
  ].join("\n"),
  "b.ts": 'import { c } from "./c";\nexport const b = (): number => c();\n',
  "c.ts": 'import { b } from "./b";\nexport const c = (): number => b();\n',
};

const config: Linter.Config[] = [
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { "@typescript-eslint": tseslint.plugin as never, local: { rules: { "no-cycle": noCycle } } },
    rules: { "@typescript-eslint/no-floating-promises": "error", "local/no-cycle": "error", "no-unused-vars": "error" },
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "lint-passes-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lint(pass?: LintPass) {
  const options = pass ? passOptions(pass, config) : {};
  const overrides = [options.overrideConfig ?? []].flat();
  const eslint = new ESLint({ ...options, cwd: dir, cache: false, overrideConfigFile: true, overrideConfig: [...config, ...overrides] });
  const results = await eslint.lintFiles(["*.ts"]);
  return results
    .flatMap((result) => result.messages.map((message) => `${path.basename(result.filePath)}:${message.line} ${message.ruleId} ${message.message}`))
    .sort();
}

describe("lint passes", () => {
  test("the program pass reports the rules that read TypeScript's program, and only those", async () => {
    expect(await lint("program")).toEqual([
      "a.ts:4 @typescript-eslint/no-floating-promises Promises must be awaited, end with a call to .catch, end with a call to .then with a rejection handler or be explicitly marked as ignored with the `void` operator.",
      "b.ts:1 local/no-cycle Dependency cycle: b.ts → c.ts → b.ts",
      "c.ts:1 local/no-cycle Dependency cycle: c.ts → b.ts → c.ts",
    ]);
  });

  test("the syntax pass reports every other rule and its stale disable comments, without building the program", async () => {
    expect(await lint("syntax")).toEqual([
      "a.ts:5 no-unused-vars 'unused' is assigned a value but never used.",
      "a.ts:8 null Unused eslint-disable directive (no problems were reported from 'no-unused-vars').",
    ]);
  });

  test("together they report what one run of every rule reports", async () => {
    expect([...(await lint("program")), ...(await lint("syntax"))].sort()).toEqual(await lint());
  });

  test("the project's rules that read the program are the type-aware ones and the cycle check", async () => {
    const readsProgram = programRules(projectConfig);
    const forModule = (await new ESLint().calculateConfigForFile("app/db.server.ts")) as { rules: Record<string, Linter.RuleEntry> };
    const enabled = Object.entries(forModule.rules).filter(([, entry]) => (Array.isArray(entry) ? entry[0] : entry) !== 0);
    expect(enabled.map(([rule]) => rule).filter((rule) => readsProgram.has(rule))).toEqual([
      "@typescript-eslint/no-misused-promises",
      "@typescript-eslint/no-floating-promises",
      "local/no-cycle",
    ]);
  });
});
