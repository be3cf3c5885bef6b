import { createHash, randomBytes } from "node:crypto";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import type { Session } from "~/generated/prisma/client";
import { secretRing } from "~/crypto/keys.server";
import { open, seal } from "~/crypto/secret-box.server";

/**
 * Browser sessions, kept server-side. The cookie holds 32 random bytes; the
 * row is keyed by their sha256. Each sign-in gets a new id (no fixation),
 * sessions end after SESSION_IDLE_MINUTES without use or SESSION_MAX_DAYS in
 * all, and logout deletes the row.
 */
export function sessionCookieName(): string {
  return env().NODE_ENV === "production" ? "__Host-nexius_session" : "nexius_session";
}

function cookieAttributes(maxAgeSeconds: number): string {
  const secure = env().NODE_ENV === "production" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax${secure}; Max-Age=${maxAgeSeconds}`;
}

function hashOf(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

export function readSessionId(request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  const name = sessionCookieName();
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      const value = rest.join("=");
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
    }
  }
  return null;
}

export type NewSession = {
  userId: string;
  tenantId: string | null;
  sub: string;
  email: string;
  roles: string[];
  idToken: string | null;
  refreshToken: string | null;
  tokensExpireAt: Date | null;
};

export async function createSession(data: NewSession, request: Request): Promise<{ setCookie: string; session: Session }> {
  const id = randomBytes(32).toString("base64url");
  const idHash = hashOf(id);
  const refresh = data.refreshToken ? seal(secretRing(), data.refreshToken, `session-refresh:${idHash}`) : null;
  const maxAge = env().SESSION_MAX_DAYS * 24 * 60 * 60;
  const session = await platformDb.session.create({
    data: {
      idHash,
      tenantId: data.tenantId,
      userId: data.userId,
      sub: data.sub,
      email: data.email,
      roles: data.roles,
      idToken: data.idToken,
      refreshCipher: refresh ? new Uint8Array(refresh.cipher) : null,
      refreshKeyId: refresh?.keyId ?? null,
      tokensExpireAt: data.tokensExpireAt,
      expiresAt: new Date(Date.now() + maxAge * 1000),
      userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null,
      ip: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
    },
  });
  return { setCookie: `${sessionCookieName()}=${id}; ${cookieAttributes(maxAge)}`, session };
}

export function clearSessionCookie(): string {
  return `${sessionCookieName()}=; ${cookieAttributes(0)}`;
}

/** The live session for this request, or null (missing, unknown, expired or idle too long). */
export async function getSession(request: Request): Promise<Session | null> {
  const id = readSessionId(request);
  if (!id) return null;
  const session = await platformDb.session.findUnique({ where: { idHash: hashOf(id) } });
  if (!session) return null;
  const now = Date.now();
  const idleLimit = env().SESSION_IDLE_MINUTES * 60_000;
  if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > idleLimit) {
    await platformDb.session.deleteMany({ where: { idHash: session.idHash } });
    return null;
  }
  // Writing on every request would turn reads into writes; a minute's precision is plenty.
  if (now - session.lastSeenAt.getTime() > 60_000) {
    await platformDb.session.update({ where: { idHash: session.idHash }, data: { lastSeenAt: new Date(now) } });
  }
  return session;
}

export function refreshTokenOf(session: Session): string | null {
  if (!session.refreshCipher || !session.refreshKeyId) return null;
  return open(secretRing(), { cipher: Buffer.from(session.refreshCipher), keyId: session.refreshKeyId }, `session-refresh:${session.idHash}`);
}

export async function updateSessionTokens(
  session: Session,
  tokens: { idToken: string; refreshToken: string | null; tokensExpireAt: Date; roles: string[] },
): Promise<Session> {
  const refresh = tokens.refreshToken ? seal(secretRing(), tokens.refreshToken, `session-refresh:${session.idHash}`) : null;
  return platformDb.session.update({
    where: { idHash: session.idHash },
    data: {
      idToken: tokens.idToken,
      roles: tokens.roles,
      tokensExpireAt: tokens.tokensExpireAt,
      ...(refresh ? { refreshCipher: new Uint8Array(refresh.cipher), refreshKeyId: refresh.keyId } : {}),
    },
  });
}

export async function bindSessionToTenant(session: Session, tenantId: string): Promise<void> {
  await platformDb.session.update({ where: { idHash: session.idHash }, data: { tenantId } });
}

export async function destroySession(session: Session): Promise<void> {
  await platformDb.session.deleteMany({ where: { idHash: session.idHash } });
}

export async function destroySessionsOfTenant(tenantId: string): Promise<number> {
  const { count } = await platformDb.session.deleteMany({ where: { tenantId } });
  return count;
}
