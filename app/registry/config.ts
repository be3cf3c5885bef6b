import { z } from "zod";

/** The registry's settings: data.gov.sg's APIs and the sources the nightly sweep checks. */
export const datagovEnv = z.object({
  DATAGOV_DOWNLOAD_API_URL: z.string().url().default("https://api-open.data.gov.sg"),
  DATAGOV_METADATA_API_URL: z.string().url().default("https://api-production.data.gov.sg"),
  DATAGOV_API_KEY: z.string().min(1).optional(),
  DATAGOV_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(3000),
  DATAGOV_MAX_POLLS: z.coerce.number().int().min(1).default(60),
  DATAGOV_MAX_RETRIES: z.coerce.number().int().min(0).default(6),
  DATAGOV_BACKOFF_MS: z.coerce.number().int().min(0).default(2500),
});

export const registryEnv = datagovEnv.extend({
  /** Sources the nightly sweep checks, separated by commas or spaces: paths, URLs, dataset:d_…, collection:2. */
  ACRA_SOURCES: z.string().default(""),
});
