import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { importJWK, SignJWT } from "jose";
import Provider, { errors, type Configuration, type FindAccount, type KoaContextWithOIDC } from "oidc-provider";
import { z } from "zod";
import { log } from "../logger.server";
import {
  AccountExistsError,
  claimsFor,
  createAccountDirectory,
  DEMO_USERS,
  MIN_SIGN_UP_PASSWORD,
  signUpSchema,
  type DevUserInput,
} from "./idp-accounts.server";
import { loadOrCreateSigningKey, type SigningKey } from "./idp-keys.server";
import { chooseTenantPage, loginPage, logoutConfirmPage, messagePage, signUpPage } from "./idp-pages.server";
import { createMemoryAdapter } from "./idp-store.server";

/**
 * The embedded "Nexius SSO" for development and tests: a real OpenID
 * provider (oidc-provider) with our own sign-in pages, seeded demo users and
 * tenant choice at sign-in, so the platform's OIDC code is exercised exactly
 * as against Keycloak or any other provider. Never started in production.
 */

export { DEMO_PASSWORD, DEMO_USERS } from "./idp-accounts.server";

export const DEFAULT_DEV_IDP_PORT = 4800;

export type DevIdpClient = {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post";
};

export type DevIdpOptions = {
  /** Listening port; 0 picks a free one. Default 4800. */
  port?: number;
  /** Listening interface. Default "localhost" (the IdP mints tokens for anyone who asks, so it stays local). */
  host?: string;
  /** Default `http://localhost:<port>`; a path (e.g. /realms/dev) mounts the provider under it. */
  issuer?: string;
  clients: DevIdpClient[];
  /** Private signing JWK file, created on first start; omitted = a fresh key in memory. */
  keyFile?: string;
  /** Users in addition to DEMO_USERS. */
  users?: DevUserInput[];
  /** Show "Create account" on the sign-in page (self-serve sign-up). Default true. */
  allowSignUp?: boolean;
  /** Where sign-ups are kept across restarts; omitted = in memory. */
  accountsFile?: string;
  /** Token and session lifetimes in seconds. */
  ttl?: { idToken?: number; accessToken?: number; refreshToken?: number; session?: number };
  /**
   * A new refresh token at every refresh, as IdPs with rotation on do
   * (Keycloak "Revoke Refresh Token", Auth0, Okta): reusing a rotated one is
   * refused and revokes the grant. Default off.
   */
  rotateRefreshTokens?: boolean;
};

export type DevIdp = {
  issuer: string;
  /** Where the IdP listens (same as the issuer unless the issuer is a public alias). */
  url: string;
  /** Key id of the signing key, as published in the JWKS. */
  kid: string;
  provider: Provider;
  /** Changes a user's roles or memberships, as an administrator would at a real IdP. */
  updateAccount: Directory["updateAccount"];
  stop(): Promise<void>;
};

const DEFAULT_TTL = { idToken: 3600, accessToken: 3600, refreshToken: 14 * 24 * 3600, session: 14 * 24 * 3600 };

/** Body of POST /dev/token. `nbf` is an absolute NumericDate; `expires_in` may be negative. */
export const devTokenRequestSchema = z.strictObject({
  sub: z.string().min(1),
  email: z.email(),
  // Demo addresses count as verified; false lets tests present an address the IdP did not verify.
  email_verified: z.boolean().default(true),
  name: z.string().min(1).optional(),
  tenant_id: z.string().min(1).optional(),
  roles: z.array(z.string().min(1)).default([]),
  odoo_db: z.string().min(1).optional(),
  nonce: z.string().min(1).optional(),
  expires_in: z.number().int().default(3600),
  nbf: z.number().int().optional(),
  aud: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
});

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  if (!options.clients.length) throw new Error("startDevIdp needs at least one client");
  const signingKey = await loadOrCreateSigningKey(options.keyFile);
  const directory = createAccountDirectory({
    users: [...DEMO_USERS, ...(options.users ?? [])],
    accountsFile: options.accountsFile,
  });

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? DEFAULT_DEV_IDP_PORT, host: options.host ?? "localhost" }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const issuer = (options.issuer ?? url).replace(/\/$/, "");
  const mount = new URL(issuer).pathname.replace(/\/$/, "");

  const choices: TenantChoices = { byGrant: new Map(), bySession: new Map() };
  const setup: Setup = { issuer, mount, options, signingKey, directory, choices };
  const provider = createProvider(setup);
  server.on("request", createApp({ ...setup, provider }));

  return {
    issuer,
    url: `${url}${mount}`,
    kid: signingKey.kid,
    provider,
    updateAccount: directory.updateAccount,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

type Directory = ReturnType<typeof createAccountDirectory>;

type Setup = {
  issuer: string;
  mount: string;
  options: DevIdpOptions;
  signingKey: SigningKey;
  directory: Directory;
  choices: TenantChoices;
};

/**
 * The tenant a sign-in was made into, by grant. Every code, access and refresh
 * token names its grant, so the claims of tokens issued later (refresh,
 * userinfo) keep the tenant chosen at sign-in; a new sign-in makes a new grant.
 */
type TenantChoices = {
  byGrant: Map<string, string | undefined>;
  bySession: Map<string, string | undefined>;
};

function createProvider({ issuer, mount, options, signingKey, directory, choices }: Setup): Provider {
  const ttl = { ...DEFAULT_TTL, ...options.ttl };

  const findAccount: FindAccount = async (ctx, sub, token) => {
    const account = directory.findBySub(sub);
    if (!account) return undefined;
    const grantId = token?.grantId ?? ctx.oidc?.entities.Grant?.jti;
    const tenantId = grantId ? choices.byGrant.get(grantId) : undefined;
    return { accountId: sub, claims: () => claimsFor(account, tenantId) };
  };

  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    clients: options.clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      post_logout_redirect_uris: client.post_logout_redirect_uris ?? [],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: client.token_endpoint_auth_method ?? "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    })),
    jwks: { keys: [signingKey] },
    findAccount,
    // tenant_id/roles/odoo_db ride on `openid` so a plain "openid email profile" request gets them.
    claims: {
      openid: ["sub", "tenant_id", "roles", "odoo_db"],
      email: ["email", "email_verified"],
      profile: ["name"],
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
    },
    scopes: ["openid", "offline_access", "email", "profile"],
    responseTypes: ["code"],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    // Scope claims in the ID token too (the spec puts them only in userinfo for response_type=code).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // First-party clients only: refresh tokens without prompt=consent; bound to the session, so logout ends them.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    ...(options.rotateRefreshTokens ? { rotateRefreshToken: true } : {}),
    loadExistingGrant: (ctx) => autoGrant(ctx, choices),
    interactions: { url: (_ctx, interaction) => `${mount}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = "html";
          ctx.body = logoutConfirmPage({ form, host: ctx.host });
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = "html";
          ctx.body = messagePage("Signed out", "You have been signed out of Nexius SSO. You can close this tab.");
        },
      },
    },
    cookies: {
      // Browsers scope cookies by host, not port: on localhost the platform sees these too, so no generic names.
      names: { session: "nexius_sso_session", interaction: "nexius_sso_interaction", resume: "nexius_sso_resume" },
      keys: [randomBytes(32).toString("base64url")],
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
    },
    ttl: {
      AccessToken: ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      Session: ttl.session,
      Grant: ttl.refreshToken,
      Interaction: 3600,
    },
    routes: { jwks: "/.well-known/jwks.json" },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = messagePage(
        "Sign-in problem",
        `${out.error}${out.error_description ? `: ${out.error_description}` : ""}. Go back to the application and try again.`,
        "alert",
      );
    },
  };

  const provider = new Provider(issuer, configuration);
  // Behind a TLS-terminating proxy (an https issuer), trust X-Forwarded-Proto so cookies and URLs are https.
  provider.proxy = issuer.startsWith("https:");
  provider.on("server_error", (_ctx, error) => log().error({ err: error, issuer }, "dev IdP server error"));
  return provider;
}

/**
 * Consent is implied for our first-party clients: every sign-in gets a fresh
 * grant carrying the tenant chosen in that sign-in; a later authorization
 * request in the same browser session (e.g. from Odoo) reuses the session's
 * tenant.
 */
async function autoGrant(ctx: KoaContextWithOIDC, choices: TenantChoices) {
  const { session, client, params, result } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const provider = ctx.oidc.provider;
  let grant;
  let tenantId: string | undefined;
  if (result?.login) {
    const chosen = (result as { tenant?: { tenant_id?: unknown } }).tenant?.tenant_id;
    tenantId = typeof chosen === "string" ? chosen : undefined;
    choices.bySession.set(session.uid, tenantId);
  } else {
    const grantId = session.grantIdFor(client.clientId);
    grant = grantId ? await provider.Grant.find(grantId) : undefined;
    tenantId = choices.bySession.get(session.uid);
  }
  const isNew = !grant;
  grant ??= new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  if (typeof params?.scope === "string") grant.addOIDCScope(params.scope);
  const grantId = await grant.save();
  if (isNew) choices.byGrant.set(grantId, tenantId);
  return grant;
}

type PendingTenantChoice = { sub: string; expiresAt: number };

function createApp({
  provider,
  mount,
  options,
  signingKey,
  directory,
  issuer,
  choices,
}: Setup & { provider: Provider }): express.Express {
  const app = express();
  app.disable("x-powered-by");
  const allowSignUp = options.allowSignUp ?? true;
  const pendingTenantChoices = new Map<string, PendingTenantChoice>();
  const form = express.urlencoded({ extended: false, limit: "16kb" });
  const paths = (uid: string) => {
    const base = `${mount}/interaction/${encodeURIComponent(uid)}`;
    return {
      login: `${base}/login`,
      tenant: `${base}/tenant`,
      signUp: `${base}/signup`,
      abort: `${base}/abort`,
    };
  };
  const noStore = (_req: Request, res: Response, next: NextFunction) => {
    res.set("cache-control", "no-store");
    next();
  };
  const sendHtml = (res: Response, status: number, body: string) => res.status(status).type("html").send(body);

  /** The interaction named in the path, which must be the one this browser's cookie points at. */
  async function interactionFor(req: Request, response: Response) {
    const details = await provider.interactionDetails(req, response);
    if (details.uid !== req.params.uid) throw new errors.SessionNotFound("interaction mismatch");
    return details;
  }

  async function clientName(clientId: unknown) {
    const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? client?.clientId ?? "your application";
  }

  async function finishLogin(req: Request, response: Response, sub: string, tenantId: string | undefined) {
    pendingTenantChoices.delete(String(req.params.uid));
    log().info({ sub, tenantId }, "dev IdP sign-in");
    await provider.interactionFinished(
      req,
      response,
      { login: { accountId: sub, amr: ["pwd"] }, tenant: { tenant_id: tenantId } },
      { mergeWithLastSubmission: false },
    );
  }

  const router = express.Router();

  router.get("/interaction/:uid", noStore, async (req, response, next) => {
    try {
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      if (details.prompt.name === "login") {
        const hint = details.params.login_hint;
        return sendHtml(
          response,
          200,
          loginPage({
            action: links.login,
            clientName: await clientName(details.params.client_id),
            email: typeof hint === "string" ? hint : undefined,
            signUpHref: allowSignUp ? links.signUp : undefined,
            abortHref: links.abort,
          }),
        );
      }
      if (details.prompt.name === "consent") {
        // Reached only for requests the automatic grant does not cover (e.g. new scopes); still first-party.
        if (!details.session) throw new errors.SessionNotFound("no signed-in session");
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) });
        if (!grant) throw new errors.SessionNotFound("grant not found");
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant.save();
        if (!details.grantId) choices.byGrant.set(grantId, choices.bySession.get(details.session.uid));
        return provider.interactionFinished(req, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
      }
      return sendHtml(response, 400, messagePage("Sign-in problem", `Unsupported step "${details.prompt.name}".`, "alert"));
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/login", noStore, form, async (req, response, next) => {
    try {
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      const email = typeof req.body?.email === "string" ? req.body.email.trim() : "";
      const password = typeof req.body?.password === "string" ? req.body.password : "";
      const again = async (message: string) =>
        sendHtml(
          response,
          401,
          loginPage({
            action: links.login,
            clientName: await clientName(details.params.client_id),
            email,
            error: message,
            signUpHref: allowSignUp ? links.signUp : undefined,
            abortHref: links.abort,
          }),
        );
      if (!email || !password) return again("Enter your email and password.");
      const outcome = directory.authenticate(email, password);
      if ("error" in outcome) {
        log().info({ email, reason: outcome.error }, "dev IdP sign-in refused");
        return again(
          outcome.error === "no_such_account"
            ? `There is no such account for ${email}. Check the address${allowSignUp ? " or create an account" : ""}.`
            : "Wrong password. Try again.",
        );
      }
      const { account } = outcome;
      if (account.tenants.length > 1) {
        for (const [uid, pending] of pendingTenantChoices) if (pending.expiresAt < Date.now()) pendingTenantChoices.delete(uid);
        pendingTenantChoices.set(details.uid, { sub: account.sub, expiresAt: details.exp * 1000 });
        return sendHtml(
          response,
          200,
          chooseTenantPage({ action: links.tenant, email: account.email, tenants: account.tenants, abortHref: links.abort }),
        );
      }
      await finishLogin(req, response, account.sub, account.tenants[0]?.tenant_id);
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/tenant", noStore, form, async (req, response, next) => {
    try {
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      const pending = pendingTenantChoices.get(details.uid);
      const account = pending && pending.expiresAt >= Date.now() ? directory.findBySub(pending.sub) : undefined;
      if (!account) {
        return sendHtml(
          response,
          401,
          loginPage({
            action: links.login,
            clientName: await clientName(details.params.client_id),
            error: "Sign in first, then choose a workspace.",
            signUpHref: allowSignUp ? links.signUp : undefined,
            abortHref: links.abort,
          }),
        );
      }
      const chosen = typeof req.body?.tenant_id === "string" ? req.body.tenant_id : "";
      if (!account.tenants.some((t) => t.tenant_id === chosen)) {
        return sendHtml(
          response,
          400,
          chooseTenantPage({
            action: links.tenant,
            email: account.email,
            tenants: account.tenants,
            error: "Choose one of your workspaces.",
            abortHref: links.abort,
          }),
        );
      }
      await finishLogin(req, response, account.sub, chosen);
    } catch (error) {
      next(error);
    }
  });

  router.get("/interaction/:uid/signup", noStore, async (req, response, next) => {
    try {
      if (!allowSignUp) return sendHtml(response, 404, messagePage("Not available", "Sign-up is turned off."));
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      sendHtml(response, 200, signUpPage({ action: links.signUp, loginHref: `${mount}/interaction/${details.uid}`, minPasswordLength: MIN_SIGN_UP_PASSWORD }));
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/signup", noStore, form, async (req, response, next) => {
    try {
      if (!allowSignUp) return sendHtml(response, 404, messagePage("Not available", "Sign-up is turned off."));
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      const values = {
        email: typeof req.body?.email === "string" ? req.body.email : "",
        name: typeof req.body?.name === "string" ? req.body.name : "",
      };
      const again = (errors: Parameters<typeof signUpPage>[0]["errors"]) =>
        sendHtml(
          response,
          400,
          signUpPage({
            action: links.signUp,
            loginHref: `${mount}/interaction/${details.uid}`,
            values,
            errors,
            minPasswordLength: MIN_SIGN_UP_PASSWORD,
          }),
        );
      const parsed = signUpSchema.safeParse({ ...values, password: req.body?.password });
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? "form");
          fieldErrors[field] ??= issue.message;
        }
        return again(fieldErrors);
      }
      let account;
      try {
        account = await directory.signUp(parsed.data);
      } catch (error) {
        if (error instanceof AccountExistsError) return again({ email: error.message });
        throw error;
      }
      log().info({ sub: account.sub }, "dev IdP account created");
      await finishLogin(req, response, account.sub, undefined);
    } catch (error) {
      next(error);
    }
  });

  router.get("/interaction/:uid/abort", noStore, async (req, response, next) => {
    try {
      await interactionFor(req, response);
      pendingTenantChoices.delete(String(req.params.uid));
      await provider.interactionFinished(
        req,
        response,
        { error: "access_denied", error_description: "The user cancelled the sign-in" },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  router.post("/dev/token", express.json({ limit: "16kb" }), async (req, response, next) => {
    try {
      const parsed = devTokenRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        return response.status(400).json({
          error: "invalid_request",
          error_description: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
        });
      }
      const id_token = await mintDevToken(parsed.data, { issuer, signingKey, defaultAudience: options.clients[0]!.client_id });
      response.set("cache-control", "no-store").json({ id_token });
    } catch (error) {
      next(error);
    }
  });

  app.use(mount || "/", router);
  app.use(mount || "/", provider.callback());

  app.use((error: unknown, req: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    if (req.path.endsWith("/dev/token")) {
      const status = (error as { status?: number }).status ?? 500;
      return response.status(status).json({
        error: status < 500 ? "invalid_request" : "server_error",
        error_description: status < 500 ? "body must be JSON" : "unexpected error",
      });
    }
    if (error instanceof errors.SessionNotFound) {
      return sendHtml(
        response,
        400,
        messagePage(
          "Sign-in expired",
          "This sign-in page is no longer valid (it expired or was opened in another browser). Go back to the application and sign in again.",
          "alert",
        ),
      );
    }
    log().error({ err: error }, "dev IdP interaction failed");
    sendHtml(response, 500, messagePage("Sign-in problem", "Something went wrong. Go back to the application and try again.", "alert"));
  });
  return app;
}

async function mintDevToken(
  request: z.output<typeof devTokenRequestSchema>,
  { issuer, signingKey, defaultAudience }: { issuer: string; signingKey: SigningKey; defaultAudience: string },
): Promise<string> {
  const { expires_in, nbf, aud, ...claims } = request;
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { ...claims };
  if (nbf !== undefined) payload.nbf = nbf;
  const key = await importJWK(signingKey, "RS256");
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid: signingKey.kid, typ: "JWT" })
    .setIssuer(issuer)
    .setAudience(aud ?? defaultAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + expires_in)
    .sign(key);
}
