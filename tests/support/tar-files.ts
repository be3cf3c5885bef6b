import { Readable } from "node:stream";
import tar from "tar-stream";

/** The files of a tar archive by name, as text (the data-subject archive's JSON and CSV files). */
export async function tarTextFiles(archive: Buffer): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c) => chunks.push(c as Buffer));
      stream.on("end", () => {
        files[header.name] = Buffer.concat(chunks).toString("utf8");
        next();
      });
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  Readable.from(archive).pipe(extract);
  await done;
  return files;
}
