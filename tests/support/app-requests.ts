import { createHash } from "node:crypto";
import { extractForms, OidcBrowser } from "./oidc-browser";
import { APP_URL } from "./platform";

/**
 * Calling the platform's route modules in-process, as Remix would: a Request
 * in, a Response out (thrown or returned; plain loader data is wrapped as
 * JSON). Sign-in goes through our own /auth/login and /auth/callback loaders
 * with the dev IdP's real pages in between, driven by OidcBrowser.
 */
type RouteArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
// Route modules type their args with Remix's own types; any one-argument function will do.
type RouteFunction = (args: never) => unknown;

export type Invocation = Response & { thrown?: boolean };

export async function invoke(
  fn: RouteFunction,
  request: Request,
  params: Record<string, string> = {},
  context: Record<string, unknown> = {},
): Promise<Invocation> {
  const args: RouteArgs = { request, params, context };
  try {
    const result = await (fn as (a: RouteArgs) => unknown)(args);
    if (result instanceof Response) return result;
    // Remix's data(value, init): the value as the body, with the status and headers it was given.
    if (isDataWithInit(result))
      return new Response(JSON.stringify(result.data ?? null), { ...result.init, headers: { "content-type": "application/json", ...result.init?.headers } });
    // Single fetch (turbo-stream) carries BigInt; JSON here needs it as a string.
    const body = JSON.stringify(result ?? null, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
    return new Response(body, { headers: { "content-type": "application/json" } });
  } catch (thrown) {
    if (thrown instanceof Response) return Object.assign(thrown, { thrown: true });
    throw thrown;
  }
}

function isDataWithInit(value: unknown): value is { data: unknown; init?: { status?: number; headers?: Record<string, string> } } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

export type AppRequestInit = {
  method?: string;
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
};

export function appRequest(pathAndQuery: string, init: AppRequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.token !== undefined) headers.set("authorization", `Bearer ${init.token}`);
  let body: string | undefined;
  if (init.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(init.form).toString();
  }
  return new Request(new URL(pathAndQuery, APP_URL), { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

export const SESSION_COOKIE = "nexius_session";

/** The sha256 the sessions table is keyed by. */
export function sessionIdHash(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

/** A browser that visits both the IdP (over HTTP) and the platform (in-process); one cookie jar for both. */
export class AppBrowser {
  readonly oidc = new OidcBrowser();
  private readonly appUrl = new URL(`${APP_URL}/`);

  cookies(): string | undefined {
    return this.oidc.jar.header(this.appUrl);
  }

  keep(response: Response): void {
    this.oidc.jar.store(this.appUrl, response);
  }

  cookie(name: string): string | undefined {
    const header = this.cookies() ?? "";
    for (const part of header.split(";")) {
      const [key, ...rest] = part.trim().split("=");
      if (key === name) return rest.join("=");
    }
    return undefined;
  }

  sessionId(): string | undefined {
    return this.cookie(SESSION_COOKIE);
  }
}

async function routes() {
  const [login, callback] = await Promise.all([import("../../app/routes/auth+/login"), import("../../app/routes/auth+/callback")]);
  return { login: login.loader, callback: callback.loader };
}

/** GET /auth/login: the redirect to the IdP (cookies kept). Returns the authorization URL. */
export async function startSignIn(browser: AppBrowser, options: { returnTo?: string } = {}): Promise<{ response: Invocation; authorizeUrl: string }> {
  const query = options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : "";
  const response = await invoke((await routes()).login, appRequest(`/auth/login${query}`, { cookie: browser.cookies() }));
  if (response.status !== 302) throw new Error(`/auth/login answered ${response.status}: ${await response.text()}`);
  browser.keep(response);
  return { response, authorizeUrl: response.headers.get("location")! };
}

export type IdpCredentials = { email: string; password: string; tenant?: string };

/** Through the IdP's pages until it sends the browser back to APP_URL/auth/callback; returns that URL. */
export async function signInAtIdp(browser: AppBrowser, authorizeUrl: string, credentials: IdpCredentials): Promise<string> {
  const callbackPrefix = `${APP_URL}/auth/callback`;
  const oidc = browser.oidc;
  let step = await oidc.follow(await oidc.request(authorizeUrl), authorizeUrl, callbackPrefix);
  if (step.url.startsWith(callbackPrefix)) return step.url;
  const html = await step.response.text();
  const [loginForm] = extractForms(html, step.url);
  if (!loginForm) throw new Error(`no login form at ${step.url}: ${html.slice(0, 200)}`);
  let response = await oidc.submit(loginForm, { email: credentials.email, password: credentials.password });
  if (response.status === 200) {
    const chooserHtml = await response.text();
    const [chooser] = extractForms(chooserHtml, loginForm.action);
    if (!chooser?.radios.tenant_id) throw new Error(`expected the tenant chooser: ${chooserHtml.slice(0, 300)}`);
    response = await oidc.submit(chooser, { tenant_id: credentials.tenant ?? chooser.radios.tenant_id[0]! });
  }
  if (response.status !== 303) throw new Error(`IdP sign-in failed with HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  step = await oidc.follow(response, loginForm.action, callbackPrefix);
  if (!step.url.startsWith(callbackPrefix)) throw new Error(`the IdP did not return to the platform: ${step.url}`);
  return step.url;
}

/**
 * GET /auth/callback with the browser's cookies (or the ones given); cookies set by the answer are kept.
 * `headers` and `context` stand for what the web server passes on (X-Forwarded-For, the client address it computed).
 */
export async function finishSignIn(
  browser: AppBrowser,
  callbackUrl: string,
  options: { cookie?: string; headers?: Record<string, string>; context?: Record<string, unknown> } = {},
): Promise<Invocation> {
  const cookie = options.cookie ?? browser.cookies();
  const request = new Request(callbackUrl, { headers: { ...options.headers, ...(cookie ? { cookie } : {}) } });
  const response = await invoke((await routes()).callback, request, {}, options.context);
  browser.keep(response);
  return response;
}

/** The whole sign-in: login loader → IdP pages → callback loader. */
export async function signInThroughApp(
  browser: AppBrowser,
  credentials: IdpCredentials & { returnTo?: string },
): Promise<{ response: Invocation; callbackUrl: string; sessionId: string }> {
  const { authorizeUrl } = await startSignIn(browser, { returnTo: credentials.returnTo });
  const callbackUrl = await signInAtIdp(browser, authorizeUrl, credentials);
  const response = await finishSignIn(browser, callbackUrl);
  const sessionId = browser.sessionId();
  if (response.status !== 302 || !sessionId) throw new Error(`sign-in did not open a session: HTTP ${response.status} ${await response.clone().text()}`);
  return { response, callbackUrl, sessionId };
}
