import { defineConfig } from "prisma/config";

// `prisma generate` needs no database. Migrations are applied by our own
// migrator (`npm run db:migrate`); the folder stays in Prisma's layout so
// `prisma migrate deploy` accepts it too.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:54329/nexius" },
});
