import { type Adapter, type AdapterPayload } from "oidc-provider";

/**
 * Storage for one dev IdP instance (sessions, interactions, codes, tokens,
 * grants). oidc-provider's own in-memory adapter is a process-wide LRU, so two
 * IdPs in one process (tests, key rotation) would share state; this one is
 * per instance and forgets everything on restart, as a dev IdP may.
 */
type Entry = { payload: AdapterPayload; expiresAt: number };

const GRANTABLE = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest"]);

export function createMemoryAdapter(): new (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  const sessionByUid = new Map<string, string>();
  const membersByGrant = new Map<string, Set<string>>();

  let writes = 0;
  // Expired entries are dropped when read; a periodic sweep bounds memory for ones never read again.
  const sweep = () => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    for (const [uid, id] of sessionByUid) if (!entries.has(`Session:${id}`)) sessionByUid.delete(uid);
    for (const [grantId, members] of membersByGrant) {
      for (const key of members) if (!entries.has(key)) members.delete(key);
      if (!members.size) membersByGrant.delete(grantId);
    }
  };

  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string) {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      if (++writes % 1000 === 0) sweep();
      const key = this.key(id);
      entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      if (this.model === "Session" && payload.uid) sessionByUid.set(payload.uid, id);
      if (GRANTABLE.has(this.model) && payload.grantId) {
        const members = membersByGrant.get(payload.grantId) ?? new Set();
        members.add(key);
        membersByGrant.set(payload.grantId, members);
      }
    }

    async find(id: string) {
      return live(this.key(id));
    }

    async findByUid(uid: string) {
      const id = sessionByUid.get(uid);
      return id ? live(this.key(id)) : undefined;
    }

    async findByUserCode(userCode: string) {
      for (const [key, entry] of entries) {
        if (key.startsWith(`${this.model}:`) && entry.payload.userCode === userCode) return live(key);
      }
      return undefined;
    }

    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string) {
      const key = this.key(id);
      const payload = entries.get(key)?.payload;
      entries.delete(key);
      if (payload?.uid && sessionByUid.get(payload.uid) === id) sessionByUid.delete(payload.uid);
    }

    async revokeByGrantId(grantId: string) {
      for (const key of membersByGrant.get(grantId) ?? []) entries.delete(key);
      membersByGrant.delete(grantId);
    }
  };
}
