import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { z } from "zod";
import { DnsError } from "./errors.server";
import { isIpLiteral } from "./ip-policy.server";

export type ResolvedAddress = { address: string; family: 4 | 6 };

/**
 * What a hostname resolves to. `fixture` marks an entry of the dev world's
 * override map: the only kind of answer allowed to point at loopback, and
 * the only one that may also redirect the port.
 */
export type ResolvedHost = {
  host: string;
  addresses: ResolvedAddress[];
  port?: number;
  fixture: boolean;
};

export type DnsLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface HostResolver {
  resolve(hostname: string): Promise<ResolvedHost>;
  /** Unknown hosts fail like NXDOMAIN instead of reaching real DNS. */
  readonly offline: boolean;
}

export type HostResolverOptions = {
  /** `{ "codigo.com.sg": "127.0.0.1:4100" }`: fixture hosts of the dev world. */
  overrides?: Record<string, string>;
  offline?: boolean;
  /** Production refuses any override map: loopback must stay unreachable there. */
  production: boolean;
  lookup?: DnsLookup;
};

const hostnameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/, "not a hostname")
  .refine((h) => !isIpLiteral(h), "an IP literal cannot be a fixture host");

const targetSchema = z.string().transform((value, ctx) => {
  const match = value.match(/^(?:\[([0-9a-f:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/i);
  const address = match?.[1] ?? match?.[2];
  const family = address ? isIP(address) : 0;
  const port = match?.[3] ? Number(match[3]) : undefined;
  if (!address || (family !== 4 && family !== 6) || (port !== undefined && (port < 1 || port > 65535))) {
    ctx.addIssue({ code: "custom", message: `expected "ip" or "ip:port", got ${value}` });
    return z.NEVER;
  }
  return { address: { address, family: family as 4 | 6 }, port };
});

export const overrideMapSchema = z.record(hostnameSchema, targetSchema);

export function normalizeHostname(hostname: string): string {
  return hostname
    .trim()
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^\[|\]$/g, "");
}

const systemLookup: DnsLookup = async (hostname) => {
  try {
    const answers = await dns.lookup(hostname, { all: true, verbatim: true });
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (error) {
    throw new DnsError(hostname, hostname, (error as NodeJS.ErrnoException).code ?? "ELOOKUP");
  }
};

export function createHostResolver(options: HostResolverOptions): HostResolver {
  const entries = Object.entries(options.overrides ?? {});
  if (options.production && entries.length > 0) {
    throw new Error("crawler host overrides are a development feature and are refused in production");
  }
  const overrides = new Map(Object.entries(overrideMapSchema.parse(Object.fromEntries(entries.map(([k, v]) => [normalizeHostname(k), v])))));
  const offline = options.offline ?? false;
  const lookup = options.lookup ?? systemLookup;

  return {
    offline,
    async resolve(hostname) {
      const host = normalizeHostname(hostname);
      const override = overrides.get(host);
      if (override) return { host, addresses: [override.address], port: override.port, fixture: true };
      if (offline) throw new DnsError(host, host, "ENOTFOUND");
      const addresses = await lookup(host);
      if (addresses.length === 0) throw new DnsError(host, host, "ENODATA");
      return { host, addresses, fixture: false };
    },
  };
}
