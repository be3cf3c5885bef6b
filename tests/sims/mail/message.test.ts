import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { parseMessage } from "./message";

/** What nodemailer writes (its stream transport builds the exact bytes SMTP would carry), read back by the mail catcher. */
async function build(mail: { subject: string; text: string }) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await transport.sendMail({ from: "Nexius Leads <alerts@nexius.local>", to: "ops@acme.test", ...mail });
  return (info.message as Buffer).toString("utf8");
}

describe("the mail catcher's message reader", () => {
  it("reads an ASCII message", async () => {
    const parsed = parseMessage(await build({ subject: "Plain subject", text: "Line one\nLine two" }));
    expect(parsed).toMatchObject({ subject: "Plain subject", to: "ops@acme.test", from: "Nexius Leads <alerts@nexius.local>", text: "Line one\nLine two" });
  });

  it("decodes encoded words in the subject and a quoted-printable body with long lines and non-ASCII text", async () => {
    const text = `Only 40 % of the websites could be crawled · ${"x".repeat(120)}\nSecond line`;
    const parsed = parseMessage(await build({ subject: "[Nexius Leads] WARNING · Acme: crawl error rate", text }));
    expect(parsed.subject).toBe("[Nexius Leads] WARNING · Acme: crawl error rate");
    expect(parsed.text).toBe(text);
  });
});
