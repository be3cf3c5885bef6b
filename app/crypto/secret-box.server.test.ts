import { describe, expect, it } from "vitest";
import { generateKeySpec, open, parseKeyRing, seal, SecretBoxError } from "./secret-box.server";

describe("secret box", () => {
  const ring = parseKeyRing(`${generateKeySpec("new")},${generateKeySpec("old")}`);

  it("round-trips a secret and never stores it in clear", () => {
    const sealed = seal(ring, "odoo-password-123", "odoo:tenant-1");
    expect(sealed.keyId).toBe("new");
    expect(sealed.cipher.toString("utf8")).not.toContain("odoo-password-123");
    expect(open(ring, sealed, "odoo:tenant-1")).toBe("odoo-password-123");
  });

  it("uses a fresh IV each time", () => {
    expect(seal(ring, "same", "c").cipher.equals(seal(ring, "same", "c").cipher)).toBe(false);
  });

  it("opens secrets sealed with an older key of the ring", () => {
    const oldRing = { current: "old", keys: new Map([["old", ring.keys.get("old")!]]) };
    const sealed = seal(oldRing, "from before the rotation", "ctx");
    expect(sealed.keyId).toBe("old");
    expect(open(ring, sealed, "ctx")).toBe("from before the rotation");
  });

  it("refuses a ciphertext moved to another context, or tampered with", () => {
    const sealed = seal(ring, "secret", "odoo:tenant-1");
    expect(() => open(ring, sealed, "odoo:tenant-2")).toThrow(SecretBoxError);
    const tampered = Buffer.from(sealed.cipher);
    const last = tampered.length - 1;
    tampered.writeUInt8(tampered.readUInt8(last) ^ 1, last);
    expect(() => open(ring, { ...sealed, cipher: tampered }, "odoo:tenant-1")).toThrow(/failed authentication/);
  });

  it("explains a malformed key ring", () => {
    expect(() => parseKeyRing("")).toThrow(/no key given/);
    expect(() => parseKeyRing("k1:c2hvcnQ=")).toThrow(/must be 32 bytes/);
    expect(() => parseKeyRing(`${generateKeySpec("k1")},${generateKeySpec("k1")}`)).toThrow(/appears twice/);
  });
});
