import { type Request as ExpressRequest, type RequestHandler, type Response as ExpressResponse } from "express";
import { log } from "~/logger.server";

/**
 * Express: request bodies of at most `maxBytes`. A declared Content-Length
 * over the limit is refused before anything is read; a chunked body is
 * counted as the socket delivers it, and the chunk that crosses the limit
 * never reaches the app: the client gets 413 and the connection closes, so
 * the rest is never read or buffered.
 */
export class PayloadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Request body larger than ${maxBytes} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

export function limitRequestBody(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > maxBytes) return refuse(req, res, maxBytes);
    let received = 0;
    let refused = false;
    // The HTTP parser hands every body chunk to push(): counting there holds whoever reads the body, and however.
    const push = req.push.bind(req);
    req.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (refused) return false;
      if (chunk !== null && chunk !== undefined) {
        received += (chunk as Buffer).length;
        if (received > maxBytes) {
          refused = true;
          refuse(req, res, maxBytes);
          return false;
        }
      }
      return push(chunk, encoding);
    };
    next();
  };
}

function refuse(req: ExpressRequest, res: ExpressResponse, maxBytes: number): void {
  log().warn({ method: req.method, path: req.path, maxBytes }, "request body too large");
  // Whoever was reading the body learns it will not come; the socket goes once the 413 is out.
  res.on("finish", () => req.destroy(new PayloadTooLargeError(maxBytes)));
  if (res.headersSent) return void res.end();
  res.setHeader("Connection", "close");
  res.setHeader("Cache-Control", "no-store");
  res.status(413).json({ error: "payload_too_large", message: `Request bodies are at most ${maxBytes} bytes` });
}
