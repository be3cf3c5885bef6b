import nodemailer, { type Transporter } from "nodemailer";
import { env } from "~/env.server";
import { singleton } from "~/singleton.server";

export type OutgoingMail = { to: string[]; subject: string; text: string };

export class MailNotConfiguredError extends Error {
  constructor() {
    super("SMTP_URL is not set: email cannot be sent");
    this.name = "MailNotConfiguredError";
  }
}

function transport(): Transporter {
  return singleton("smtp-transport", () => {
    const url = env().SMTP_URL;
    if (!url) throw new MailNotConfiguredError();
    return nodemailer.createTransport(url);
  });
}

/** Sends one plain-text email; a refusal by the SMTP server throws. */
export async function sendMail(mail: OutgoingMail): Promise<{ messageId: string }> {
  const info = await transport().sendMail({ from: env().SMTP_FROM, to: mail.to, subject: mail.subject, text: mail.text });
  return { messageId: info.messageId };
}
