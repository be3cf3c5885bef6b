import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { buildWorld } from "../world/index";
import { DEMO_COMPANIES, syntheticCompanies } from "../world/names";
import { startFixtureWeb } from "./server";

/**
 * The dev world's web, standalone:
 *
 *   npx tsx tests/sims/web/main.ts --port 4100 --seed dev --synthetic 300 \
 *     [--companies-file registry.json] [--overrides-out .data/crawler-overrides.json] \
 *     [--latency 0] [--fault-rate 0] [--slow-ms 1200]
 *
 * Prints one JSON line {"ready": url, "port", "hosts", "overrides"?} when
 * listening, so a dev runner can wait for it. --companies-file takes a JSON
 * array of { uen, name, ssicCode?, ssicDescription? }; the demo companies are
 * always added.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4100" },
    seed: { type: "string", default: "dev" },
    synthetic: { type: "string", default: "300" },
    "companies-file": { type: "string" },
    "overrides-out": { type: "string" },
    latency: { type: "string", default: "0" },
    "fault-rate": { type: "string", default: "0" },
    "slow-ms": { type: "string", default: "1200" },
  },
});

const registrySchema = z.array(
  z.object({ uen: z.string().min(1), name: z.string().min(1), ssicCode: z.string().optional(), ssicDescription: z.string().optional() }),
);

const fromFile = values["companies-file"] ? registrySchema.parse(JSON.parse(readFileSync(values["companies-file"], "utf8"))) : [];
const world = buildWorld([...DEMO_COMPANIES, ...fromFile, ...syntheticCompanies(Number(values.synthetic), values.seed)], {
  seed: values.seed!,
  slowMs: Number(values["slow-ms"]),
});
const web = await startFixtureWeb({
  world,
  port: Number(values.port),
  latencyMs: Number(values.latency),
  faultRate: Number(values["fault-rate"]),
});
if (values["overrides-out"]) writeFileSync(values["overrides-out"], JSON.stringify(web.overrides(), null, 2));
console.log(JSON.stringify({ ready: web.url, port: web.port, hosts: web.hosts().length, overrides: values["overrides-out"] }));

const stop = async () => {
  await web.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
