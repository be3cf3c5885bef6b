import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which IP addresses the crawler may connect to. It is an allow-list: only
 * ordinary public unicast IPv4, and IPv6 inside the global unicast block
 * 2000::/3 minus the special ranges carved out of it (Teredo, 6to4, NAT64,
 * documentation, benchmarking…). Everything else — loopback, RFC 1918,
 * link-local (cloud metadata 169.254.169.254), CGNAT, 0/8, multicast,
 * broadcast, reserved, ULA (fd00:ec2::254), IPv4-mapped/compatible IPv6 — is
 * refused, so a range nobody thought to list is refused too.
 */
export type AddressVerdict = { allowed: true; address: string } | { allowed: false; address: string; reason: string };

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

export function addressVerdict(raw: string): AddressVerdict {
  const address = raw.replace(/^\[|\]$/g, "");
  if (address.includes("%")) return { allowed: false, address, reason: "scoped IPv6 address" };
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return { allowed: false, address, reason: "not an IP address" };
  }
  const normalized = parsed.toString();
  if (parsed.kind() === "ipv4") {
    const range = parsed.range();
    return range === "unicast" ? { allowed: true, address: normalized } : { allowed: false, address: normalized, reason: range };
  }
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (range !== "unicast") return { allowed: false, address: normalized, reason: range };
  if (!v6.match(GLOBAL_UNICAST_V6)) return { allowed: false, address: normalized, reason: "outside 2000::/3" };
  return { allowed: true, address: normalized };
}

/**
 * True when a hostname is, or could be read by some resolver as, an IP
 * address: dotted, bracketed IPv6, or the inet_aton forms (2130706433,
 * 0177.0.0.1, 0x7f.1, 127.1) that getaddrinfo still accepts. WHATWG URL
 * parsing already normalizes most of these; this guards hostnames that did
 * not come through a URL.
 */
export function isIpLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return true;
  if (host.includes(":")) return true;
  return /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+))*\.?$/i.test(host);
}

/** Normalizes an IP-literal hostname (any notation) for {@link addressVerdict}. */
export function literalVerdict(hostname: string): AddressVerdict {
  const host = hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (isIP(host)) return addressVerdict(host);
  if (ipaddr.isValid(host)) return addressVerdict(ipaddr.parse(host).toString());
  return { allowed: false, address: host, reason: "ambiguous numeric host" };
}
