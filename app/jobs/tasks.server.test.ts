import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { taskDefinitions } from "./tasks.server";

describe("the task registry", () => {
  it("registers every file in tasks/ under its file name, and nothing else", () => {
    const files = readdirSync("tasks")
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(Object.keys(taskDefinitions).sort()).toEqual(files);
    for (const [name, definition] of Object.entries(taskDefinitions)) expect(definition.name).toBe(name);
  });

  it("names each task the way the crontab refers to it", async () => {
    const { readFile } = await import("node:fs/promises");
    const { parseCrontab } = await import("graphile-worker");
    const items = parseCrontab(await readFile("crontab", "utf8"));
    for (const item of items) expect(Object.keys(taskDefinitions)).toContain(item.task);
  });
});
