import { devBypassEnabled } from "~/auth/guards.server";
import { env } from "~/env.server";
import packageJson from "../../../package.json";

/** Version and what this deployment can do; no secrets, no auth. */
export function loader() {
  const config = env();
  return Response.json({
    ok: true,
    version: packageJson.version,
    capabilities: {
      sso: Boolean(config.NEXIUS_ISSUER),
      odoo: { configured: Boolean(config.ODOO_URL), mode: config.ODOO_MODE },
      dev_bypass: devBypassEnabled(),
    },
  });
}
