import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGraph, packageName } from "./import-graph";

describe("packageName", () => {
  it("names the package of a bare specifier and skips Node builtins", () => {
    expect(packageName("@prisma/client/runtime")).toBe("@prisma/client");
    expect(packageName("oidc-provider")).toBe("oidc-provider");
    expect(packageName("zod/v4")).toBe("zod");
    expect(packageName("node:fs")).toBeNull();
  });
});

describe("importGraph", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "import-graph-"));
    await mkdir(path.join(root, "app/dev"), { recursive: true });
    await mkdir(path.join(root, "app/cli"), { recursive: true });
    await writeFile(path.join(root, "app/cli/serve.ts"), `import { a } from "../a";\nimport express from "express";\n`);
    await writeFile(path.join(root, "app/a.ts"), `export type { T } from "~/types";\nexport const a = () => import("./dev/idp.server");\n`);
    await writeFile(path.join(root, "app/types.ts"), `export type T = string;\n`);
    await writeFile(path.join(root, "app/broken.ts"), `import { gone } from "./gone";\n`);
    await writeFile(path.join(root, "app/dev/idp.server.ts"), `import Provider from "oidc-provider";\nimport { readFile } from "node:fs";\n`);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("follows imports, re-exports, the ~ alias and literal dynamic imports, with the chain to each file", () => {
    const graph = importGraph(root, ["app/cli/serve.ts"]);
    expect(Object.fromEntries(graph.files)).toEqual({
      "app/cli/serve.ts": ["app/cli/serve.ts"],
      "app/a.ts": ["app/cli/serve.ts", "app/a.ts"],
      "app/types.ts": ["app/cli/serve.ts", "app/a.ts", "app/types.ts"],
      "app/dev/idp.server.ts": ["app/cli/serve.ts", "app/a.ts", "app/dev/idp.server.ts"],
    });
    expect([...graph.packages].sort()).toEqual(["express", "oidc-provider"]);
  });

  it("stops on an import it cannot resolve", () => {
    expect(() => importGraph(root, ["app/broken.ts"])).toThrow("app/broken.ts: cannot resolve ./gone");
  });
});
