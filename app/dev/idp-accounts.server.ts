import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * The dev identity provider's user directory. The IdP owns passwords (hashed
 * with scrypt here); the platform only ever sees the claims in signed tokens.
 */

const membershipSchema = z.object({
  /** Tenant slug, emitted as the `tenant_id` claim. */
  tenant_id: z.string().min(1),
  roles: z.array(z.string().min(1)),
  odoo_db: z.string().min(1).optional(),
});

export const devUserSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  name: z.string().min(1),
  password: z.string().min(1),
  email_verified: z.boolean().default(true),
  /** Platform-wide roles (platform_owner, platform_operator, finance_owner), emitted whatever the tenant. */
  roles: z.array(z.string().min(1)).default([]),
  tenants: z.array(membershipSchema).default([]),
});

export type DevUserInput = z.input<typeof devUserSchema>;
export type DevUser = z.output<typeof devUserSchema>;
export type TenantMembership = z.infer<typeof membershipSchema>;

export const DEMO_PASSWORD = "demo";

/** Stable subjects, so a restarted IdP signs in the same platform users. */
export const DEMO_USERS: readonly DevUser[] = [
  {
    sub: "09cfaa90-f3ab-4d92-a20d-29b751cd6e4e",
    email: "new.user@example.com",
    name: "New User",
    roles: [],
    tenants: [],
  },
  {
    sub: "881bb7be-9b88-4414-85f5-4d312302dd27",
    email: "ops@acme.test",
    name: "Olivia Ops",
    roles: [],
    tenants: [{ tenant_id: "acme", roles: ["ops"] }],
  },
  {
    sub: "b33c2fe1-5de6-4dc6-9670-82fcc298457c",
    email: "viewer@acme.test",
    name: "Victor Viewer",
    roles: [],
    tenants: [{ tenant_id: "acme", roles: ["viewer"] }],
  },
  {
    sub: "71a0ad9d-ba04-4834-bb0d-8e00f629ae79",
    email: "admin@globex.test",
    name: "Grace Admin",
    roles: [],
    tenants: [{ tenant_id: "globex", roles: ["admin"] }],
  },
  {
    sub: "37b41b05-97f6-4ed6-8d02-c91b35b7f5d7",
    email: "multi@example.com",
    name: "Morgan Multi",
    roles: [],
    tenants: [
      { tenant_id: "acme", roles: ["ops"] },
      { tenant_id: "globex", roles: ["viewer"] },
    ],
  },
  {
    sub: "cc0407ae-0b9a-4a64-a2b9-f672584d9329",
    email: "owner@nexius.test",
    name: "Nora Owner",
    roles: ["platform_owner"],
    tenants: [],
  },
  {
    sub: "5b0c2f4e-8f3a-4d7e-9a61-2f0e4c9d7b13",
    email: "finance@nexius.test",
    name: "Fiona Finance",
    roles: ["finance_owner"],
    tenants: [],
  },
  // Salespeople of the demo tenants' Odoo CRMs (see DEMO_TENANTS): a team manager sees their team, a rep their own deals.
  {
    sub: "3898eae0-5c23-42a8-b752-633fd3af63b6",
    email: "manager@acme.test",
    name: "Mona Manager",
    roles: [],
    tenants: [{ tenant_id: "acme", roles: ["ops"] }],
  },
  {
    sub: "d8790cc8-adfb-4f59-a118-0ed26dbdfd80",
    email: "rep@acme.test",
    name: "Reza Rep",
    roles: [],
    tenants: [{ tenant_id: "acme", roles: ["ops"] }],
  },
  {
    sub: "7f2e9998-d5cb-4cb2-ab8d-c9a7438dc8c1",
    email: "manager@globex.test",
    name: "Gwen Manager",
    roles: [],
    tenants: [{ tenant_id: "globex", roles: ["ops"] }],
  },
  {
    sub: "433aa489-f114-4f5c-b4d2-6fe625664713",
    email: "rep@globex.test",
    name: "Rafael Rep",
    roles: [],
    tenants: [{ tenant_id: "globex", roles: ["ops"] }],
  },
].map((user) => ({ ...user, password: DEMO_PASSWORD, email_verified: true }));

type StoredAccount = Omit<DevUser, "password"> & { passwordHash: string };

const storedAccountSchema = devUserSchema.omit({ password: true }).extend({ passwordHash: z.string() });
const accountsFileSchema = z.object({ accounts: z.array(storedAccountSchema) });

export const MIN_SIGN_UP_PASSWORD = 8;

export const signUpSchema = z.object({
  email: z.email("Enter a valid email address").transform((v) => v.trim().toLowerCase()),
  name: z.string().trim().min(1, "Enter your name").max(200),
  password: z.string().min(MIN_SIGN_UP_PASSWORD, `Use at least ${MIN_SIGN_UP_PASSWORD} characters`).max(200),
});

export class AccountExistsError extends Error {
  constructor(email: string) {
    super(`An account for ${email} already exists; sign in instead.`);
    this.name = "AccountExistsError";
  }
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(password, Buffer.from(salt, "base64url"), expected.length, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
  });
  return timingSafeEqual(actual, expected);
}

export type AccountDirectory = ReturnType<typeof createAccountDirectory>;

/**
 * Users from `users` (demo users by default) plus anyone who signed up at the
 * login page; sign-ups survive restarts when `accountsFile` is given.
 */
export function createAccountDirectory(options: { users: readonly DevUserInput[]; accountsFile?: string }) {
  const bySub = new Map<string, StoredAccount>();
  const byEmail = new Map<string, StoredAccount>();

  const add = (account: StoredAccount) => {
    const email = account.email.toLowerCase();
    if (byEmail.has(email)) throw new AccountExistsError(account.email);
    if (bySub.has(account.sub)) throw new Error(`Duplicate dev IdP subject ${account.sub}`);
    bySub.set(account.sub, account);
    byEmail.set(email, account);
  };

  for (const input of options.users) {
    const { password, ...user } = devUserSchema.parse(input);
    add({ ...user, passwordHash: hashPassword(password) });
  }
  const signedUp: StoredAccount[] = [];
  if (options.accountsFile && existsSync(options.accountsFile)) {
    const parsed = accountsFileSchema.safeParse(JSON.parse(readFileSync(options.accountsFile, "utf8")));
    if (!parsed.success) throw new Error(`${options.accountsFile} is not a dev IdP accounts file: ${parsed.error.message}`);
    for (const account of parsed.data.accounts) {
      add(account);
      signedUp.push(account);
    }
  }

  async function persist() {
    if (!options.accountsFile) return;
    await mkdir(path.dirname(options.accountsFile), { recursive: true });
    const temporary = `${options.accountsFile}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ accounts: signedUp }, null, 2), { mode: 0o600 });
    await rename(temporary, options.accountsFile);
  }

  return {
    findBySub(sub: string): StoredAccount | undefined {
      return bySub.get(sub);
    },
    findByEmail(email: string): StoredAccount | undefined {
      return byEmail.get(email.trim().toLowerCase());
    },
    /** Returns the account when the password matches, otherwise a reason for the login page. */
    authenticate(email: string, password: string): { account: StoredAccount } | { error: "no_such_account" | "wrong_password" } {
      const account = byEmail.get(email.trim().toLowerCase());
      if (!account) return { error: "no_such_account" };
      return verifyPassword(password, account.passwordHash) ? { account } : { error: "wrong_password" };
    },
    /** An administrator's change at the IdP (roles, memberships); tokens issued from now on carry it. */
    updateAccount(sub: string, changes: Partial<Pick<DevUser, "roles" | "tenants">>): void {
      const account = bySub.get(sub);
      if (!account) throw new Error(`No dev IdP account ${sub}`);
      Object.assign(account, changes);
    },
    /** Self-serve sign-up: a user with no tenant, whose workspace the platform provisions at first login. */
    async signUp(input: z.output<typeof signUpSchema>): Promise<StoredAccount> {
      const account: StoredAccount = {
        sub: randomUUID(),
        email: input.email,
        name: input.name,
        email_verified: true,
        roles: [],
        tenants: [],
        passwordHash: hashPassword(input.password),
      };
      add(account);
      signedUp.push(account);
      await persist();
      return account;
    },
  };
}

export type IdentityClaims = {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  roles: string[];
  tenant_id?: string;
  odoo_db?: string;
};

/**
 * The claims for a sign-in into `tenantId` (one of the user's memberships):
 * platform roles plus that tenant's roles. A user with exactly one tenant is
 * always signed into it.
 */
export function claimsFor(account: Omit<DevUser, "password">, tenantId: string | undefined): IdentityClaims {
  const membership = account.tenants.find((t) => t.tenant_id === tenantId) ?? (account.tenants.length === 1 ? account.tenants[0] : undefined);
  const claims: IdentityClaims = {
    sub: account.sub,
    email: account.email,
    email_verified: account.email_verified,
    name: account.name,
    roles: [...new Set([...account.roles, ...(membership?.roles ?? [])])],
  };
  if (membership) claims.tenant_id = membership.tenant_id;
  if (membership?.odoo_db) claims.odoo_db = membership.odoo_db;
  return claims;
}
