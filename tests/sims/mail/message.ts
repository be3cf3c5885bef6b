/**
 * Just enough of RFC 5322 / MIME to read what nodemailer sends: the headers
 * (unfolded, RFC 2047 encoded words decoded) and a single text part in
 * 7bit, quoted-printable or base64. The mail catcher stores the raw message
 * beside this, so nothing is lost when a message is richer than that.
 */
export type ParsedMessage = { headers: Record<string, string>; subject: string; from: string; to: string; text: string };

export function parseMessage(raw: string): ParsedMessage {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? "" : raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return {
    headers,
    subject: headers.subject ?? "",
    from: headers.from ?? "",
    to: headers.to ?? "",
    // The line break that ends the message is the transport's, not the text's.
    text: decodeBody(body, headers["content-transfer-encoding"] ?? "7bit").replace(/\n$/, ""),
  };
}

export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (_all, _charset: string, encoding: string, text: string) =>
      encoding.toLowerCase() === "b" ? Buffer.from(text, "base64").toString("utf8") : decodeQ(text.replace(/_/g, " ")),
    );
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return decodeQ(body.replace(/=\r?\n/g, "")).replace(/\r\n/g, "\n");
    default:
      return body.replace(/\r\n/g, "\n");
  }
}

function decodeQ(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "=" && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
