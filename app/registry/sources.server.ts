import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { type Readable } from "node:stream";
import { createDatagovClient, openUrl, redactQuery, type DatagovConfig } from "./datagov.server";

/**
 * Where registry CSVs come from: a local file, a folder (the 27 files A–Z and
 * Others), an http(s) URL, a data.gov.sg dataset (`dataset:d_…`) or a whole
 * collection (`collection:2`). Files open lazily, one at a time.
 */
export type SourceFile = {
  name: string;
  /** Bytes, when known before reading (for progress and ETA). */
  size?: number;
  /** For local files: where it is. */
  path?: string;
  open(): Promise<{ stream: Readable; size?: number }>;
};

export type SourceKind = "file" | "folder" | "url" | "dataset" | "collection";

export type ResolvedSource = { spec: string; kind: SourceKind; files: SourceFile[] };

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceError";
  }
}

export function sourceKindOf(spec: string): SourceKind | "path" {
  if (/^dataset:/i.test(spec)) return "dataset";
  if (/^collection:/i.test(spec)) return "collection";
  if (/^https?:\/\//i.test(spec)) return "url";
  return "path";
}

function localFile(file: string, size: number): SourceFile {
  return { name: path.basename(file), size, path: file, open: async () => ({ stream: createReadStream(file, { highWaterMark: 1 << 20 }), size }) };
}

export async function resolveSource(spec: string, datagov?: DatagovConfig): Promise<ResolvedSource> {
  const kind = sourceKindOf(spec);
  if (kind === "dataset" || kind === "collection") {
    if (!datagov) throw new SourceError(`${spec}: data.gov.sg is not configured`);
    const client = createDatagovClient(datagov);
    const id = spec.slice(spec.indexOf(":") + 1).trim();
    const datasetFile = (datasetId: string): SourceFile => ({
      name: datasetId,
      open: async () => client.openDataset(datasetId),
    });
    if (kind === "dataset") return { spec, kind, files: [datasetFile(id)] };
    const collection = await client.collectionMetadata(id);
    if (!collection.childDatasets.length) throw new SourceError(`${spec}: the collection lists no datasets`);
    return { spec, kind, files: collection.childDatasets.map(datasetFile) };
  }
  if (kind === "url") {
    return { spec, kind, files: [{ name: redactQuery(spec), open: async () => openUrl(spec) }] };
  }
  let info;
  try {
    info = await stat(spec);
  } catch {
    throw new SourceError(`${spec}: no such file or folder`);
  }
  if (info.isFile()) return { spec, kind: "file", files: [localFile(spec, info.size)] };
  const names = (await readdir(spec)).filter((n) => n.toLowerCase().endsWith(".csv")).sort();
  if (!names.length) throw new SourceError(`${spec}: the folder has no .csv files`);
  const files = await Promise.all(names.map(async (n) => localFile(path.join(spec, n), (await stat(path.join(spec, n))).size)));
  return { spec, kind: "folder", files };
}
