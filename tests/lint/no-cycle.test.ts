import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ESLint } from "eslint";
import { parser } from "typescript-eslint";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { noCycle } from "./no-cycle.js";

/**
 * The rule over a small project of its own: modules that import each other
 * back by value (statically, through the `~/` alias, dynamically, in a ring of
 * three) are reported at each import that closes a cycle, and type-only
 * imports back are not.
 */
const files: Record<string, string> = {
  "tsconfig.json": JSON.stringify({
    include: ["**/*.ts"],
    compilerOptions: { strict: true, module: "ESNext", moduleResolution: "Bundler", noEmit: true, baseUrl: ".", paths: { "~/*": ["./*"] } },
  }),
  "a.ts": 'import { b } from "./b";\nimport { c } from "./c";\nexport const a = (): number => b() + c;\nexport type A = number;\n',
  "b.ts": 'import { a } from "~/a";\nexport const b = (): number => a();\n',
  "c.ts": 'import { type A } from "./a";\nexport type { A as Alias } from "./a";\nexport const c: A = 1;\n',
  "d.ts": 'export async function d(): Promise<number> {\n  const { e } = await import("./e");\n  return e;\n}\n',
  "e.ts": 'import { d } from "./d";\nexport const e = 1;\nexport const later = d;\n',
  "f.ts": 'import { g } from "./g";\nexport const f = (): number => g();\n',
  "g.ts": 'import { h } from "./h";\nexport const g = (): number => h();\n',
  "h.ts": 'import { f } from "./f";\nexport const h = (): number => f();\n',
  "i.ts": 'import { f } from "./f";\nexport const i = f;\n',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "no-cycle-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("no-cycle", () => {
  test("reports each import that closes a cycle, with the way back", async () => {
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ["**/*.ts"],
          languageOptions: { parser, parserOptions: { project: "./tsconfig.json", tsconfigRootDir: dir } },
          plugins: { local: { rules: { "no-cycle": noCycle } } },
          rules: { "local/no-cycle": "error" },
        },
      ],
    });
    const results = await eslint.lintFiles(["*.ts"]);
    const reported = results.flatMap((result) =>
      result.messages.map((message) => `${path.basename(result.filePath)}:${message.line}:${message.column} ${message.ruleId} ${message.message}`),
    );
    expect(reported).toEqual([
      "a.ts:1:1 local/no-cycle Dependency cycle: a.ts → b.ts → a.ts",
      "b.ts:1:1 local/no-cycle Dependency cycle: b.ts → a.ts → b.ts",
      "d.ts:2:23 local/no-cycle Dependency cycle: d.ts → e.ts → d.ts",
      "e.ts:1:1 local/no-cycle Dependency cycle: e.ts → d.ts → e.ts",
      "f.ts:1:1 local/no-cycle Dependency cycle: f.ts → g.ts → h.ts → f.ts",
      "g.ts:1:1 local/no-cycle Dependency cycle: g.ts → h.ts → f.ts → g.ts",
      "h.ts:1:1 local/no-cycle Dependency cycle: h.ts → f.ts → g.ts → h.ts",
    ]);
  });

  test("the project's config runs it on TypeScript modules", async () => {
    const config = (await new ESLint().calculateConfigForFile("app/root.tsx")) as { rules: Record<string, unknown> };
    expect(config.rules["local/no-cycle"]).toEqual([2]);
  });
});
