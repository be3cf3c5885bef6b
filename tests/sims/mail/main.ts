import { parseArgs } from "node:util";
import { startMailCatcher } from "./server";

/**
 * Standalone dev mail catcher for the dev runner:
 *   npx tsx tests/sims/mail/main.ts --smtp-port 1025 --http-port 1080
 * (0 takes a free port). Prints `{"ready":"<smtp url> <inbox url>"}`; stops on
 * SIGINT/SIGTERM or when stdin closes (the runner died).
 */
const { values } = parseArgs({
  options: {
    "smtp-port": { type: "string", default: "1025" },
    "http-port": { type: "string", default: "1080" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

const catcher = await startMailCatcher({ smtpPort: Number(values["smtp-port"]), httpPort: Number(values["http-port"]), host: values.host });
process.stdout.write(`${JSON.stringify({ ready: `${catcher.smtpUrl} ${catcher.url}` })}\n`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  void catcher.close().then(() => process.exit(0));
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
