import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DEV_ONLY_FILES, DEV_ONLY_PACKAGES, packageName } from "../support/import-graph";
import { expect, test } from "./support/test";

/**
 * Node-only code must stay in `*.server.ts`: a Node library that reaches
 * the browser bundle breaks hydration (`Buffer is not defined`) while the
 * forms still post without JavaScript. Checks the build `npm run build`
 * wrote, which these journeys serve.
 */
const NODE_ONLY_MARKERS: Array<[string, RegExp]> = [
  ["Node's Buffer (e.g. csv-parse's BOM table)", /(?<![.\w$])Buffer\.(from|alloc|allocUnsafe|concat|byteLength)\(/],
  ["a node: import", /["'`]node:[a-z_/]+["'`]/],
  ["csv-parse", /csv-parse|CSV_INVALID_[A-Z_]+|CSV_RECORD_INCONSISTENT/],
  ["pg", /pg-protocol|pg-pool|pg-connection-string|new Pool\(\{/],
  ["Prisma", /PrismaClient|@prisma\/|prisma-client/],
  ["graphile-worker", /graphile-worker/],
];

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".js")).map((e) => path.join(e.parentPath, e.name));
}

test("the browser bundle holds no Node-only module", async () => {
  const files = await jsFiles(path.resolve("public/build"));
  expect(files.length).toBeGreaterThan(10);
  const found: string[] = [];
  for (const file of files) {
    const source = await readFile(file, "utf8");
    for (const [what, marker] of NODE_ONLY_MARKERS) {
      const hit = marker.exec(source);
      if (hit) found.push(`${path.relative("public/build", file)}: ${what} (${source.slice(Math.max(0, hit.index - 60), hit.index + 40)})`);
    }
  }
  expect(found).toEqual([]);
});

/**
 * The server build `npm start` serves loads no development-only module (the
 * dev IdP, the stand-ins, the demo registry generator) and imports none of the
 * development packages; esbuild's metafile lists what went into it.
 */
test("the server build holds no development-only module", async () => {
  const metafile = JSON.parse(await readFile(path.resolve("build/metafile.server.json"), "utf8")) as {
    inputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>;
  };
  const inputs = Object.keys(metafile.inputs);
  expect(inputs).toContain("app/root.tsx");
  expect(inputs.filter((input) => DEV_ONLY_FILES.test(input))).toEqual([]);
  const packages = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => packageName(i.path)));
  expect(packages.filter((p) => p !== null && DEV_ONLY_PACKAGES.includes(p))).toEqual([]);
});
