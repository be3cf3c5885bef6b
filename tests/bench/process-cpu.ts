import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * CPU time from Linux's /proc, for the benchmarks' CPU-per-item figures.
 * Clock ticks are 100 a second on every Linux the project runs on
 * (USER_HZ, fixed by the kernel's ABI).
 */
const TICKS_PER_SECOND = 100;

type Stat = { ppid: number; ticks: number; childTicks: number };

async function stat(pid: number): Promise<Stat | null> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!text) return null;
  // The command name (field 2) may hold spaces; the fields after it are numbers.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const n = (i: number) => Number(fields[i - 3]);
  return { ppid: n(4), ticks: n(14) + n(15), childTicks: n(16) + n(17) };
}

/**
 * CPU seconds a process and its children used so far: its own time, its
 * reaped children's, and the running children's. Taken before and after, the
 * difference counts the children that came and went between (Postgres
 * backends, reaped by the postmaster) as well.
 */
export async function treeCpuSeconds(pid: number): Promise<number | null> {
  const root = await stat(pid);
  if (!root) return null;
  let ticks = root.ticks + root.childTicks;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const child = await stat(Number(entry));
    if (child?.ppid === pid) ticks += child.ticks + child.childTicks;
  }
  return ticks / TICKS_PER_SECOND;
}

/** The postmaster's pid of a Postgres data directory, or null when it is not running there. */
export async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => null);
  const pid = Number(text?.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}
