import { createHash } from "node:crypto";
import { z } from "zod";
import { recordAudit, type Actor } from "~/audit.server";
import { db, type TenantTx } from "~/db.server";
import { emailDomain, isBusinessEmail, isRoleAddress, normalizeEmail } from "~/enrichment/email-policy.server";
import { env } from "~/env.server";
import { type OdooConnection, type Prisma } from "~/generated/prisma/client";
import { enqueue } from "~/jobs/enqueue.server";
import { runPushPayloadSchema } from "~/jobs/payloads";
import { log } from "~/logger.server";
import { OdooAccessDenied, OdooClient, OdooServerError, OdooTransportError, type OdooSession } from "./client.server";
import { openOdooSecret } from "./connection.server";
import {
  applyPartnerPlan,
  contactKey,
  desiredCompanySchema,
  desiredContactSchema,
  fetchExistingPartners,
  planPartnerUpsert,
  type DesiredCompany,
  type DesiredContact,
  type PartnerPlan,
  type UpsertCounts,
} from "./partners.server";

/**
 * Pushes a run's leads into the tenant's Odoo as res.partner companies and
 * contacts (no campaign actions), per the tenant's push mode:
 * - `after_run`: the pipeline calls `requestRunPush` when a run finalizes,
 *   which queues `push_run_to_odoo` (job key `odoo-push:<runId>`);
 * - `on_approval`: nothing is written until an operator approves the run
 *   (`approveRunPush`, audited); `planRunPush` is the dry-run they review.
 *
 * What is pushed (`buildPushSet`):
 * - companies of the run scored in `buckets` (default High and Medium: Low
 *   leads are not worth a salesperson's time and would bury the good ones in
 *   the CRM; pass all three to push everything);
 * - suppressed UENs and domains are left out entirely; a contact whose
 *   address is suppressed is left out too (the person asked not to be
 *   contacted, so they do not belong in a sales CRM);
 * - an email is pushed when ZeroBounce said `verified`, or said `unknown`
 *   (its API failed or the server would not say) for a business address on the
 *   company's own domain. Nothing else is pushed: not `pending`, `catch_all`,
 *   `invalid` or `do_not_mail`, and never a free-mail address of unknown
 *   status. A contact without a pushable email is still pushed with its
 *   LinkedIn URL as its key.
 *
 * Crash safety: Odoo is the source of truth for what exists. Every batch
 * looks its partners up by `ref` = UEN (archived ones included) and contacts
 * by email/LinkedIn under their company before creating anything, so running
 * a push again after a crash at any point creates nothing twice. A call whose
 * answer was lost re-plans its batch from Odoo rather than repeating a create.
 * `odoo_partner_links` is bookkeeping written after a batch lands: the pushed
 * hash lets the next run skip companies whose data did not change.
 */

export const PUSH_MODES = ["after_run", "on_approval"] as const;
export type PushMode = (typeof PUSH_MODES)[number];

export const LEAD_BUCKETS = ["High", "Medium", "Low"] as const;
export type LeadBucket = (typeof LEAD_BUCKETS)[number];
export const DEFAULT_PUSH_BUCKETS: readonly LeadBucket[] = ["High", "Medium"];

const STAGE = "odoo_push";
const VENDOR = "odoo";
const APPROVED_ACTION = "odoo_push.approved";
const ABOUT_MAX_CHARS = 500;
// A push of a few thousand partners takes minutes; the lock's transaction must outlive it.
const PUSH_LOCK_TIMEOUT_MS = 60 * 60 * 1000;

export function runPushJobKey(runId: string): string {
  return `odoo-push:${runId}`;
}

// ---------------------------------------------------------------- errors

export class RunPushError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
export class RunNotFoundError extends RunPushError {}
/** The run is still enriching: pushing now would push half of it. */
export class RunNotFinishedError extends RunPushError {}
export class OdooNotConnectedError extends RunPushError {}
/** Odoo stayed unreachable; the push stopped and can simply be run again. */
export class OdooPushFailedError extends RunPushError {}

// ---------------------------------------------------------------- push mode

export async function pushModeOf(tenantId: string, tx?: TenantTx): Promise<PushMode> {
  const read = (t: TenantTx) => t.tenantSettings.findUnique({ where: { tenantId }, select: { odooPushMode: true } });
  const row = tx ? await read(tx) : await db.$withTenant(tenantId, read);
  return z.enum(PUSH_MODES).catch("after_run").parse(row?.odooPushMode);
}

export async function setPushMode(tenantId: string, mode: PushMode, actor: Actor): Promise<void> {
  const parsed = z.enum(PUSH_MODES).parse(mode);
  await db.$withTenant(
    tenantId,
    async (tx) => {
      const data = { odooPushMode: parsed, updatedByEmail: actor.email ?? null, updatedAt: new Date() };
      await tx.tenantSettings.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
      await recordAudit(tenantId, actor, "settings.odoo_push_mode_changed", null, { mode: parsed }, tx);
    },
    { actor },
  );
}

// ---------------------------------------------------------------- push set

export type PushSetOptions = {
  /** Buckets whose companies are pushed; default High and Medium. */
  buckets?: readonly LeadBucket[];
};

export type ExclusionReason = "bucket" | "suppressed_uen" | "suppressed_domain" | "not_in_registry" | "invalid";
export type WithheldEmailReason = "unverified" | "suppressed" | "invalid";

export type PushSet = {
  runId: string;
  buckets: LeadBucket[];
  companies: DesiredCompany[];
  excluded: Array<{ uen: string; reason: ExclusionReason }>;
  droppedContacts: Array<{ uen: string; name: string; reason: "suppressed_email" | "invalid" }>;
  /** Emails found but not pushed, by reason (counts: the addresses themselves stay in the platform). */
  withheldEmails: Record<WithheldEmailReason, number>;
};

type RegistryRow = {
  uen: string;
  entity_name: string;
  block: string | null;
  street_name: string | null;
  level_no: string | null;
  unit_no: string | null;
  building_name: string | null;
  postal_code: string | null;
  primary_ssic_description: string | null;
};

type EmailRow = { email: string; contactId: string | null; verificationStatus: string };

/** The partners a run should have in Odoo, read inside the tenant's transaction. */
export async function buildPushSet(tx: TenantTx, runId: string, options: PushSetOptions = {}): Promise<PushSet> {
  const buckets = [...new Set(options.buckets ?? DEFAULT_PUSH_BUCKETS)].map((b) => z.enum(LEAD_BUCKETS).parse(b));
  const scores = await tx.leadScore.findMany({ where: { runId }, select: { uen: true, bucket: true }, orderBy: [{ score: "desc" }, { uen: "asc" }] });
  const set: PushSet = { runId, buckets, companies: [], excluded: [], droppedContacts: [], withheldEmails: { unverified: 0, suppressed: 0, invalid: 0 } };
  const wanted = scores.filter((s) => {
    if (buckets.includes(s.bucket as LeadBucket)) return true;
    set.excluded.push({ uen: s.uen, reason: "bucket" });
    return false;
  });
  const uens = wanted.map((s) => s.uen);
  if (uens.length === 0) return set;

  // The registry is global and has no Prisma model on every branch: read it with SQL.
  const registry = await tx.$queryRaw<RegistryRow[]>`
    SELECT uen, entity_name, block, street_name, level_no, unit_no, building_name, postal_code, primary_ssic_description
    FROM staging_acra_companies WHERE uen = ANY(${uens}::text[])`;
  const [features, contacts, emails, suppressions] = await Promise.all([
    tx.leadFeature.findMany({ where: { uen: { in: uens } }, select: { uen: true, domain: true, aboutText: true, industry: true, phones: true } }),
    tx.leadContact.findMany({
      where: { uen: { in: uens } },
      select: { id: true, uen: true, fullName: true, title: true, linkedinUrl: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    tx.leadEmail.findMany({ where: { uen: { in: uens } }, select: { uen: true, email: true, contactId: true, verificationStatus: true } }),
    tx.suppressionEntry.findMany({ select: { kind: true, value: true } }),
  ]);
  const suppressed = suppressionLists(suppressions);
  const registryByUen = new Map(registry.map((r) => [r.uen, r]));
  const featureByUen = new Map(features.map((f) => [f.uen, f]));
  const contactsByUen = group(contacts, (c) => c.uen);
  const emailsByUen = group(emails, (e) => e.uen);

  for (const uen of uens) {
    if (suppressed.uens.has(uen.toUpperCase())) {
      set.excluded.push({ uen, reason: "suppressed_uen" });
      continue;
    }
    const entity = registryByUen.get(uen);
    if (!entity) {
      set.excluded.push({ uen, reason: "not_in_registry" });
      continue;
    }
    const feature = featureByUen.get(uen);
    const domain = feature?.domain ? normalizeDomain(feature.domain) : undefined;
    if (domain && isSuppressedDomain(domain, suppressed.domains)) {
      set.excluded.push({ uen, reason: "suppressed_domain" });
      continue;
    }
    const companyEmails = emailsByUen.get(uen) ?? [];
    const verdict = (row: EmailRow) => {
      const result = emailVerdict(row, domain, suppressed);
      if (result.kind !== "push") set.withheldEmails[result.kind]++;
      return result;
    };
    const companyEmail = companyEmails
      .filter((e) => e.contactId === null)
      .map((e) => ({ row: e, verdict: verdict(e) }))
      .flatMap((e) => (e.verdict.kind === "push" ? [{ ...e.verdict, status: e.row.verificationStatus }] : []))
      .sort((a, b) => rank(a) - rank(b) || a.email.localeCompare(b.email))[0]?.email;

    const people: DesiredContact[] = [];
    for (const contact of contactsByUen.get(uen) ?? []) {
      const own = companyEmails.filter((e) => e.contactId === contact.id).map((e) => ({ row: e, verdict: verdict(e) }));
      if (own.some((e) => e.verdict.kind === "suppressed")) {
        set.droppedContacts.push({ uen, name: contact.fullName, reason: "suppressed_email" });
        continue;
      }
      const email = own
        .flatMap((e) => (e.verdict.kind === "push" ? [{ ...e.verdict, status: e.row.verificationStatus }] : []))
        .sort((a, b) => Number(b.status === "verified") - Number(a.status === "verified") || a.email.localeCompare(b.email))[0]?.email;
      const parsed = desiredContactSchema.safeParse({
        name: contact.fullName,
        email: email ?? null,
        linkedinUrl: withHttps(contact.linkedinUrl),
        jobTitle: contact.title,
      });
      if (parsed.success) people.push(parsed.data);
      else set.droppedContacts.push({ uen, name: contact.fullName, reason: "invalid" });
    }

    const company = desiredCompanySchema.safeParse({
      uen,
      name: entity.entity_name,
      website: domain ? `https://${domain}` : null,
      email: companyEmail ?? null,
      phone: feature?.phones.find((p) => p.trim()) ?? null,
      ...registryAddress(entity),
      comment: aboutComment(feature?.aboutText, feature?.industry ?? entity.primary_ssic_description),
      contacts: people,
    });
    if (company.success) set.companies.push(company.data);
    else set.excluded.push({ uen, reason: "invalid" });
  }
  return set;
}

/** Verified first, then the company's shared mailbox (info@…) over a person's address. */
function rank(email: { email: string; status: string; role: boolean }): number {
  return (email.status === "verified" ? 0 : 2) + (email.role ? 0 : 1);
}

type Suppressions = { uens: Set<string>; domains: string[]; emails: Set<string> };

function suppressionLists(entries: Array<{ kind: string; value: string }>): Suppressions {
  const out: Suppressions = { uens: new Set(), domains: [], emails: new Set() };
  for (const { kind, value } of entries) {
    if (kind === "uen") out.uens.add(value.trim().toUpperCase());
    else if (kind === "domain") out.domains.push(normalizeDomain(value.replace(/^@/, "")));
    else if (kind === "email") {
      const email = normalizeEmail(value);
      if (email) out.emails.add(email);
    }
  }
  return out;
}

function isSuppressedDomain(domain: string, suppressed: string[]): boolean {
  return suppressed.some((d) => domain === d || domain.endsWith(`.${d}`));
}

type EmailVerdict = { kind: "push"; email: string; role: boolean } | { kind: WithheldEmailReason };

/** Whether a found address may go to Odoo (see the module comment for the rule). */
export function emailVerdict(
  row: Pick<EmailRow, "email" | "verificationStatus">,
  companyDomain: string | undefined,
  suppressed: Pick<Suppressions, "domains" | "emails">,
): EmailVerdict {
  const email = normalizeEmail(row.email);
  if (!email) return { kind: "invalid" };
  const domain = emailDomain(email);
  if (suppressed.emails.has(email) || isSuppressedDomain(domain, suppressed.domains)) return { kind: "suppressed" };
  const onCompanyDomain = companyDomain !== undefined && (domain === companyDomain || domain.endsWith(`.${companyDomain}`));
  const pushable = row.verificationStatus === "verified" || (row.verificationStatus === "unknown" && isBusinessEmail(email) && onCompanyDomain);
  if (!pushable) return { kind: "unverified" };
  return { kind: "push", email, role: isRoleAddress(email) };
}

/** "https://WWW.Acme.com.sg/" → "acme.com.sg". */
export function normalizeDomain(raw: string): string {
  const trimmed = raw.trim().toLowerCase();
  const host = /^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? new URL(trimmed).hostname : trimmed.split(/[/?#]/)[0]!;
  return host.replace(/^www\./, "").replace(/\.$/, "");
}

function withHttps(url: string): string {
  const trimmed = url.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/** ACRA's address parts in Singapore's usual layout: "10 ANSON ROAD" / "#12-01 INTERNATIONAL PLAZA". */
export function registryAddress(entity: Pick<RegistryRow, "block" | "street_name" | "level_no" | "unit_no" | "building_name" | "postal_code">) {
  const clean = (v: string | null) => v?.trim() || undefined;
  const street = [clean(entity.block), clean(entity.street_name)].filter(Boolean).join(" ");
  const level = clean(entity.level_no);
  const unit = clean(entity.unit_no);
  const unitPart = level && unit ? `#${level}-${unit}` : level ? `#${level}` : unit ? `#${unit}` : undefined;
  const street2 = [unitPart, clean(entity.building_name)].filter(Boolean).join(" ");
  const zip = clean(entity.postal_code);
  if (!street && !zip) return {};
  return { street: street || null, street2: street2 || null, zip: zip ?? null, city: "Singapore", countryCode: "SG" };
}

/** A short plain-text note: the about text (cut at a word near 500 characters) and the industry. */
export function aboutComment(about: string | null | undefined, industry: string | null | undefined): string | null {
  const lines: string[] = [];
  const text = about?.replace(/\s+/g, " ").trim();
  if (text) {
    if (text.length <= ABOUT_MAX_CHARS) lines.push(text);
    else {
      const cut = text.slice(0, ABOUT_MAX_CHARS);
      const space = cut.lastIndexOf(" ");
      lines.push(`${(space > ABOUT_MAX_CHARS * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, "")}…`);
    }
  }
  const sector = industry?.replace(/\s+/g, " ").trim();
  if (sector) lines.push(`Industry: ${sector}`);
  return lines.length ? lines.join("\n") : null;
}

/**
 * What was sent for a company, to skip it next time when nothing changed.
 * The target is part of it, so a tenant moved to another Odoo gets a full push.
 */
export function pushHash(company: DesiredCompany, target: { database: string; companyId: number | null }): string {
  const contacts = [...company.contacts].sort((a, b) => contactKey(a).localeCompare(contactKey(b)));
  const canonical = { v: 1, target, company: sortKeys({ ...company, contacts }) };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

// ---------------------------------------------------------------- shared preparation

export type RunPushOptions = PushSetOptions & {
  /** Companies per search/create call. */
  batchSize?: number;
  /** Ignore what was pushed before and compare every company with Odoo. */
  recheck?: boolean;
  /** Tries per batch when Odoo's answer is lost (each try re-plans from Odoo first). */
  maxBatchAttempts?: number;
};

type Prepared = {
  connection: OdooConnection;
  set: PushSet;
  pending: DesiredCompany[];
  skipped: Array<{ uen: string; partnerId: number }>;
  hashes: Map<string, string>;
  mode: PushMode;
  approved: boolean;
};

async function prepare(tenantId: string, runId: string, options: RunPushOptions): Promise<Prepared> {
  return db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.findUnique({ where: { tenantId_id: { tenantId, id: runId } }, select: { status: true } });
    if (!run) throw new RunNotFoundError(`Run ${runId} does not exist in this workspace`);
    if (run.status === "queued" || run.status === "running") {
      throw new RunNotFinishedError(`Run ${runId} is still ${run.status}; its leads are pushed once it finishes`);
    }
    const connection = await tx.odooConnection.findUnique({ where: { tenantId } });
    if (!connection) throw new OdooNotConnectedError("This workspace has no Odoo connection yet");
    const set = await buildPushSet(tx, runId, options);
    const links = await tx.odooPartnerLink.findMany({
      where: { uen: { in: set.companies.map((c) => c.uen) } },
      select: { uen: true, partnerId: true, pushedHash: true },
    });
    const linkByUen = new Map(links.map((l) => [l.uen, l]));
    const target = { database: connection.database, companyId: connection.companyId };
    const hashes = new Map(set.companies.map((c) => [c.uen, pushHash(c, target)]));
    const pending: DesiredCompany[] = [];
    const skipped: Prepared["skipped"] = [];
    for (const company of set.companies) {
      const link = linkByUen.get(company.uen);
      if (!options.recheck && link && link.pushedHash === hashes.get(company.uen)) skipped.push({ uen: company.uen, partnerId: link.partnerId });
      else pending.push(company);
    }
    return { connection, set, pending, skipped, hashes, mode: await pushModeOf(tenantId, tx), approved: await isApproved(tx, runId) };
  });
}

async function isApproved(tx: TenantTx, runId: string): Promise<boolean> {
  return (await tx.auditLog.findFirst({ where: { action: APPROVED_ACTION, target: runId }, select: { id: true } })) !== null;
}

/** An Odoo client for one push that counts its calls for run_vendor_usage. */
class MeteredOdooClient extends OdooClient {
  calls = 0;
  errors = 0;

  override async rpc(...args: Parameters<OdooClient["rpc"]>): Promise<unknown> {
    this.calls++;
    try {
      return await super.rpc(...args);
    } catch (error) {
      this.errors++;
      throw error;
    }
  }
}

async function openSession(connection: OdooConnection): Promise<{ client: MeteredOdooClient; session: OdooSession }> {
  const client = new MeteredOdooClient({ baseUrl: connection.baseUrl, timeoutMs: env().ODOO_TIMEOUT_MS });
  // The integration user, never the admin: a push needs partner rights only.
  const session = await client.connect(connection.database, connection.login, openOdooSecret(connection));
  return { client, session };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

function batchSizeOf(options: RunPushOptions): number {
  return z
    .number()
    .int()
    .min(1)
    .max(1000)
    .parse(options.batchSize ?? 100);
}

// ---------------------------------------------------------------- dry run

export type RunPushPlan = {
  runId: string;
  mode: PushMode;
  /** on_approval: whether an operator already approved this run's push. */
  approved: boolean;
  companies: PartnerPlan["companies"] & {
    /** Sent before with exactly this data: not looked at again (see `recheck`). */
    skipped: Array<{ uen: string; partnerId: number }>;
  };
  contacts: PartnerPlan["contacts"];
  excluded: PushSet["excluded"];
  droppedContacts: PushSet["droppedContacts"];
  withheldEmails: PushSet["withheldEmails"];
  warnings: string[];
};

/** What a push would create and change in the tenant's Odoo, field by field; reads only. */
export async function planRunPush(tenantId: string, runId: string, options: RunPushOptions = {}): Promise<RunPushPlan> {
  const prepared = await prepare(tenantId, runId, options);
  const batchSize = batchSizeOf(options);
  const companyId = prepared.connection.companyId ?? undefined;
  const sharedDatabase = prepared.connection.mode === "company_per_tenant";
  const plan: RunPushPlan = {
    runId,
    mode: prepared.mode,
    approved: prepared.approved,
    companies: { create: [], update: [], unchanged: [], skipped: prepared.skipped },
    contacts: { create: [], update: [], unchanged: [] },
    excluded: prepared.set.excluded,
    droppedContacts: prepared.set.droppedContacts,
    withheldEmails: prepared.set.withheldEmails,
    warnings: [],
  };
  if (prepared.pending.length === 0) return plan;
  const { session } = await openSession(prepared.connection);
  for (const batch of chunks(prepared.pending, batchSize)) {
    const existing = await fetchExistingPartners(session, batch, { companyId, sharedDatabase, batchSize });
    const part = planPartnerUpsert(existing, batch, { companyId, sharedDatabase });
    for (const kind of ["create", "update", "unchanged"] as const) {
      (plan.companies[kind] as unknown[]).push(...part.companies[kind]);
      (plan.contacts[kind] as unknown[]).push(...part.contacts[kind]);
    }
    plan.warnings.push(...part.warnings);
  }
  return plan;
}

// ---------------------------------------------------------------- apply

export type RunPushResult = {
  runId: string;
  status: "applied" | "partial" | "awaiting_approval";
  companies: UpsertCounts & { skipped: number; failed: number };
  contacts: UpsertCounts;
  excluded: number;
  batches: number;
  calls: number;
  errors: number;
  durationMs: number;
};

type EventInput = { event: string; status: "ok" | "error" | "skipped" | "info"; durationMs?: number; args?: Record<string, unknown>; message?: string };

async function recordEvents(tenantId: string, runId: string, events: EventInput[], tx?: TenantTx): Promise<void> {
  const write = (t: TenantTx) =>
    t.runEventLog.createMany({
      data: events.map((e) => ({
        tenantId,
        runId,
        stage: STAGE,
        tool: VENDOR,
        event: e.event,
        status: e.status,
        durationMs: e.durationMs === undefined ? null : Math.round(e.durationMs),
        args: (e.args ?? {}) as Prisma.InputJsonValue,
        message: e.message ?? null,
      })),
    });
  if (tx) await write(tx);
  else await db.$withTenant(tenantId, write);
}

/** Odoo's own words, without tracebacks; never arguments (they may carry personal data). */
function describeFailure(error: unknown): string {
  if (error instanceof OdooServerError) return `${error.odooName}: ${error.odooMessage}`.slice(0, 300);
  if (error instanceof OdooTransportError) return `odoo ${error.kind}${error.status ? ` ${error.status}` : ""}: ${error.message}`.slice(0, 300);
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);
}

/**
 * One tenant's pushes run one at a time (a queued push and an operator's
 * approval could otherwise both plan the same new company). The lock is a
 * transaction-scoped advisory lock, so a killed process releases it.
 */
async function withPushLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`odoo-push:${tenantId}`}, 0))`;
      return fn();
    },
    { timeout: PUSH_LOCK_TIMEOUT_MS, maxWait: 10_000 },
  );
}

/**
 * Applies a run's push in batches and records links, events and usage. Safe
 * to call again at any time: it converges on the same partners. Throws
 * OdooPushFailedError when Odoo stays unreachable (rerun it later).
 */
export async function applyRunPush(tenantId: string, runId: string, actor?: Actor, options: RunPushOptions = {}): Promise<RunPushResult> {
  const started = Date.now();
  const batchSize = batchSizeOf(options);
  const maxBatchAttempts = z
    .number()
    .int()
    .min(1)
    .max(10)
    .parse(options.maxBatchAttempts ?? 3);
  return withPushLock(tenantId, async () => {
    const prepared = await prepare(tenantId, runId, options);
    const result: RunPushResult = {
      runId,
      status: "applied",
      companies: { created: 0, updated: 0, unchanged: 0, skipped: prepared.skipped.length, failed: 0 },
      contacts: { created: 0, updated: 0, unchanged: 0 },
      excluded: prepared.set.excluded.length,
      batches: 0,
      calls: 0,
      errors: 0,
      durationMs: 0,
    };
    if (prepared.mode === "on_approval" && !prepared.approved) {
      await recordEvents(tenantId, runId, [{ event: "awaiting_approval", status: "info", args: { companies: prepared.set.companies.length } }]);
      return { ...result, status: "awaiting_approval", durationMs: Date.now() - started };
    }
    const companyId = prepared.connection.companyId ?? undefined;
    const sharedDatabase = prepared.connection.mode === "company_per_tenant";
    await recordEvents(tenantId, runId, [
      {
        event: "started",
        status: "info",
        args: {
          mode: prepared.mode,
          by: actor ? "operator" : "pipeline",
          buckets: prepared.set.buckets,
          companies: prepared.set.companies.length,
          pending: prepared.pending.length,
          skipped: prepared.skipped.length,
          excluded: countBy(prepared.set.excluded, (e) => e.reason),
          dropped_contacts: countBy(prepared.set.droppedContacts, (c) => c.reason),
          withheld_emails: prepared.set.withheldEmails,
          batch_size: batchSize,
        },
      },
    ]);

    let client: MeteredOdooClient | undefined;
    try {
      if (prepared.pending.length > 0) {
        const opened = await openSession(prepared.connection);
        client = opened.client;
        for (const [index, batch] of chunks(prepared.pending, batchSize).entries()) {
          const batchStarted = Date.now();
          result.batches++;
          const applied = await applyBatch(opened.session, batch, { companyId, sharedDatabase, batchSize, maxBatchAttempts }, (attempt, error) =>
            recordEvents(tenantId, runId, [
              { event: "batch_retried", status: "error", args: { batch: index, attempt, companies: batch.length }, message: describeFailure(error) },
            ]),
          );
          if (!applied.ok) {
            result.companies.failed += batch.length;
            await recordEvents(tenantId, runId, [
              {
                event: "batch_failed",
                status: "error",
                durationMs: Date.now() - batchStarted,
                args: { batch: index, companies: batch.length },
                message: describeFailure(applied.error),
              },
            ]);
            continue;
          }
          const outcome = applied.outcome;
          for (const kind of ["created", "updated", "unchanged"] as const) {
            result.companies[kind] += outcome.companies[kind];
            result.contacts[kind] += outcome.contacts[kind];
          }
          await db.$withTenant(tenantId, async (tx) => {
            for (const company of batch) {
              const partnerId = outcome.companyIds[company.uen];
              if (partnerId === undefined) continue;
              const data = {
                partnerId,
                contactIds: (outcome.contactIds[company.uen] ?? {}) as Prisma.InputJsonValue,
                pushedHash: prepared.hashes.get(company.uen) ?? null,
                runId,
                pushedAt: new Date(),
              };
              await tx.odooPartnerLink.upsert({
                where: { tenantId_uen: { tenantId, uen: company.uen } },
                create: { tenantId, uen: company.uen, ...data },
                update: data,
              });
            }
            await recordEvents(
              tenantId,
              runId,
              [
                {
                  event: "batch_applied",
                  status: "ok",
                  durationMs: Date.now() - batchStarted,
                  args: { batch: index, companies: outcome.companies, contacts: outcome.contacts, warnings: outcome.plan.warnings.length },
                },
              ],
              tx,
            );
          });
        }
      }
      if (result.companies.failed > 0) result.status = "partial";
      result.durationMs = Date.now() - started;
      await finish(tenantId, runId, client, result.status === "applied" ? "ok" : "error", {
        event: "finished",
        durationMs: result.durationMs,
        args: { status: result.status, companies: result.companies, contacts: result.contacts, batches: result.batches },
      });
      result.calls = client?.calls ?? 0;
      result.errors = client?.errors ?? 0;
      log().info({ odoo: { runId, status: result.status, companies: result.companies, contacts: result.contacts } }, "odoo push finished");
      return result;
    } catch (error) {
      await finish(tenantId, runId, client, "error", {
        event: "failed",
        durationMs: Date.now() - started,
        args: { companies: result.companies, contacts: result.contacts, batches: result.batches },
        message: describeFailure(error),
      });
      if (error instanceof OdooTransportError || error instanceof OdooAccessDenied) {
        throw new OdooPushFailedError(`Odoo push of run ${runId} stopped: ${describeFailure(error)}`, { cause: error });
      }
      throw error;
    }
  });
}

type BatchOutcome = Awaited<ReturnType<typeof applyPartnerPlan>>;

/**
 * Plans a batch from Odoo's current state and applies it. When an answer is
 * lost the write may or may not have happened, so the batch is planned again
 * from Odoo (which then shows what landed) instead of repeating the call.
 * Odoo refusing the data (UserError, ValidationError) fails only this batch.
 */
async function applyBatch(
  session: OdooSession,
  batch: DesiredCompany[],
  options: { companyId: number | undefined; sharedDatabase: boolean; batchSize: number; maxBatchAttempts: number },
  onRetry: (attempt: number, error: unknown) => Promise<void>,
): Promise<{ ok: true; outcome: BatchOutcome } | { ok: false; error: unknown }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const scope = { companyId: options.companyId, sharedDatabase: options.sharedDatabase };
      const existing = await fetchExistingPartners(session, batch, { ...scope, batchSize: options.batchSize });
      const plan = planPartnerUpsert(existing, batch, scope);
      return { ok: true, outcome: await applyPartnerPlan(session, plan, { batchSize: options.batchSize }) };
    } catch (error) {
      if (error instanceof OdooTransportError && attempt < options.maxBatchAttempts) {
        await onRetry(attempt, error);
        continue;
      }
      if (error instanceof OdooServerError && !(error instanceof OdooAccessDenied)) return { ok: false, error };
      throw error;
    }
  }
}

async function finish(
  tenantId: string,
  runId: string,
  client: MeteredOdooClient | undefined,
  status: "ok" | "error",
  event: Omit<EventInput, "status">,
): Promise<void> {
  await db.$withTenant(tenantId, async (tx) => {
    if (client && client.calls > 0) {
      await tx.runVendorUsage.upsert({
        where: { tenantId_runId_vendor: { tenantId, runId, vendor: VENDOR } },
        create: { tenantId, runId, vendor: VENDOR, calls: client.calls, errors: client.errors },
        update: { calls: { increment: client.calls }, errors: { increment: client.errors }, updatedAt: new Date() },
      });
    }
    await recordEvents(tenantId, runId, [{ ...event, status }], tx);
  });
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------- approval and scheduling

/** Records the operator's approval (once per run, audited) and applies the push. */
export async function approveRunPush(tenantId: string, runId: string, actor: Actor, options: RunPushOptions = {}): Promise<RunPushResult> {
  await db.$withTenant(
    tenantId,
    async (tx) => {
      const run = await tx.run.findUnique({ where: { tenantId_id: { tenantId, id: runId } }, select: { status: true } });
      if (!run) throw new RunNotFoundError(`Run ${runId} does not exist in this workspace`);
      if (await isApproved(tx, runId)) return;
      await recordAudit(tenantId, actor, APPROVED_ACTION, runId, {}, tx);
      await recordEvents(tenantId, runId, [{ event: "approved", status: "info" }], tx);
    },
    { actor },
  );
  return applyRunPush(tenantId, runId, actor, options);
}

/**
 * For the pipeline when a run finalizes (pass its transaction to queue the
 * push atomically with the run's final state), and for an approval made
 * asynchronously. after_run tenants (or an approval) get a push job; others
 * wait for an operator.
 */
export async function requestRunPush(
  tenantId: string,
  runId: string,
  options: { tx?: TenantTx; approvedBy?: Actor } = {},
): Promise<"queued" | "awaiting_approval"> {
  const payload = runPushPayloadSchema.parse({
    tenantId,
    runId,
    ...(options.approvedBy ? { approvedBy: { sub: options.approvedBy.sub, email: options.approvedBy.email ?? null } } : {}),
  });
  const run = async (tx: TenantTx) => {
    if (!payload.approvedBy && (await pushModeOf(tenantId, tx)) === "on_approval") {
      await recordEvents(tenantId, runId, [{ event: "awaiting_approval", status: "info" }], tx);
      return "awaiting_approval" as const;
    }
    await enqueue("push_run_to_odoo", payload, {
      jobKey: runPushJobKey(runId),
      // One push per tenant at a time; the advisory lock guards callers outside the queue.
      queueName: `odoo-push:${tenantId}`,
      maxAttempts: 8,
      tx,
    });
    return "queued" as const;
  };
  return options.tx ? run(options.tx) : db.$withTenant(tenantId, run);
}
