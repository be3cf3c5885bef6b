import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { startStandIns, type StandIns } from "./stand-ins.server";

/**
 * What a command (`npm run nightly`, `npm run sync`) runs against: the
 * configured systems when DATABASE_URL is set, else the stand-ins of a
 * running `npm run dev`, else stand-ins of its own, so it works on a fresh
 * clone. Puts their env into process.env; returns what to stop at the end.
 */
export async function standInsForCommand(options: {
  command: string;
  dataDir: string;
  profile?: "fast" | "realistic";
  write: (name: string, text: string) => void;
}): Promise<StandIns | undefined> {
  const shared = runningDevStandIns(options.dataDir);
  if (shared) {
    options.write(options.command, "using the stand-ins of the running `npm run dev`\n");
    Object.assign(process.env, shared);
    return undefined;
  }
  if (process.env.DATABASE_URL) return undefined;
  const standIns = await startStandIns({
    dataDir: options.dataDir,
    database: "nexius",
    appUrl: process.env.APP_URL ?? "http://localhost:3000",
    ports: { pg: 54329, idp: 4800, odoo: 8069, world: 4100 },
    worldProfile: options.profile ?? "fast",
    out: options.write,
  });
  Object.assign(process.env, standIns.env);
  return standIns;
}

/** The stand-ins of a running `npm run dev`, if there is one. */
function runningDevStandIns(dataDir: string): Record<string, string> | null {
  const file = path.join(dataDir, "stand-ins.json");
  if (process.env.DATABASE_URL || !existsSync(file)) return null;
  const saved = JSON.parse(readFileSync(file, "utf8")) as { pid: number; env: Record<string, string> };
  try {
    process.kill(saved.pid, 0);
    return saved.env;
  } catch {
    return null;
  }
}
