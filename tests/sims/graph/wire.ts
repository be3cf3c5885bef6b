import { randomUUID } from "node:crypto";
import { type SimContact, type SimEvent, type SimUser, type Tracked } from "./directory";

/**
 * How the Graph simulator writes its answers: users, contacts and events in
 * the properties Graph returns for them, Graph's error body, and the
 * identity platform's error body.
 */

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
/** A calendar view's range, in epoch milliseconds. */
export type Window = { start: number; end: number };

const USER_FIELDS: Array<keyof SimUser> = ["displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle", "department", "accountEnabled"];

export function inWindow(event: SimEvent, window: Window): boolean {
  return Date.parse(event.start) < window.end && Date.parse(event.end) > window.start;
}

export function pick(item: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => key === "id" || key.startsWith("@") || select.includes(key)));
}

export function userJson(t: Tracked<SimUser>, select: string[] | undefined): Record<string, unknown> {
  const fields = Object.fromEntries(USER_FIELDS.map((key) => [key, t.item[key]]));
  // Graph returns `businessPhones` with the default properties; a $select names what it wants.
  return pick({ businessPhones: [], ...fields, id: t.item.id }, select);
}

export function contactJson(t: Tracked<SimContact>, select: string[] | undefined): Record<string, unknown> {
  const c = t.item;
  return pick(
    {
      "@odata.etag": `W/"${c.changeKey}"`,
      id: c.id,
      createdDateTime: c.createdDateTime,
      lastModifiedDateTime: c.lastModifiedDateTime,
      changeKey: c.changeKey,
      categories: [],
      parentFolderId: c.parentFolderId,
      birthday: c.birthday,
      fileAs: c.displayName,
      displayName: c.displayName,
      givenName: c.givenName,
      initials: c.initials,
      middleName: null,
      nickName: null,
      surname: c.surname,
      title: null,
      yomiGivenName: null,
      yomiSurname: null,
      yomiCompanyName: null,
      generation: null,
      imAddresses: [],
      jobTitle: c.jobTitle,
      companyName: c.companyName,
      department: null,
      officeLocation: null,
      profession: null,
      businessHomePage: null,
      assistantName: null,
      manager: null,
      homePhones: [],
      mobilePhone: c.mobilePhone,
      businessPhones: c.businessPhones,
      spouseName: null,
      personalNotes: "",
      children: [],
      emailAddresses: c.emailAddresses,
      homeAddress: {},
      businessAddress: {},
      otherAddress: {},
    },
    select,
  );
}

/** Graph's `dateTimeTimeZone`: seven fractional digits, no offset, the zone named beside it. */
function dateTimeTimeZone(iso: string): { dateTime: string; timeZone: string } {
  return { dateTime: new Date(iso).toISOString().replace(/\.(\d{3})Z$/, ".$10000"), timeZone: "UTC" };
}

export function eventJson(t: Tracked<SimEvent>): Record<string, unknown> {
  const e = t.item;
  return {
    "@odata.type": "#microsoft.graph.event",
    "@odata.etag": `W/"${e.changeKey}"`,
    id: e.id,
    createdDateTime: e.createdDateTime,
    lastModifiedDateTime: e.lastModifiedDateTime,
    changeKey: e.changeKey,
    categories: [],
    transactionId: null,
    originalStartTimeZone: "Singapore Standard Time",
    originalEndTimeZone: "Singapore Standard Time",
    iCalUId: e.iCalUId,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: e.subject,
    bodyPreview: "",
    importance: "normal",
    sensitivity: "normal",
    isAllDay: false,
    isCancelled: e.isCancelled,
    isOrganizer: true,
    responseRequested: true,
    seriesMasterId: null,
    showAs: "busy",
    type: "singleInstance",
    isOnlineMeeting: e.location === "Microsoft Teams Meeting",
    responseStatus: { response: "organizer", time: "0001-01-01T00:00:00Z" },
    body: { contentType: "html", content: "" },
    start: dateTimeTimeZone(e.start),
    end: dateTimeTimeZone(e.end),
    location: { displayName: e.location },
    locations: e.location ? [{ displayName: e.location }] : [],
    attendees: e.attendees.map((a) => ({
      type: a.type,
      status: { response: "none", time: "0001-01-01T00:00:00Z" },
      emailAddress: { name: a.name, address: a.address },
    })),
    organizer: { emailAddress: e.organizer },
  };
}

export function graphError(status: number, code: string, message: string): Reply {
  const innerError = { date: new Date().toISOString().slice(0, 19), "request-id": randomUUID(), "client-request-id": randomUUID() };
  return { status, body: { error: { code, message, innerError } } };
}

/** The identity platform's error body (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response). */
export function aadError(status: number, error: string, code: number, description: string): Reply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").slice(0, 19) + "Z";
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    },
  };
}
