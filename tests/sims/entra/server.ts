import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { aadError, type Reply } from "../graph/wire";

/**
 * Microsoft Entra ID's sign-in (the identity platform's v2.0 endpoints) as a
 * simulator, for a multi-tenant app's OpenID Connect authorization-code flow:
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   discovery
 *   GET  /{tenant}/discovery/v2.0/keys                      signing keys (JWKS)
 *   GET  /{tenant}/oauth2/v2.0/authorize                    the sign-in page
 *   POST /{tenant}/oauth2/v2.0/authorize                    the user's answer → redirect with code and state
 *   POST /{tenant}/oauth2/v2.0/token                        authorization_code (client_secret_post or _basic, PKCE S256)
 * `{tenant}` is a directory id, one of its domains, or `organizations` /
 * `common`; their discovery states the issuer `<base>/{tenantid}/v2.0` (the
 * placeholder verbatim) and a directory's own states `<base>/<tid>/v2.0`. ID
 * tokens carry what Entra's v2.0 tokens do: `iss` of the user's directory,
 * `tid`, `oid`, a `sub` pairwise per app, `preferred_username`, `name`,
 * `nonce`, `ver` 2.0, and the app roles (`roles`) and security groups
 * (`groups`) assigned to the user. Errors use the platform's AADSTS codes.
 */
export type EntraUser = {
  oid?: string;
  /** The UPN, also the `preferred_username`. */
  username: string;
  name: string;
  email?: string;
  roles?: string[];
  groups?: string[];
};

export type EntraDirectory = { tid: string; domains: string[]; users: EntraUser[] };

/** A multi-tenant app registration: every directory here has consented to it. */
export type EntraApp = { clientId: string; clientSecret: string; redirectUris: string[] };

export type EntraSimOptions = {
  port?: number;
  host?: string;
  /** The public base URL (as the login host); the listening address when unset. */
  baseUrl?: string;
  /** The host name of the base URL, on the listening port (a fixture host the app maps to loopback); ignored with baseUrl. */
  publicHost?: string;
  directories: EntraDirectory[];
  apps: EntraApp[];
  tokenLifetimeS?: number;
};

export type EntraSim = {
  url: string;
  /** Adds or replaces a user of a directory, as its administrator would. */
  putUser(tid: string, user: EntraUser): void;
  /** The authorization requests received (tests check what the app asked for). */
  authorizeRequests: URLSearchParams[];
  close(): Promise<void>;
};

const GENERIC = new Set(["common", "organizations"]);
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Grant = {
  clientId: string;
  redirectUri: string;
  directory: EntraDirectory;
  user: EntraUser & { oid: string };
  nonce?: string;
  scope: string;
  challenge?: string;
  expiresAt: number;
};

export async function startEntraSimulator(options: EntraSimOptions): Promise<EntraSim> {
  const directories = options.directories.map((d) => ({
    ...d,
    tid: d.tid.toLowerCase(),
    users: d.users.map((u) => ({ ...u, oid: u.oid ?? randomUUID() })),
  }));
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID().replace(/-/g, "").slice(0, 27);
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, use: "sig", kty: "RSA" };
  const codes = new Map<string, Grant>();
  const authorizeRequests: URLSearchParams[] = [];
  let base = "";

  const directoryOf = (tenant: string) =>
    directories.find((d) => d.tid === tenant.toLowerCase() || d.domains.some((domain) => domain.toLowerCase() === tenant.toLowerCase()));
  const issuerOf = (tenant: string) => `${base}/${GENERIC.has(tenant) ? "{tenantid}" : directoryOf(tenant)!.tid}/v2.0`;

  function discovery(tenant: string): Reply {
    if (!GENERIC.has(tenant) && !directoryOf(tenant)) {
      return aadError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
    }
    const path = GENERIC.has(tenant) ? tenant : directoryOf(tenant)!.tid;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/${path}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${base}/${path}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: issuerOf(tenant),
        request_uri_parameter_supported: false,
        userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
        authorization_endpoint: `${base}/${path}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/${path}/oauth2/v2.0/logout`,
        claims_supported: [
          "sub",
          "iss",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "acr",
          "nonce",
          "preferred_username",
          "name",
          "tid",
          "ver",
          "at_hash",
          "c_hash",
          "email",
        ],
        tenant_region_scope: "AS",
        cloud_instance_name: "microsoftonline.com",
      },
    };
  }

  function page(title: string, body: string, status = 200) {
    return {
      status,
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    };
  }
  const errorPage = (code: number, message: string) => page("Sign in to your account", `<p role="alert">AADSTS${code}: ${escapeHtml(message)}</p>`, 400);

  /** Checks the request's client and redirect URI; errors here are shown, never redirected (the redirect is not trusted yet). */
  function checkClient(params: URLSearchParams): { app: EntraApp; redirectUri: string } | { status: number; html: string } {
    const app = options.apps.find((a) => a.clientId === params.get("client_id"));
    if (!app) return errorPage(700016, `Application with identifier '${params.get("client_id")}' was not found in the directory.`);
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!app.redirectUris.includes(redirectUri)) {
      return errorPage(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
      );
    }
    return { app, redirectUri };
  }

  function authorizePage(tenant: string, params: URLSearchParams) {
    authorizeRequests.push(params);
    const checked = checkClient(params);
    if ("html" in checked) return checked;
    if (!GENERIC.has(tenant) && !directoryOf(tenant)) return errorPage(90002, `Tenant '${tenant}' not found.`);
    if (params.get("response_type") !== "code" || !(params.get("scope") ?? "").split(" ").includes("openid")) {
      return {
        status: 302,
        location: errorRedirect(checked.redirectUri, params, "unsupported_response_type", 700054, "response_type 'code' with scope openid is expected."),
      };
    }
    const hidden = [...params.entries()].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join("");
    return page(
      "Sign in",
      `<form method="post">${hidden}<label>Email, phone, or Skype <input name="login" type="email" autocomplete="username" value="${escapeHtml(params.get("login_hint") ?? "")}"></label><button type="submit">Sign in</button></form>`,
    );
  }

  function errorRedirect(redirectUri: string, params: URLSearchParams, error: string, code: number, description: string): string {
    const url = new URL(redirectUri);
    url.searchParams.set("error", error);
    url.searchParams.set("error_description", `AADSTS${code}: ${description}`);
    if (params.get("state")) url.searchParams.set("state", params.get("state")!);
    return url.toString();
  }

  function authorizeAnswer(tenant: string, form: URLSearchParams) {
    const checked = checkClient(form);
    if ("html" in checked) return checked;
    const login = (form.get("login") ?? "").trim().toLowerCase();
    const inTenant = GENERIC.has(tenant) ? directories : directories.filter((d) => d === directoryOf(tenant));
    const directory = inTenant.find((d) => d.users.some((u) => u.username.toLowerCase() === login));
    const user = directory?.users.find((u) => u.username.toLowerCase() === login);
    if (!directory || !user) {
      return page(
        "Sign in",
        `<p role="alert">AADSTS50034: The user account ${escapeHtml(login)} does not exist in the directory. To sign into this application, the account must be added to the directory.</p>`,
        400,
      );
    }
    if (form.get("code_challenge") && form.get("code_challenge_method") !== "S256") {
      return { status: 302, location: errorRedirect(checked.redirectUri, form, "invalid_request", 501491, "Invalid code_challenge_method.") };
    }
    const code = `0.A${randomUUID().replace(/-/g, "")}`;
    codes.set(code, {
      clientId: checked.app.clientId,
      redirectUri: checked.redirectUri,
      directory,
      user,
      nonce: form.get("nonce") ?? undefined,
      scope: form.get("scope") ?? "openid",
      challenge: form.get("code_challenge") ?? undefined,
      expiresAt: Date.now() + 600_000,
    });
    const url = new URL(checked.redirectUri);
    url.searchParams.set("code", code);
    if (form.get("state")) url.searchParams.set("state", form.get("state")!);
    url.searchParams.set("session_state", randomUUID());
    return { status: 302, location: url.toString() };
  }

  async function token(tenant: string, headers: http.IncomingHttpHeaders, raw: string): Promise<Reply> {
    if (!headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) {
      return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    const form = new URLSearchParams(raw);
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    const basic = /^Basic (.+)$/i.exec(headers.authorization ?? "")?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent);
      clientId = id ?? null;
      clientSecret = secret ?? null;
    }
    if (form.get("grant_type") !== "authorization_code") return aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    const app = options.apps.find((a) => a.clientId === clientId);
    if (!app) return aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory.`);
    if (app.clientSecret !== clientSecret) {
      return aadError(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.",
      );
    }
    const grant = codes.get(form.get("code") ?? "");
    codes.delete(form.get("code") ?? "");
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== app.clientId) {
      return aadError(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.");
    }
    if (!GENERIC.has(tenant) && directoryOf(tenant) !== grant.directory) {
      return aadError(400, "invalid_grant", 50020, "The user account from the identity provider does not exist in this tenant.");
    }
    if (form.get("redirect_uri") !== grant.redirectUri) {
      return aadError(400, "invalid_grant", 70008, "The redirect URI does not match the one of the authorization request.");
    }
    if (grant.challenge) {
      const verifier = form.get("code_verifier") ?? "";
      if (createHash("sha256").update(verifier).digest("base64url") !== grant.challenge) {
        return aadError(400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
      }
    }
    const lifetime = options.tokenLifetimeS ?? 3599;
    const { user, directory } = grant;
    const claims: Record<string, unknown> = {
      name: user.name,
      oid: user.oid,
      preferred_username: user.username,
      rh: `0.A${randomUUID().replace(/-/g, "").slice(0, 20)}.`,
      tid: directory.tid,
      uti: randomUUID().replace(/-/g, "").slice(0, 22),
      ver: "2.0",
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      ...(user.email && grant.scope.split(" ").includes("email") ? { email: user.email } : {}),
      ...(user.roles?.length ? { roles: user.roles } : {}),
      ...(user.groups?.length ? { groups: user.groups } : {}),
    };
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(`${base}/${directory.tid}/v2.0`)
      .setAudience(app.clientId)
      // Entra's sub is pairwise: the same user has another sub in another app.
      .setSubject(createHash("sha256").update(`${app.clientId}:${user.oid}`).digest("base64url").slice(0, 43))
      .setIssuedAt()
      .setNotBefore("0s")
      .setExpirationTime(`${lifetime}s`)
      .sign(privateKey);
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        scope: grant.scope,
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: `eyJ0eXAi.${randomUUID()}`,
        id_token: idToken,
      },
    };
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://sim");
    const [, tenantRaw, ...rest] = url.pathname.split("/");
    const tenant = decodeURIComponent(tenantRaw ?? "").toLowerCase();
    const route = `${req.method} /${rest.join("/")}`;
    const send = (reply: { status: number; html?: string; location?: string; body?: unknown; headers?: Record<string, string> }) => {
      if (reply.location) res.writeHead(reply.status, { location: reply.location });
      else if (reply.html !== undefined) res.writeHead(reply.status, { "content-type": "text/html; charset=utf-8" });
      else res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
      res.end(reply.html ?? (reply.location ? "" : JSON.stringify(reply.body)));
    };
    if (route === "GET /v2.0/.well-known/openid-configuration") return send(discovery(tenant));
    if (route === "GET /discovery/v2.0/keys") {
      if (!GENERIC.has(tenant) && !directoryOf(tenant)) return send(aadError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found.`));
      return send({ status: 200, body: { keys: [{ ...jwk, issuer: issuerOf(tenant) }] } });
    }
    if (route === "GET /oauth2/v2.0/authorize") return send(authorizePage(tenant, url.searchParams));
    if (route === "POST /oauth2/v2.0/authorize") return send(authorizeAnswer(tenant, new URLSearchParams(body)));
    if (route === "POST /oauth2/v2.0/token") return send(await token(tenant, req.headers, body));
    send({ status: 404, body: { error: "not_found", error_description: `No route for ${req.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = (options.baseUrl ?? `http://${options.publicHost ?? options.host ?? "127.0.0.1"}:${port}`).replace(/\/+$/, "");

  return {
    url: base,
    authorizeRequests,
    putUser(tid, user) {
      const directory = directories.find((d) => d.tid === tid.toLowerCase());
      if (!directory) throw new Error(`entra simulator: no directory ${tid}`);
      directory.users = [
        ...directory.users.filter((u) => u.username.toLowerCase() !== user.username.toLowerCase()),
        { ...user, oid: user.oid ?? randomUUID() },
      ];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
