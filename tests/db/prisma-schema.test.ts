import { describe, expect, it } from "vitest";
import { parsePrismaSchema } from "./prisma-schema";

describe("parsePrismaSchema", () => {
  it("maps models to tables and fields to columns with Postgres types and nullability", () => {
    const [table] = parsePrismaSchema(`
      model Thing {
        id        String   @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
        tenantId  String   @map("tenant_id") @db.Uuid
        label     String?  // a comment
        tags      String[] @default([])
        count     Int
        seenAt    DateTime? @map("seen_at") @db.Timestamptz(6)
        createdAt DateTime  @default(now())
        owner     Owner    @relation(fields: [tenantId], references: [id])
        @@map("things")
      }
      model Owner {
        id String @id @db.Uuid
        things Thing[]
      }
    `);
    expect(table).toEqual({
      model: "Thing",
      table: "things",
      columns: [
        { field: "id", column: "id", udtName: "uuid", precision: undefined, nullable: false },
        { field: "tenantId", column: "tenant_id", udtName: "uuid", precision: undefined, nullable: false },
        { field: "label", column: "label", udtName: "text", precision: undefined, nullable: true },
        { field: "tags", column: "tags", udtName: "_text", precision: undefined, nullable: false },
        { field: "count", column: "count", udtName: "int4", precision: undefined, nullable: false },
        { field: "seenAt", column: "seen_at", udtName: "timestamptz", precision: 6, nullable: true },
        { field: "createdAt", column: "createdAt", udtName: "timestamp", precision: 3, nullable: false },
      ],
    });
  });

  it("refuses types it cannot map rather than guessing", () => {
    expect(() => parsePrismaSchema("model A {\n  x Weird\n}")).toThrow(/Unknown Prisma type Weird/);
  });
});
