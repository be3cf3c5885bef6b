import { parseArgs } from "node:util";
import { generateAcraSampleLines } from "../../../app/registry/sample-generator";
import { startDatagovSim } from "./server";

/**
 * `npx tsx tests/sims/datagov/main.ts --port 4010 --rows 3000`: a data.gov.sg
 * stand-in serving collection 2 with two generated ACRA datasets. Point
 * DATAGOV_DOWNLOAD_API_URL and DATAGOV_METADATA_API_URL at it.
 */
const { values } = parseArgs({ options: { port: { type: "string", default: "4010" }, rows: { type: "string", default: "3000" } } });
const rows = Number(values.rows);
const csv = (seed: number) => [...generateAcraSampleLines({ rows, seed, includeDemoCompanies: seed === 1 })].join("");
const A = "d_8575e84912df3c28995b8e6e0e05205a";
const Z = "d_4e3db8955fdcda6f9944097bef3d2724";
const sim = await startDatagovSim({
  port: Number(values.port),
  datasets: {
    [A]: { name: "ACRA Information on Corporate Entities ('A')", csv: csv(1), lastUpdatedAt: "2026-09-16T10:00:50+08:00" },
    [Z]: { name: "ACRA Information on Corporate Entities ('Z')", csv: csv(2), lastUpdatedAt: "2026-09-16T10:01:02+08:00" },
  },
  collections: { "2": { name: "ACRA Information on Corporate Entities", lastUpdatedAt: "2026-09-16T10:04:13+08:00", childDatasets: [A, Z] } },
});
console.log(JSON.stringify({ ready: sim.url, datasets: [A, Z], collection: "2" }));
process.on("SIGINT", () => void sim.stop().then(() => process.exit(0)));
process.on("SIGTERM", () => void sim.stop().then(() => process.exit(0)));
