import { crc32 } from "node:zlib";
import { duplicateDatabaseError, invalidCatalogName, operationalError, plainException, typeError, valueError } from "./errors";
import { SimDatabase } from "./orm";

/**
 * The `db` service's backups, after Odoo's odoo/service/db.py:
 * `dump(passwd, db_name, backup_format)` returns the backup as base64 — for
 * "zip", an archive of dump.sql, manifest.json and filestore/ (here the
 * simulated database's JSON in place of the SQL); `restore(passwd, db_name,
 * data, copy=False)` takes such base64 data and refuses a database that
 * already exists ("Database already exists"), as restore_db does.
 */

type ZipEntry = { name: string; data: Buffer };

/** A zip archive with stored (uncompressed) entries: what `unzip` and Python's zipfile read. */
export function zipStored(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time and date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The entries of a stored zip (what zipStored writes); anything else is not a backup the simulator made. */
export function unzipStored(archive: Buffer): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 4 <= archive.length && archive.readUInt32LE(at) === 0x04034b50) {
    if (archive.readUInt16LE(at + 8) !== 0) throw new Error("compressed zip entries are not supported");
    const size = archive.readUInt32LE(at + 18);
    const nameLength = archive.readUInt16LE(at + 26);
    const extraLength = archive.readUInt16LE(at + 28);
    const name = archive.subarray(at + 30, at + 30 + nameLength).toString("utf8");
    const start = at + 30 + nameLength + extraLength;
    entries.push({ name, data: archive.subarray(start, start + size) });
    at = start + size;
  }
  return entries;
}

export function dumpDatabase(db: SimDatabase, format: unknown, version: string): string {
  const saved = db.dump();
  if (format === "dump") return Buffer.from(JSON.stringify(saved)).toString("base64");
  if (format !== "zip") throw valueError(`Unknown backup format ${String(format)}`);
  const modules = Object.fromEntries(
    Object.values(db.table("ir.module.module"))
      .filter((m) => m.state === "installed")
      .map((m) => [String(m.name), version]),
  );
  const manifest = {
    odoo_dump: "1",
    db_name: db.name,
    version,
    version_info: version.split(".").map(Number),
    major_version: version,
    pg_version: "16.0",
    modules,
  };
  return zipStored([
    { name: "dump.sql", data: Buffer.from(JSON.stringify(saved)) },
    { name: "manifest.json", data: Buffer.from(JSON.stringify(manifest, null, 4)) },
  ]).toString("base64");
}

export function restoreDatabase(databases: Map<string, SimDatabase>, name: unknown, data: unknown): true {
  if (typeof name !== "string" || !name) throw plainException("exp_restore() missing required argument: 'db_name'");
  if (databases.has(name)) throw plainException("Database already exists");
  if (typeof data !== "string") throw plainException("exp_restore() missing required argument: 'data'");
  const archive = Buffer.from(data, "base64");
  const dump = unzipStored(archive).find((e) => e.name === "dump.sql")?.data ?? archive;
  let saved: ReturnType<SimDatabase["dump"]>;
  try {
    saved = JSON.parse(dump.toString("utf8")) as ReturnType<SimDatabase["dump"]>;
  } catch {
    throw plainException("Couldn't restore database");
  }
  databases.set(name, SimDatabase.restore({ ...saved, name }));
  return true;
}

export function databaseToDump(databases: Map<string, SimDatabase>, name: unknown): SimDatabase {
  const db = typeof name === "string" ? databases.get(name) : undefined;
  if (!db) throw operationalError(`FATAL:  database "${String(name)}" does not exist\n`);
  return db;
}

/**
 * Odoo's exp_duplicate_database(db_original_name, db_name, neutralize_database=False):
 * CREATE DATABASE db_name TEMPLATE db_original_name, so the copy holds the
 * template's data and psycopg2's errors reach the caller unchanged.
 */
export function duplicateDatabase(databases: Map<string, SimDatabase>, source: unknown, target: unknown): true {
  if (typeof source !== "string" || !source) throw typeError("exp_duplicate_database() missing required argument: 'db_original_name'");
  if (typeof target !== "string" || !target) throw typeError("exp_duplicate_database() missing required argument: 'db_name'");
  const original = databases.get(source);
  if (!original) throw invalidCatalogName(`template database "${source}" does not exist\n`);
  if (databases.has(target)) throw duplicateDatabaseError(target);
  databases.set(target, SimDatabase.restore({ ...original.dump(), name: target }));
  return true;
}
