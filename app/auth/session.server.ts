import { createHash, randomBytes } from "node:crypto";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import type { Prisma, Session } from "~/generated/prisma/client";
import { secretRing } from "~/crypto/keys.server";
import { open, seal, type Sealed } from "~/crypto/secret-box.server";

/**
 * Browser sessions, kept server-side. The cookie holds 32 random bytes; the
 * row is keyed by their sha256. Each sign-in gets a new id (no fixation),
 * sessions end after SESSION_IDLE_MINUTES without use or SESSION_MAX_DAYS in
 * all, and logout deletes the row. The IdP's tokens behind it are sealed at
 * rest: a refresh token renews the sign-in, and an ID token is a credential
 * the API accepts, so neither may be readable from a database dump.
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

/** AAD contexts: a ciphertext copied onto another session's row does not open there. */
export const refreshContext = (idHash: string) => `session-refresh:${idHash}`;
export const idTokenContext = (idHash: string) => `session-id-token:${idHash}`;

function sealedColumns(idHash: string, tokens: { idToken?: string | null; refreshToken?: string | null }) {
  const bytes = (sealed: Sealed) => new Uint8Array(sealed.cipher);
  const refresh = tokens.refreshToken ? seal(secretRing(), tokens.refreshToken, refreshContext(idHash)) : null;
  const idToken = tokens.idToken ? seal(secretRing(), tokens.idToken, idTokenContext(idHash)) : null;
  return {
    ...(refresh ? { refreshCipher: bytes(refresh), refreshKeyId: refresh.keyId } : {}),
    ...(idToken ? { idTokenCipher: bytes(idToken), idTokenKeyId: idToken.keyId } : {}),
  };
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
  /** The client's address as the trusted proxies report it (see app/http/client-ip.server.ts). */
  clientIp?: string | null;
};

export async function createSession(data: NewSession, request: Request): Promise<{ setCookie: string; session: Session }> {
  const id = randomBytes(32).toString("base64url");
  const idHash = hashOf(id);
  const maxAge = env().SESSION_MAX_DAYS * 24 * 60 * 60;
  const session = await platformDb.session.create({
    data: {
      idHash,
      tenantId: data.tenantId,
      userId: data.userId,
      sub: data.sub,
      email: data.email,
      roles: data.roles,
      ...sealedColumns(idHash, data),
      tokensExpireAt: data.tokensExpireAt,
      expiresAt: new Date(Date.now() + maxAge * 1000),
      userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null,
      ip: data.clientIp ?? null,
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
  return open(secretRing(), { cipher: Buffer.from(session.refreshCipher), keyId: session.refreshKeyId }, refreshContext(session.idHash));
}

export function idTokenOf(session: Session): string | null {
  if (!session.idTokenCipher || !session.idTokenKeyId) return null;
  return open(secretRing(), { cipher: Buffer.from(session.idTokenCipher), keyId: session.idTokenKeyId }, idTokenContext(session.idHash));
}

type SessionClient = Pick<Prisma.TransactionClient, "session" | "$queryRaw">;

/**
 * Runs `work` holding a row lock on the session, with the row as it is once
 * the lock is held (null when it is gone). Token refreshes of one session are
 * serialised through it across every web instance: with rotating refresh
 * tokens a second use of the old token would revoke the sign-in.
 */
export async function withLockedSession<T>(idHash: string, work: (current: Session | null, tx: SessionClient) => Promise<T>): Promise<T> {
  // Long enough for a refresh round trip to the IdP; a hung IdP rolls the lock back instead of holding it.
  return platformDb.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM sessions WHERE id_hash = ${idHash} FOR UPDATE`;
      return work(await tx.session.findUnique({ where: { idHash } }), tx);
    },
    { maxWait: 20_000, timeout: 20_000 },
  );
}

/** Stores a refresh's outcome: new tokens, and the roles and tenant of the newest token as they are. */
export async function updateSessionTokens(
  session: Session,
  tokens: { idToken: string; refreshToken: string | null; tokensExpireAt: Date; roles: string[]; tenantId: string | null },
  client: SessionClient = platformDb,
): Promise<Session> {
  return client.session.update({
    where: { idHash: session.idHash },
    data: {
      roles: tokens.roles,
      tenantId: tokens.tenantId,
      tokensExpireAt: tokens.tokensExpireAt,
      ...sealedColumns(session.idHash, tokens),
    },
  });
}

export async function bindSessionToTenant(session: Session, tenantId: string): Promise<void> {
  await platformDb.session.update({ where: { idHash: session.idHash }, data: { tenantId } });
}

export async function destroySession(session: Session, client: SessionClient = platformDb): Promise<void> {
  await client.session.deleteMany({ where: { idHash: session.idHash } });
}

export async function destroySessionsOfTenant(tenantId: string): Promise<number> {
  const { count } = await platformDb.session.deleteMany({ where: { tenantId } });
  return count;
}
