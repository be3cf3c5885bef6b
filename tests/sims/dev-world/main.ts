import { fstatSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { zodIssueLines } from "../../../app/utils/zod-issues";
import { syntheticCompanies } from "../world/names";
import { LIMITED_VENDORS, startDevWorld, startVendorWorld } from "./dev-world";

/**
 * The whole offline dev world in one process: the fixture web and every
 * vendor simulator over one deterministic world.
 *
 *   npx tsx tests/sims/dev-world/main.ts --companies-file .data/registry-sample.json \
 *     --env-out .data/dev-world.env.json [--seed dev] [--profile fast|realistic] \
 *     [--fault-rate 0] [--base-port 4100] [--lusha-fallback] [--llm-model gpt-4o-mini] \
 *     [--service-log .data/served.jsonl] [--only llm|tavily|zerobounce]
 *
 * Writes the env for the platform's web and worker to --env-out (a JSON
 * object of strings), then prints one line {"ready":"<absolute env path>"},
 * and on stopping one line {"stopped":{"limitBreaches":{…}}}.
 * Without --companies-file it serves the demo companies plus 300 synthetic
 * ones. With --service-log, every answered request's injected service time
 * goes there as one JSON line (complete once the process has exited).
 * Stops on SIGINT/SIGTERM or when stdin (a pipe from the runner)
 * closes. Logs go to stderr. With --only <vendor> it serves that vendor's API
 * alone (its env and breaches only), for a runner that gives each vendor
 * with a rate limit a process of its own.
 */
const argsSchema = z.object({
  "companies-file": z.string().min(1).optional(),
  seed: z.string().min(1),
  "env-out": z.string().min(1, "--env-out is required"),
  profile: z.enum(["fast", "realistic"]),
  "fault-rate": z.coerce.number().min(0).max(1),
  "base-port": z.coerce.number().int().min(0).max(65_530).optional(),
  "lusha-fallback": z.boolean(),
  "llm-model": z.string().min(1).optional(),
  "service-log": z.string().min(1).optional(),
  only: z.enum(LIMITED_VENDORS).optional(),
});

const registrySchema = z.array(
  z.object({
    uen: z.string().min(1),
    name: z.string().min(1),
    ssicCode: z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
    ssicDescription: z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
  }),
);

const log = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    "companies-file": { type: "string" },
    seed: { type: "string", default: "dev" },
    "env-out": { type: "string", default: "" },
    profile: { type: "string", default: "fast" },
    "fault-rate": { type: "string", default: "0" },
    "base-port": { type: "string" },
    "lusha-fallback": { type: "boolean", default: false },
    "llm-model": { type: "string" },
    "service-log": { type: "string" },
    only: { type: "string" },
  },
});
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  log(
    `dev-world: ${zodIssueLines(parsed.error)
      .map((line) => `--${line}`)
      .join("; ")}`,
  );
  process.exit(2);
}
const args = parsed.data;

const companies = args["companies-file"] ? registrySchema.parse(JSON.parse(readFileSync(args["companies-file"], "utf8"))) : syntheticCompanies(300, args.seed);
const envOut = path.resolve(args["env-out"]);
const hostsFile = envOut.replace(/(\.json)?$/, ".crawler-hosts.json");

const worldOptions = {
  companies,
  seed: args.seed,
  profile: args.profile,
  faultRate: args["fault-rate"],
  basePort: args["base-port"],
  hostOverridesFile: hostsFile,
  llmModel: args["llm-model"],
  lushaFallback: args["lusha-fallback"],
  serviceLogFile: args["service-log"] ? path.resolve(args["service-log"]) : undefined,
  log: (line: string) => log(`dev-world: ${line}`),
};
// For the runner (a benchmark): how often the platform broke a vendor's own rate limit.
const devWorld = await (
  args.only
    ? startVendorWorld(args.only, worldOptions).then((w) => ({ ...w, limitBreaches: () => ({ [args.only!]: w.sim.stats.limitBreaches }) }))
    : startDevWorld(worldOptions).then((w) => ({
        ...w,
        limitBreaches: () => ({
          llm: w.vendors.llm.stats.limitBreaches,
          zerobounce: w.vendors.zerobounce.stats.limitBreaches,
          tavily: w.vendors.tavily.stats.limitBreaches,
        }),
      }))
).catch((error: unknown) => {
  log(`dev-world: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// Written whole, then renamed, so a reader never sees half a file.
writeFileSync(`${envOut}.tmp`, `${JSON.stringify(devWorld.env, null, 2)}\n`, { mode: 0o600 });
renameSync(`${envOut}.tmp`, envOut);
const t = devWorld.timings;
log(
  `dev-world: ready in ${t.totalMs} ms (world ${t.buildMs} ms, indexes ${t.indexMs} ms, servers ${t.listenMs} ms); profile ${args.profile}, fault rate ${args["fault-rate"]}; env in ${envOut}`,
);
process.stdout.write(`${JSON.stringify({ ready: envOut })}\n`);

let stopping = false;
async function stop(reason: string) {
  if (stopping) return;
  stopping = true;
  log(`dev-world: stopping (${reason})`);
  // A runner that is gone reads nothing.
  if (reason !== "stdin closed") process.stdout.write(`${JSON.stringify({ stopped: { limitBreaches: devWorld.limitBreaches() } })}\n`);
  await devWorld.close();
  // The env points at ports that are gone now.
  rmSync(envOut, { force: true });
  rmSync(hostsFile, { force: true });
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

// A runner talks to us over a pipe; when it dies the pipe closes. A terminal or
// /dev/null on stdin is not a runner, and /dev/null would read as closed at once.
const stdin = fstatSync(0);
if (stdin.isFIFO() || stdin.isSocket()) {
  process.stdin.on("end", () => void stop("stdin closed"));
  process.stdin.on("close", () => void stop("stdin closed"));
  process.stdin.resume();
}
