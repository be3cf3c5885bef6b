import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { secretRing } from "~/crypto/keys.server";
import { open, seal, type Sealed } from "~/crypto/secret-box.server";
import { platformDb } from "~/db.server";
import { env } from "~/env.server";
import { type Session } from "~/generated/prisma/client";
import { log } from "~/logger.server";
import { singleton } from "~/singleton.server";

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
  /** The client's address as the web server computed it from TRUST_PROXY_HOPS (app/http/security-headers.server.ts). */
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

/**
 * Connections that only hold session locks. The work done under a lock uses
 * platformDb's own pool, so however many refreshes wait here, the ones
 * holding a lock never wait for a connection a waiter holds.
 */
function lockPool(): pg.Pool {
  return singleton("session-lock-pool", () => {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 10, idleTimeoutMillis: 10_000, options: "-c lock_timeout=20000" });
    // An idle connection the server closed is replaced on the next checkout; it must not crash the process.
    pool.on("error", (error) => log().warn({ err: error }, "session lock connection closed"));
    return pool;
  });
}

/**
 * Runs `work` holding a Postgres advisory lock on the session, with the row
 * as it is once the lock is held (null when it is gone). Token refreshes of
 * one session are serialised through it across every web instance: with
 * rotating refresh tokens a second use of the old token would revoke the
 * sign-in. Waiting gives up after 20 s (lock_timeout).
 */
export async function withLockedSession<T>(idHash: string, work: (current: Session | null) => Promise<T>): Promise<T> {
  const key = BigInt.asIntN(64, BigInt(`0x${idHash.slice(0, 16)}`)).toString();
  const client = await lockPool().connect();
  let broken: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1::bigint)", [key]);
    try {
      return await work(await platformDb.session.findUnique({ where: { idHash } }));
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    // A connection whose unlock failed is closed, which releases its lock.
    client.release(broken);
  }
}

/** Stores a refresh's outcome: new tokens, and the roles and tenant of the newest token as they are. */
export async function updateSessionTokens(
  session: Session,
  tokens: { idToken: string; refreshToken: string | null; tokensExpireAt: Date; roles: string[]; tenantId: string | null },
): Promise<Session> {
  return platformDb.session.update({
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

export async function destroySession(session: Session): Promise<void> {
  await platformDb.session.deleteMany({ where: { idHash: session.idHash } });
}

export async function destroySessionsOfTenant(tenantId: string): Promise<number> {
  const { count } = await platformDb.session.deleteMany({ where: { tenantId } });
  return count;
}
