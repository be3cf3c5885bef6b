import "./load-dotenv";
import { migrate, MigrationError } from "../db/migrator.server";
import { requireEnvOrExit } from "../env.server";

/** `npm run db:migrate`: apply pending SQL migrations as the owner role. */
const config = requireEnvOrExit();
const appUrl = new URL(config.APP_DATABASE_URL);
try {
  const result = await migrate({
    ownerUrl: config.DATABASE_URL,
    appLogin: { user: decodeURIComponent(appUrl.username), password: decodeURIComponent(appUrl.password) },
    log: (m) => console.log(`[migrate] ${m}`),
  });
  console.log(`[migrate] ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  console.error(`[migrate] ${error instanceof MigrationError ? error.message : String(error)}`);
  process.exit(1);
}
