import { describe, expect, it } from "vitest";
import { addressVerdict, isIpLiteral, literalVerdict } from "./ip-policy.server";

describe("addressVerdict", () => {
  it("allows public unicast addresses", () => {
    for (const address of ["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2404:6800:4003:c00::64"]) {
      expect(addressVerdict(address), address).toMatchObject({ allowed: true });
    }
  });

  it("names the range it refuses", () => {
    expect(addressVerdict("127.0.0.1")).toMatchObject({ allowed: false, reason: "loopback" });
    expect(addressVerdict("10.1.2.3")).toMatchObject({ allowed: false, reason: "private" });
    expect(addressVerdict("100.100.1.1")).toMatchObject({ allowed: false, reason: "carrierGradeNat" });
    expect(addressVerdict("169.254.169.254")).toMatchObject({ allowed: false, reason: "linkLocal" });
    expect(addressVerdict("::ffff:10.0.0.1")).toMatchObject({ allowed: false, reason: "ipv4Mapped" });
    expect(addressVerdict("fd00:ec2::254")).toMatchObject({ allowed: false, reason: "uniqueLocal" });
    expect(addressVerdict("::7f00:1")).toMatchObject({ allowed: false });
    expect(addressVerdict("fe80::1%eth0")).toMatchObject({ allowed: false, reason: "scoped IPv6 address" });
    expect(addressVerdict("example.com")).toMatchObject({ allowed: false, reason: "not an IP address" });
  });
});

describe("IP literals in any notation", () => {
  it("recognises inet_aton forms that getaddrinfo would accept", () => {
    for (const host of ["2130706433", "0177.0.0.1", "0x7f.1", "127.1", "0x7f000001", "[::1]", "1.2.3.4."]) {
      expect(isIpLiteral(host), host).toBe(true);
    }
    for (const host of ["codigo.com.sg", "123.example.com", "0x7f.example"]) expect(isIpLiteral(host), host).toBe(false);
  });

  it("normalizes them before judging", () => {
    expect(literalVerdict("0x7f.1")).toMatchObject({ allowed: false, address: "127.0.0.1" });
    expect(literalVerdict("017700000001")).toMatchObject({ allowed: false, address: "127.0.0.1" });
    expect(literalVerdict("134744072")).toMatchObject({ allowed: true, address: "8.8.8.8" });
    expect(literalVerdict("1.2.3.4.5")).toMatchObject({ allowed: false, reason: "ambiguous numeric host" });
  });
});
