/**
 * Reads the parts of schema.prisma that describe the database — models, their
 * table and column names, types and nullability — so the drift test can
 * compare them with the migrated database without Prisma's schema engine.
 */
export type PrismaColumn = {
  field: string;
  column: string;
  /** Postgres type as information_schema's udt_name reports it (e.g. text, uuid, timestamptz, _text). */
  udtName: string;
  /** For timestamps: fractional-second precision. */
  precision?: number;
  nullable: boolean;
};

export type PrismaTable = { model: string; table: string; columns: PrismaColumn[] };

const SCALARS: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Boolean: "bool",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
  Float: "float8",
  Decimal: "numeric",
};

const NATIVE: Record<string, string> = {
  Uuid: "uuid",
  Text: "text",
  VarChar: "varchar",
  Char: "bpchar",
  Timestamptz: "timestamptz",
  Timestamp: "timestamp",
  Date: "date",
  Integer: "int4",
  SmallInt: "int2",
  BigInt: "int8",
  DoublePrecision: "float8",
  Real: "float4",
  Decimal: "numeric",
  JsonB: "jsonb",
  Json: "json",
  Inet: "inet",
  Citext: "citext",
};

export function parsePrismaSchema(source: string): PrismaTable[] {
  const withoutComments = source.replace(/\/\/.*$/gm, "");
  const modelNames = new Set([...withoutComments.matchAll(/^\s*model\s+(\w+)\s*\{/gm)].map((m) => m[1]!));
  const enumNames = new Set([...withoutComments.matchAll(/^\s*enum\s+(\w+)\s*\{/gm)].map((m) => m[1]!));
  const tables: PrismaTable[] = [];

  for (const match of withoutComments.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)) {
    const model = match[1]!;
    const body = match[2]!;
    const tableMap = body.match(/@@map\("([^"]+)"\)/);
    const columns: PrismaColumn[] = [];
    for (const rawLine of body.split("\n")) {
      const line = rawLine.trim();
      if (!line || line.startsWith("@@")) continue;
      const field = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/);
      if (!field) continue;
      const [, name, type, list, optional, rest] = field as unknown as [string, string, string, string | undefined, string | undefined, string];
      if (modelNames.has(type)) continue; // relation field: no column of its own
      if (enumNames.has(type)) throw new Error(`Enum ${type} in ${model}: use text with a CHECK constraint instead`);
      const scalar = SCALARS[type];
      if (!scalar) throw new Error(`Unknown Prisma type ${type} on ${model}.${name}`);
      const native = rest.match(/@db\.(\w+)(?:\((\d+)(?:,\s*\d+)?\))?/);
      let udtName = native ? NATIVE[native[1]!] : scalar;
      if (!udtName) throw new Error(`Unknown native type @db.${native![1]} on ${model}.${name}`);
      let precision: number | undefined;
      // information_schema reports a precision for timestamp columns but not for arrays of them.
      if (!list && (udtName === "timestamp" || udtName === "timestamptz")) precision = native?.[2] ? Number(native[2]) : 3;
      if (list) udtName = `_${udtName}`;
      const mapped = rest.match(/@map\("([^"]+)"\)/);
      columns.push({
        field: name,
        column: mapped ? mapped[1]! : name,
        udtName,
        precision,
        // Prisma has no optional lists; our SQL makes list columns NOT NULL with a default.
        nullable: Boolean(optional),
      });
    }
    tables.push({ model, table: tableMap ? tableMap[1]! : model, columns });
  }
  return tables;
}
