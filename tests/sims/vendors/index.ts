import { startApifySimulator, type ApifySimOptions } from "./apify-sim";
import { type RunningSim } from "./common";
import { createDefaultWorld } from "./default-world";
import { startLlmSimulator, type LlmSimOptions } from "./llm-sim";
import { startLushaSimulator, type LushaSimOptions } from "./lusha-sim";
import { startTavilySimulator, type TavilySimOptions } from "./tavily-sim";
import { type VendorWorld } from "./world";
import { startZeroBounceSimulator, type ZeroBounceSimOptions } from "./zerobounce-sim";

export { startApifySimulator, startLlmSimulator, startLushaSimulator, startTavilySimulator, startZeroBounceSimulator, createDefaultWorld };
export type { VendorWorld };

export type VendorSimPorts = { tavily?: number; apify?: number; zerobounce?: number; lusha?: number; llm?: number };

export type VendorSimulators = {
  tavily: RunningSim;
  apify: RunningSim;
  zerobounce: RunningSim;
  lusha: RunningSim;
  llm: RunningSim;
  /** Env values that point the vendor clients at these simulators. */
  env: Record<string, string>;
  close(): Promise<void>;
};

/** Every vendor simulator over one world; port 0 (or unset) picks a free port. */
export async function startVendorSimulators(
  opts: {
    world?: VendorWorld;
    ports?: VendorSimPorts;
    host?: string;
    tavily?: TavilySimOptions;
    apify?: ApifySimOptions;
    zerobounce?: ZeroBounceSimOptions;
    lusha?: LushaSimOptions;
    llm?: LlmSimOptions;
  } = {},
): Promise<VendorSimulators> {
  const world = opts.world ?? createDefaultWorld();
  const ports = opts.ports ?? {};
  const common = { world, host: opts.host };
  const started: RunningSim[] = [];
  try {
    const tavily = await startTavilySimulator({ ...common, port: ports.tavily, ...opts.tavily });
    started.push(tavily);
    const apify = await startApifySimulator({ ...common, port: ports.apify, ...opts.apify });
    started.push(apify);
    const zerobounce = await startZeroBounceSimulator({ ...common, port: ports.zerobounce, ...opts.zerobounce });
    started.push(zerobounce);
    const lusha = await startLushaSimulator({ ...common, port: ports.lusha, ...opts.lusha });
    started.push(lusha);
    const llm = await startLlmSimulator({ ...common, port: ports.llm, ...opts.llm });
    started.push(llm);
    return {
      tavily,
      apify,
      zerobounce,
      lusha,
      llm,
      env: {
        TAVILY_BASE_URL: tavily.url,
        TAVILY_API_KEY: opts.tavily?.apiKey ?? "tvly-dev-simulator",
        APIFY_BASE_URL: apify.url,
        APIFY_TOKEN: opts.apify?.token ?? "apify_api_simulator",
        ZEROBOUNCE_BASE_URL: `${zerobounce.url}/v2`,
        ZEROBOUNCE_API_KEY: opts.zerobounce?.apiKey ?? "zb-simulator-key",
        LUSHA_BASE_URL: lusha.url,
        LUSHA_API_KEY: opts.lusha?.apiKey ?? "lusha-simulator-key",
        LLM_BASE_URL: `${llm.url}/v1`,
        LLM_API_KEY: opts.llm?.apiKey ?? "sk-simulator",
      },
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
}
