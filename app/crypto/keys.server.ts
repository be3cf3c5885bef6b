import { env } from "~/env.server";
import { singleton } from "~/singleton.server";
import { parseKeyRing, type KeyRing } from "./secret-box.server";

/** The platform's key ring for secrets at rest, from SECRET_KEYS. */
export function secretRing(): KeyRing {
  return singleton("secret-ring", () => {
    const spec = env().SECRET_KEYS;
    if (!spec) throw new Error("SECRET_KEYS is not set: secrets cannot be stored (npm run dev generates one)");
    return parseKeyRing(spec);
  });
}
