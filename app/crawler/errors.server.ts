/**
 * Why a crawler fetch did not produce a page. Callers branch on the class
 * (blocked vs. transient vs. not-a-page), so each failure mode has its own.
 */
export class CrawlFetchError extends Error {
  constructor(
    message: string,
    public readonly url: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The URL, a redirect hop or a DNS answer points at an address we never connect to. */
export class BlockedAddressError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly address: string,
    public readonly reason: string,
  ) {
    super(`refusing to connect to ${address} (${reason})`, url);
  }
}

export class SchemeNotAllowedError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly scheme: string,
  ) {
    super(`scheme ${scheme} is not allowed`, url);
  }
}

/** The URL could not be parsed at all. */
export class InvalidUrlError extends CrawlFetchError {
  constructor(url: string) {
    super("not a valid URL", url);
  }
}

/** The host has no address (NXDOMAIN, or not in the offline override map). */
export class DnsError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly host: string,
    public readonly code: string,
  ) {
    super(`cannot resolve ${host} (${code})`, url);
  }
}

export class TimeoutError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly phase: "connect" | "headers" | "body" | "total",
  ) {
    super(`timed out (${phase})`, url);
  }
}

/** Any other network failure: connection refused or reset, TLS failure. */
export class NetworkError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly code: string,
  ) {
    super(`network error (${code})`, url);
  }
}

export class TooLargeError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly maxBytes: number,
  ) {
    super(`response exceeds ${maxBytes} bytes`, url);
  }
}

export class NotHtmlError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly contentType: string,
  ) {
    super(`content type ${contentType || "(none)"} is not allowed`, url);
  }
}

export class TooManyRedirectsError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly maxRedirects: number,
  ) {
    super(`more than ${maxRedirects} redirects`, url);
  }
}

/** A final response with status ≥ 400; the body is not read. */
export class HttpError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly status: number,
  ) {
    super(`HTTP ${status}`, url);
  }
}

/** A redirect hop refused by the caller (e.g. robots.txt of the new host disallows it). */
export class RedirectRefusedError extends CrawlFetchError {
  constructor(
    url: string,
    public readonly reason: string,
    cause?: unknown,
  ) {
    super(`redirect refused (${reason})`, url);
    this.cause = cause;
  }
}
