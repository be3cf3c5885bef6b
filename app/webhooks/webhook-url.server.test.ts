import { describe, expect, it } from "vitest";
import { checkWebhookUrl } from "./webhook-url.server";

describe("webhook URLs", () => {
  it("takes a public https URL as given, fragment dropped", () => {
    expect(checkWebhookUrl(" https://hooks.example.com/nexius?x=1#frag ", true).href).toBe("https://hooks.example.com/nexius?x=1");
  });

  it("takes plain http only outside production", () => {
    expect(checkWebhookUrl("http://receiver.test/hook", false).href).toBe("http://receiver.test/hook");
    expect(() => checkWebhookUrl("http://hooks.example.com/nexius", true)).toThrow("A webhook URL must use https.");
  });

  it("refuses private and loopback addresses, other schemes and credentials", () => {
    expect(() => checkWebhookUrl("https://10.0.0.7/hook", false)).toThrow(/Not a URL a webhook may be sent to/);
    expect(() => checkWebhookUrl("http://127.0.0.1:4900/hook", false)).toThrow(/Not a URL a webhook may be sent to/);
    expect(() => checkWebhookUrl("https://[::1]/hook", false)).toThrow(/Not a URL a webhook may be sent to/);
    expect(() => checkWebhookUrl("ftp://hooks.example.com/", false)).toThrow(/Not a URL a webhook may be sent to/);
    expect(() => checkWebhookUrl("https://user:pw@hooks.example.com/", true)).toThrow("A webhook URL may not carry a user name or password.");
    expect(() => checkWebhookUrl("not a url", true)).toThrow(/Not a URL a webhook may be sent to/);
  });
});
