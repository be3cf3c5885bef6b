import "./load-dotenv";
import { secretRing } from "../crypto/keys.server";
import { resealSecrets } from "../crypto/reseal.server";
import { platformDb } from "../db.server";
import { requireEnvOrExit } from "../env.server";

/**
 * `npm run secrets:reseal`: after putting a new key first in SECRET_KEYS,
 * re-seal every secret at rest with it; then the old key can be removed.
 * Prints how many of each were re-sealed as one JSON line.
 */
requireEnvOrExit();
try {
  const ring = secretRing();
  const counts = await resealSecrets(ring);
  console.log(JSON.stringify({ key: ring.current, ...counts }));
} catch (error) {
  console.error(`[reseal] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await platformDb.$disconnect();
}
