import { existsSync } from "node:fs";

/** Entry points read a local `.env` when there is one (tests never do). Real environment variables win. */
if (existsSync(".env")) process.loadEnvFile(".env");
