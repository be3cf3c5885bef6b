import { startVendorSimulators, type VendorSimPorts } from "./index";

/**
 * Starts every vendor simulator on the given ports (0 = any free port) and
 * prints the env that points the platform at them.
 *
 *   npx tsx tests/sims/vendors/main.ts --tavily=4101 --apify=4102 --zerobounce=4103 --lusha=4104 --llm=4105
 *
 * Ports may also come from SIM_TAVILY_PORT, SIM_APIFY_PORT, SIM_ZEROBOUNCE_PORT,
 * SIM_LUSHA_PORT and SIM_LLM_PORT.
 */
function parsePorts(argv: string[], env: NodeJS.ProcessEnv): VendorSimPorts {
  const ports: VendorSimPorts = {};
  for (const name of ["tavily", "apify", "zerobounce", "lusha", "llm"] as const) {
    const flag = argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
    const value = flag ?? env[`SIM_${name.toUpperCase()}_PORT`];
    if (value === undefined) continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port for ${name}: ${value}`);
    ports[name] = port;
  }
  return ports;
}

const sims = await startVendorSimulators({ ports: parsePorts(process.argv.slice(2), process.env) });
for (const [key, value] of Object.entries(sims.env)) process.stdout.write(`${key}=${value}\n`);

const stop = async () => {
  await sims.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
