import { parseArgs } from "node:util";
import { DEFAULT_DEV_IDP_PORT, startDevIdp } from "../dev/idp.server";

/**
 * Runs the development identity provider on its own. The dev runner starts it
 * when NEXIUS_ISSUER is unset and waits for the one JSON line
 * `{"ready": "<issuer>"}` on stdout. Stops on SIGTERM/SIGINT or when stdin
 * closes (the runner died).
 *
 *   tsx app/cli/dev-idp.ts --port 4800 --client-id nexius-platform --client-secret … \
 *     --redirect-uri http://localhost:3000/auth/callback --post-logout-redirect-uri http://localhost:3000/ \
 *     --key-file .data/idp/signing-key.json [--accounts-file .data/idp/accounts.json] [--issuer …]
 */
const { values } = parseArgs({
  options: {
    port: { type: "string" },
    issuer: { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    "redirect-uri": { type: "string", multiple: true },
    "post-logout-redirect-uri": { type: "string", multiple: true },
    "key-file": { type: "string" },
    "accounts-file": { type: "string" },
    "no-sign-up": { type: "boolean", default: false },
  },
});

if (process.env.NODE_ENV === "production") {
  console.error("The dev IdP mints tokens for anyone who asks and is not for production; configure NEXIUS_ISSUER instead.");
  process.exit(1);
}
const missing = ["client-id", "client-secret", "redirect-uri"].filter((k) => !values[k as keyof typeof values]);
if (missing.length) {
  console.error(`dev-idp: missing ${missing.map((k) => `--${k}`).join(", ")}`);
  process.exit(1);
}

const port = Number(values.port ?? DEFAULT_DEV_IDP_PORT);
const idp = await startDevIdp({
  port,
  issuer: values.issuer,
  keyFile: values["key-file"],
  accountsFile: values["accounts-file"],
  allowSignUp: !values["no-sign-up"],
  clients: [
    {
      client_id: values["client-id"]!,
      client_secret: values["client-secret"]!,
      redirect_uris: values["redirect-uri"]!,
      post_logout_redirect_uris: values["post-logout-redirect-uri"] ?? [],
    },
  ],
});
process.stdout.write(`${JSON.stringify({ ready: idp.issuer })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await idp.stop().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
