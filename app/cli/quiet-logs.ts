/**
 * For commands whose stdout is their result: log warnings and worse only, and
 * name the service. Imported first, before any module creates the logger.
 */
process.env.LOG_LEVEL ??= "warn";
process.env.SERVICE_NAME ??= process.argv[1]?.match(/([\w-]+)\.ts$/)?.[1] ?? "cli";
