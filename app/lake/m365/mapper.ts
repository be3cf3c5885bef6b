import { type ActivityDraft, type ContactDraft, type MapResult, type SourceMapper, type SourceRecord, type SourceRef, type UserDraft } from "../pipeline";

/**
 * Microsoft Graph records → canonical drafts: directory users → users,
 * personal contacts → contacts (Outlook gives a company name, never an
 * account record), calendar events → "meeting" activities owned by the
 * mailbox's user. Values are taken as Graph spells them (the shared
 * normaliser lower-cases and formats them); empty strings become null.
 */

export const M365_ENTITIES = ["users", "contacts", "events"] as const;

/**
 * An event's source id: the mailbox's user id, `/`, Graph's event id. The
 * same meeting is a separate event in each attendee's mailbox, and the
 * mapper needs the mailbox to name the activity's owner; user ids are GUIDs,
 * so the first `/` ends the user part.
 */
export function eventSourceId(userId: string, eventId: string): string {
  return `${userId}/${eventId}`;
}

function mailboxOf(sourceId: string): string | null {
  const at = sourceId.indexOf("/");
  return at > 0 && at < sourceId.length - 1 ? sourceId.slice(0, at) : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

function firstText(values: unknown): string | null {
  return Array.isArray(values) ? (values.map(text).find((v) => v !== null) ?? null) : null;
}

/**
 * A Graph `dateTimeTimeZone` as an ISO instant. Without a `Prefer:
 * outlook.timezone` header Graph answers in UTC, which is the only zone
 * accepted here; anything else is rejected rather than guessed.
 */
export function utcInstant(value: unknown): { ok: true; iso: string } | { ok: false; reason: string } {
  const { dateTime, timeZone } = (value ?? {}) as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== "string" || !dateTime) return { ok: false, reason: "has no date and time" };
  if (timeZone !== undefined && timeZone !== null && String(timeZone).toUpperCase() !== "UTC") {
    return { ok: false, reason: `is in time zone ${String(timeZone)}, not UTC` };
  }
  const ms = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(dateTime) ? dateTime : `${dateTime}Z`);
  return Number.isNaN(ms) ? { ok: false, reason: `${dateTime} is not a date and time` } : { ok: true, iso: new Date(ms).toISOString() };
}

function userDraft(p: Record<string, unknown>): UserDraft {
  return {
    kind: "user",
    name: text(p.displayName) ?? text(p.mail) ?? text(p.userPrincipalName) ?? "",
    email: text(p.mail),
    login: text(p.userPrincipalName),
    team: null,
    active: p.accountEnabled !== false,
  };
}

function contactDraft(p: Record<string, unknown>): ContactDraft {
  const emails = Array.isArray(p.emailAddresses) ? (p.emailAddresses as Array<{ address?: unknown; name?: unknown }>) : [];
  const fullName = [text(p.givenName), text(p.surname)].filter(Boolean).join(" ");
  return {
    kind: "contact",
    name: text(p.displayName) ?? (text(fullName) || text(emails[0]?.name) || text(emails[0]?.address)) ?? "",
    email: text(emails[0]?.address),
    phone: firstText(p.businessPhones) ?? text(p.mobilePhone),
    jobTitle: text(p.jobTitle),
    account: null,
    companyName: text(p.companyName),
    active: true,
  };
}

export function createM365Mapper(options: { now?: () => Date } = {}): SourceMapper {
  const now = options.now ?? (() => new Date());

  function eventDraft(record: SourceRecord): ActivityDraft | string {
    const mailbox = mailboxOf(record.sourceId);
    if (!mailbox) return `event id ${record.sourceId} does not name its mailbox`;
    const start = utcInstant(record.payload.start);
    if (!start.ok) return `start ${start.reason}`;
    const end = utcInstant(record.payload.end);
    if (!end.ok) return `end ${end.reason}`;
    return {
      kind: "activity",
      activityType: "meeting",
      summary: text(record.payload.subject),
      state: Date.parse(end.iso) < now().getTime() ? "done" : "planned",
      at: start.iso,
      owner: { source: "m365", entity: "users", sourceId: mailbox },
      about: null,
      active: record.payload.isCancelled !== true,
    };
  }

  return {
    source: "m365",
    map(record): MapResult {
      const ref: SourceRef = { source: "m365", entity: record.entity, sourceId: record.sourceId };
      // A removed item carries only its id: the loader retires it by its reference, there is nothing to map.
      if (record.removed) return { mapped: [], rejected: [] };
      if (record.entity === "users") return { mapped: [{ ref, draft: userDraft(record.payload) }], rejected: [] };
      if (record.entity === "contacts") return { mapped: [{ ref, draft: contactDraft(record.payload) }], rejected: [] };
      if (record.entity === "events") {
        const draft = eventDraft(record);
        return typeof draft === "string" ? { mapped: [], rejected: [{ ref, reason: draft }] } : { mapped: [{ ref, draft }], rejected: [] };
      }
      return { mapped: [], rejected: [{ ref, reason: `m365 has no entity ${record.entity}` }] };
    },
  };
}
