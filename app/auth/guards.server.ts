import { redirect } from "@remix-run/node";
import { OAuth2RequestError } from "remix-auth-oauth2";
import { z } from "zod";
import { QuotaExceededError } from "~/billing/quotas";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { type Session, type Tenant } from "~/generated/prisma/client";
import { limitUser } from "~/http/rate-limit.server";
import { apiError, isApiRequest } from "~/http.server";
import { addLogContext, log } from "~/logger.server";
import { singleton } from "~/singleton.server";
import { resolveIdentity } from "./identity.server";
import { refreshSignIn, tokenVerifier } from "./oidc.server";
import { isPlatformStaff, type PlatformRole, type TenantRole } from "./roles";
import { destroySession, getSession, refreshTokenOf, updateSessionTokens, withLockedSession } from "./session.server";
import { TokenError } from "./tokens.server";

/**
 * Who is asking, from a session cookie (pages) or a bearer token (/api). The
 * tenant comes only from the verified token (or the workspace bound to its
 * subject); guards throw a redirect, 401, 403 or 423 and are shared by pages
 * and API routes.
 */
export type TenantSummary = Pick<Tenant, "id" | "slug" | "name" | "status">;

export type Viewer = {
  userId: string | null;
  sub: string;
  email: string;
  /** The bearer token's `email_verified` claim (a session's sign-in recorded it on the user row). */
  emailVerified?: boolean;
  /** The token's `name` claim (bearer only; a session's user row has it). */
  name?: string;
  roles: string[];
  tenant: TenantSummary | null;
  /** The bearer token's `tenant_id` claim as sent, also when no tenant of that id or slug exists yet. */
  tenantClaim?: string;
  via: "session" | "bearer";
  session: Session | null;
};

export type TenantViewer = Viewer & { tenant: TenantSummary };

const tenantSummary = { id: true, slug: true, name: true, status: true } as const;

function unauthenticated(request: Request, reason: string, message: string): Response {
  if (isApiRequest(request)) return bearerChallenge(apiError(401, "unauthenticated", message, { reason }), null);
  const url = new URL(request.url);
  const returnTo = `${url.pathname}${url.search}`;
  return redirect(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
}

/** RFC 6750 §3: a 401 names the scheme, and the error when a token was presented. */
function bearerChallenge(response: Response, error: "invalid_request" | "invalid_token" | null): Response {
  response.headers.set("WWW-Authenticate", error ? `Bearer realm="api", error="${error}"` : `Bearer realm="api"`);
  return response;
}

export async function getViewer(request: Request): Promise<Viewer | null> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null && isApiRequest(request)) return bearerViewer(request, authorization);
  const session = await getSession(request);
  if (!session) return null;
  const live = await keepTokensFresh(session);
  if (!live) return null;
  const tenant = live.tenantId ? await platformDb.tenant.findUnique({ where: { id: live.tenantId }, select: tenantSummary }) : null;
  const viewer: Viewer = {
    userId: live.userId,
    sub: live.sub,
    email: live.email,
    roles: live.roles,
    tenant: await devTenantOverride(request, tenant),
    via: "session",
    session: live,
  };
  addLogContext({ userId: viewer.sub, tenantId: viewer.tenant?.id });
  return viewer;
}

async function bearerViewer(request: Request, authorization: string): Promise<Viewer> {
  const match = authorization.match(/^Bearer\s+(\S+)$/i);
  if (!match) throw bearerChallenge(apiError(401, "unauthenticated", "Authorization must be `Bearer <token>`", { reason: "malformed" }), "invalid_request");
  let claims;
  try {
    claims = await tokenVerifier().verify(match[1]);
  } catch (error) {
    if (error instanceof TokenError) throw bearerChallenge(apiError(401, "unauthenticated", error.message, { reason: error.reason }), "invalid_token");
    log().error({ err: error }, "bearer token could not be checked");
    throw apiError(503, "idp_unavailable", "The identity provider could not be reached to check the token");
  }
  const user = await platformDb.user.findUnique({ where: { sub: claims.sub }, select: { id: true } });
  const tenant = claims.tenant_id
    ? await platformDb.tenant.findFirst({
        where: /^[0-9a-f-]{36}$/i.test(claims.tenant_id) ? { id: claims.tenant_id } : { slug: claims.tenant_id },
        select: tenantSummary,
      })
    : await platformDb.tenant.findUnique({ where: { ownerSub: claims.sub }, select: tenantSummary });
  const roles = tenant && !claims.tenant_id && !claims.roles.includes("admin") ? [...claims.roles, "admin"] : claims.roles;
  addLogContext({ userId: claims.sub, tenantId: tenant?.id });
  return {
    userId: user?.id ?? null,
    sub: claims.sub,
    email: claims.email,
    emailVerified: claims.email_verified,
    name: claims.name,
    roles,
    tenant: await devTenantOverride(request, tenant),
    tenantClaim: claims.tenant_id,
    via: "bearer",
    session: null,
  };
}

const tokensFresh = (session: Session) => !session.tokensExpireAt || session.tokensExpireAt.getTime() > Date.now() + 30_000;

/** While the IdP cannot be reached, a session outlives its tokens by this much, then ends. */
const UNREACHABLE_IDP_GRACE_MS = 5 * 60_000;

/**
 * Renews the IdP tokens behind a session when they expire, and takes the
 * roles and tenant of the renewed token as they are: what the IdP says now
 * is what applies. A session whose tokens expired without a successful
 * refresh ends. Requests of one session that arrive together (a page's
 * loaders run in parallel) share one refresh in this process, and a lock in Postgres
 * makes other instances wait for it: with rotating refresh tokens a second
 * use of the old one would be refused and revoke the sign-in.
 */
function keepTokensFresh(session: Session): Promise<Session | null> {
  if (tokensFresh(session)) return Promise.resolve(session);
  const pending = singleton("session-refreshes", () => new Map<string, Promise<Session | null>>());
  let refresh = pending.get(session.idHash);
  if (!refresh) {
    refresh = renewSession(session).finally(() => pending.delete(session.idHash));
    pending.set(session.idHash, refresh);
  }
  return refresh;
}

/** One refresh of the session's tokens, safe to call from several instances at once. Exported for the cross-instance test. */
export async function renewSession(session: Session): Promise<Session | null> {
  try {
    return await withLockedSession(session.idHash, async (current) => {
      // Gone, or renewed by another request (or instance) while this one waited for the lock.
      if (!current || tokensFresh(current)) return current;
      const refreshToken = refreshTokenOf(current);
      if (!refreshToken) return endSession(current, "the tokens expired and there is no refresh token");
      let renewed;
      try {
        renewed = await refreshSignIn(refreshToken);
        if (renewed.claims.sub !== current.sub) throw new RefreshRefusedError("refresh returned another subject");
      } catch (error) {
        // Only the IdP refusing the refresh (or a token we cannot accept) ends the session at once; network failures and 5xx are waited out briefly.
        const refused = error instanceof OAuth2RequestError || error instanceof TokenError || error instanceof RefreshRefusedError;
        if (refused) return endSession(current, `token refresh refused: ${(error as Error).message}`);
        throw error;
      }
      const { claims } = renewed;
      let identity;
      try {
        identity = await resolveIdentity({ sub: claims.sub, email: claims.email, name: claims.name, tenant_id: claims.tenant_id, roles: claims.roles });
      } catch (error) {
        // The renewed token moved the person to a workspace with no seat left for them.
        if (error instanceof QuotaExceededError) return endSession(current, error.message);
        throw error;
      }
      return updateSessionTokens(current, { ...renewed, roles: identity.roles, tenantId: identity.tenant?.id ?? null });
    });
  } catch (error) {
    const expiredAt = session.tokensExpireAt?.getTime() ?? 0;
    if (Date.now() - expiredAt < UNREACHABLE_IDP_GRACE_MS) {
      log().warn({ err: error }, "token refresh failed; keeping the session briefly until the IdP answers");
      return session;
    }
    log().warn({ err: error }, "token refresh failed past the grace period; ending the session");
    await destroySession(session);
    return null;
  }
}

async function endSession(session: Session, reason: string): Promise<null> {
  log().info({ reason }, "ending the session");
  await destroySession(session);
  return null;
}

class RefreshRefusedError extends Error {}

/** The development bypass applies only when ALLOW_DEV_BYPASS is set explicitly, and never in production. */
export function devBypassEnabled(): boolean {
  const config = env();
  return config.ALLOW_DEV_BYPASS && config.NODE_ENV !== "production";
}

/** Development only: X-Tenant-ID or the tenant selector's cookie switch the tenant. Ignored otherwise. */
async function devTenantOverride(request: Request, tenant: TenantSummary | null): Promise<TenantSummary | null> {
  if (!devBypassEnabled()) return tenant;
  const cookie = request.headers.get("cookie")?.match(/(?:^|;\s*)dev_tenant=([^;]+)/)?.[1];
  const wanted = request.headers.get("x-tenant-id") ?? (cookie ? decodeURIComponent(cookie) : null);
  if (!wanted) return tenant;
  const override = await platformDb.tenant.findFirst({
    where: z.uuid().safeParse(wanted).success ? { id: wanted } : { slug: wanted },
    select: tenantSummary,
  });
  return override ?? tenant;
}

export async function requireViewer(request: Request): Promise<Viewer> {
  const viewer = await getViewer(request);
  if (!viewer) throw unauthenticated(request, "missing", "Sign in, or send Authorization: Bearer <token>");
  if (isApiRequest(request)) await limitUser(request, "api", viewer.sub);
  return viewer;
}

/**
 * A signed-in member of a workspace that is usable now. Pages of a workspace
 * still being set up go to the setup screen; a paused one answers 423.
 */
export async function requireTenantUser(request: Request, options: { allowSetup?: boolean } = {}): Promise<TenantViewer> {
  const viewer = await requireViewer(request);
  const api = isApiRequest(request);
  if (!viewer.tenant) {
    if (api) throw apiError(404, "no_workspace", "This identity has no workspace yet; POST /api/onboarding/first_login creates it");
    throw isPlatformStaff(viewer.roles) ? redirect("/admin") : new Response("No workspace", { status: 404 });
  }
  if (viewer.tenant.status === "paused" || viewer.tenant.status === "decommissioning" || viewer.tenant.status === "decommissioned") {
    const message = viewer.tenant.status === "paused" ? "This workspace is paused by the platform operator" : "This workspace is decommissioned";
    throw api ? apiError(423, `tenant_${viewer.tenant.status}`, message) : new Response(message, { status: 423, statusText: viewer.tenant.status });
  }
  if (!options.allowSetup && viewer.tenant.status !== "active") {
    throw api ? apiError(409, "workspace_not_ready", "The workspace is still being set up", { status: viewer.tenant.status }) : redirect("/app/setup");
  }
  return viewer as TenantViewer;
}

export function requireRole<V extends Viewer>(request: Request, viewer: V, allowed: ReadonlyArray<TenantRole | PlatformRole>): V {
  if (!allowed.some((role) => viewer.roles.includes(role))) {
    const message = `This needs one of these roles: ${allowed.join(", ")}`;
    throw isApiRequest(request) ? apiError(403, "forbidden", message) : new Response(message, { status: 403 });
  }
  return viewer;
}

export async function requirePlatformUser(
  request: Request,
  allowed: ReadonlyArray<PlatformRole> = ["platform_owner", "platform_operator", "finance_owner"],
): Promise<Viewer> {
  const viewer = await requireViewer(request);
  return requireRole(request, viewer, allowed);
}
