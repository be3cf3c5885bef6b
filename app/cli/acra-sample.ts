import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { acraSampleStream, SAMPLE_DEFAULT_SEED } from "../registry/sample-generator";

/**
 * `npm run acra:sample -- --rows N --out FILE [--seed S] [--layout legacy|current] [--clean]`
 * Writes a realistic ACRA entities CSV. Same arguments, same bytes.
 * --clean leaves out the deliberately malformed rows and duplicate UENs.
 */
const { values } = parseArgs({
  options: {
    rows: { type: "string" },
    out: { type: "string" },
    seed: { type: "string", default: String(SAMPLE_DEFAULT_SEED) },
    layout: { type: "string", default: "legacy" },
    clean: { type: "boolean", default: false },
  },
});

const rows = Number(values.rows);
const seed = Number(values.seed);
if (!Number.isInteger(rows) || rows < 0 || !values.out || !Number.isInteger(seed) || (values.layout !== "legacy" && values.layout !== "current")) {
  console.error("usage: npm run acra:sample -- --rows N --out FILE [--seed S] [--layout legacy|current] [--clean]");
  process.exit(2);
}

const started = Date.now();
await pipeline(
  acraSampleStream({ rows, seed, layout: values.layout, ...(values.clean ? { malformedRate: 0, duplicateRate: 0 } : {}) }),
  createWriteStream(values.out),
);
process.stdout.write(`${JSON.stringify({ rows, seed, out: values.out, seconds: (Date.now() - started) / 1000 })}\n`);
