import { config as epic } from "@epic-web/config/eslint";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { noCycle } from "./tests/lint/no-cycle.js";

/**
 * The Epic Stack's shared config, with our own import rules on top: imports
 * go one way (no cycles, resolved as tsc resolves them, `~/` alias included;
 * tests/lint/no-cycle.js reads them off the program the type-aware rules build,
 * where import/no-cycle parsed every module again), ordered with the `~/`
 * alias resolved across .ts and .tsx files.
 */
export default [
  { ignores: ["app/generated/**", "build/**", "public/build/**", ".data/**", "tests/.output/**", "test-results/**", "tmp/**"] },
  ...epic,
  {
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
  },
  {
    files: ["**/*.ts?(x)"],
    plugins: { local: { rules: { "no-cycle": noCycle } } },
    rules: { "local/no-cycle": "error" },
  },
  {
    // This file is tooling, not source: it takes its own rule from tests/lint.
    files: ["eslint.config.js"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tests import the app lazily, after their environment is set, and type
    // their handles with `typeof import(...)`.
    files: ["**/*.ts?(x)"],
    rules: {
      "@typescript-eslint/consistent-type-imports": ["warn", { prefer: "type-imports", disallowTypeAnnotations: false, fixStyle: "inline-type-imports" }],
    },
  },
  {
    // expect(value, message): the message names the case that failed in a loop.
    files: ["**/*.test.ts?(x)", "tests/**"],
    ignores: ["tests/e2e/**"],
    rules: { "vitest/valid-expect": ["error", { maxArgs: 2 }] },
  },
  {
    // Playwright fixtures hand their value on through a function named `use`;
    // it is not React's hook.
    // Journeys also read state the pages expose as data attributes (a stage
    // chip's data-state, a provisioning phase), which have no role to query.
    files: ["tests/e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off", "playwright/no-raw-locators": "off" },
  },
  {
    // Suites start their stand-ins (Postgres clone, simulators) once per file
    // and stop them in afterAll on purpose: per-test disposal would restart them.
    files: ["**/*.test.ts?(x)", "tests/**"],
    rules: { "epic-web/prefer-dispose-in-tests": "off" },
  },
];
