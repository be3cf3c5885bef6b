import { config as epic } from "@epic-web/config/eslint";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/**
 * The Epic Stack's shared config, with our own import rules on top: imports
 * go one way (no cycles, resolved through the `~/` alias
 * like tsc does, across .ts and .tsx files).
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
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // expect(value, message): the message names the case that failed in a loop.
    files: ["**/*.test.ts", "tests/**"],
    rules: { "vitest/valid-expect": ["error", { maxArgs: 2 }] },
  },
];
