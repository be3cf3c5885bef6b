import { createHash, randomBytes } from "node:crypto";
import { Parser } from "htmlparser2";

/**
 * A tiny scripted browser for OIDC flows over real HTTP: a cookie jar,
 * manual redirects and HTML form extraction. Enough to drive the dev IdP's
 * sign-in pages (or any server-rendered login) without Playwright.
 */

type Cookie = { name: string; value: string; path: string; host: string };

export class CookieJar {
  private cookies = new Map<string, Cookie>();

  store(url: URL, response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = "/";
      let expired = false;
      for (const attribute of attributes) {
        const [key = "", val = ""] = attribute.split("=");
        if (key.toLowerCase() === "path") path = val || "/";
        if (key.toLowerCase() === "max-age" && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === "expires" && Date.parse(val) < Date.now()) expired = true;
      }
      const key = `${url.host}|${path}|${name}`;
      if (expired || value === "") this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path, host: url.host });
    }
  }

  header(url: URL): string | undefined {
    const matching = [...this.cookies.values()].filter(
      (c) => c.host === url.host && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`)),
    );
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join("; ") : undefined;
  }

  names(): string[] {
    return [...this.cookies.values()].map((c) => c.name);
  }
}

export type HtmlForm = { id?: string; action: string; method: string; fields: Record<string, string>; radios: Record<string, string[]> };

export function extractForms(html: string, baseUrl: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  let current: HtmlForm | undefined;
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === "form") {
        current = {
          id: attrs.id,
          action: new URL(attrs.action ?? baseUrl, baseUrl).toString(),
          method: (attrs.method ?? "get").toLowerCase(),
          fields: {},
          radios: {},
        };
        forms.push(current);
      } else if (name === "input" && current && attrs.name) {
        if (attrs.type === "radio") {
          (current.radios[attrs.name] ??= []).push(attrs.value ?? "");
          if ("checked" in attrs) current.fields[attrs.name] = attrs.value ?? "";
        } else {
          current.fields[attrs.name] = attrs.value ?? "";
        }
      }
    },
    onclosetag(name) {
      if (name === "form") current = undefined;
    },
  });
  parser.write(html);
  parser.end();
  return forms;
}

export class OidcBrowser {
  readonly jar = new CookieJar();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers();
    const cookie = this.jar.header(target);
    if (cookie) headers.set("cookie", cookie);
    let body: string | undefined;
    if (init.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    this.jar.store(target, response);
    return response;
  }

  /** Follows redirects until a non-redirect response or a URL starting with `stopAt`. */
  async follow(response: Response, from: string, stopAt?: string): Promise<{ response: Response; url: string }> {
    let url = from;
    let current = response;
    for (let hops = 0; hops < 20; hops++) {
      const location = current.headers.get("location");
      if (current.status < 300 || current.status >= 400 || !location) return { response: current, url };
      url = new URL(location, url).toString();
      if (stopAt && url.startsWith(stopAt)) return { response: current, url };
      await current.arrayBuffer();
      current = await this.request(url);
    }
    throw new Error("too many redirects");
  }

  async submit(form: HtmlForm, values: Record<string, string>): Promise<Response> {
    return this.request(form.action, { method: form.method.toUpperCase(), form: { ...form.fields, ...values } });
  }
}

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

export type SignInOptions = {
  issuer: string;
  client: { client_id: string; client_secret: string; redirect_uri: string };
  email: string;
  password: string;
  /** For users with several tenants. */
  tenant?: string;
  scope?: string;
  browser?: OidcBrowser;
};

export type TokenSet = {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
  scope?: string;
};

/** Drives authorization code + PKCE end to end and exchanges the code; returns tokens and the nonce/browser used. */
export async function signIn(options: SignInOptions) {
  const browser = options.browser ?? new OidcBrowser();
  const discovery = (await (await fetch(`${options.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString("base64url");
  const nonce = randomBytes(12).toString("base64url");
  const authorize = new URL(discovery.authorization_endpoint!);
  authorize.search = new URLSearchParams({
    client_id: options.client.client_id,
    response_type: "code",
    scope: options.scope ?? "openid email profile",
    redirect_uri: options.client.redirect_uri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
    nonce,
  }).toString();

  let step = await browser.follow(await browser.request(authorize.toString()), authorize.toString(), options.client.redirect_uri);
  if (!step.url.startsWith(options.client.redirect_uri)) {
    const loginHtml = await step.response.text();
    const [loginForm] = extractForms(loginHtml, step.url);
    if (!loginForm) throw new Error(`no login form at ${step.url}: ${loginHtml.slice(0, 200)}`);
    let response = await browser.submit(loginForm, { email: options.email, password: options.password });
    if (response.status === 200) {
      const chooserHtml = await response.text();
      const [chooser] = extractForms(chooserHtml, loginForm.action);
      if (!chooser?.radios.tenant_id) throw new Error(`expected the tenant chooser: ${chooserHtml.slice(0, 300)}`);
      response = await browser.submit(chooser, { tenant_id: options.tenant ?? chooser.radios.tenant_id[0]! });
    }
    if (response.status !== 303) throw new Error(`sign-in failed with HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    step = await browser.follow(response, loginForm.action, options.client.redirect_uri);
  }
  const callback = new URL(step.url);
  if (callback.searchParams.get("state") !== state) throw new Error(`state mismatch in ${step.url}`);
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code in ${step.url}`);

  const tokens = await tokenRequest(discovery.token_endpoint!, options.client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: options.client.redirect_uri,
    code_verifier: verifier,
  });
  if (!tokens.ok) throw new Error(`token exchange failed: ${JSON.stringify(tokens.body)}`);
  return { tokens: tokens.body as TokenSet, nonce, state, browser, discovery, callback };
}

export async function tokenRequest(
  tokenEndpoint: string,
  client: { client_id: string; client_secret: string },
  params: Record<string, string>,
): Promise<{ ok: boolean; status: number; body: Record<string, unknown> }> {
  const response = await fetch(tokenEndpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(params).toString(),
  });
  return { ok: response.ok, status: response.status, body: (await response.json()) as Record<string, unknown> };
}
