import { demoAccounts } from "../odoo/demo-accounts";
import { personName, singaporePhone, syntheticCompanies } from "../world/names";
import { rng, type Rng } from "../world/random";

/**
 * One Entra directory as the Graph simulator holds it: users, each mailbox's
 * contact folders and contacts, and calendar events. Every change stamps the
 * item with the directory's next change number and deletions leave a
 * tombstone, which is all a delta round needs: a first round lists what is
 * live, a later one lists what changed after the number its token carries.
 */

export type SimUser = {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
  department: string | null;
  accountEnabled: boolean;
  /** Users without an Exchange mailbox answer 404 MailboxNotEnabledForRESTAPI on mailbox paths. */
  hasMailbox: boolean;
};

export type SimFolder = { id: string; userId: string; displayName: string; isDefault: boolean };

export type SimContact = {
  id: string;
  parentFolderId: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  initials: string | null;
  /** An instant, as Outlook stores birthdays (11:59 on the day, UTC). */
  birthday: string | null;
  emailAddresses: Array<{ name: string; address: string }>;
  businessPhones: string[];
  mobilePhone: string | null;
  jobTitle: string | null;
  companyName: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
};

export type SimEvent = {
  id: string;
  subject: string;
  /** ISO instants (UTC). */
  start: string;
  end: string;
  isCancelled: boolean;
  location: string;
  organizer: { name: string; address: string };
  /** The people invited besides the organizer. */
  attendees: Array<{ name: string; address: string; type: "required" | "optional" }>;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  iCalUId: string;
};

/** An item with its change number; a deleted one stays as a tombstone for delta rounds. */
export type Tracked<T> = { item: T; owner: string; changedAt: number; deleted: boolean };

export type ContactFields = Partial<Omit<SimContact, "id" | "parentFolderId" | "createdDateTime" | "lastModifiedDateTime" | "changeKey">>;
export type EventFields = Partial<Omit<SimEvent, "id" | "createdDateTime" | "lastModifiedDateTime" | "changeKey" | "iCalUId">>;

export type DirectoryCredentials = {
  directoryId: string;
  /** The domain users' addresses are in, e.g. `acme.onmicrosoft.com`. */
  domain: string;
  /** Our app's registration, which this directory's admin consented to. */
  clientId: string;
  clientSecret: string;
  /** Application permissions granted: a token carries them as roles. */
  roles?: string[];
};

export const ALL_ROLES = ["User.Read.All", "Contacts.Read", "Calendars.Read"];

export class GraphDirectory {
  readonly users = new Map<string, Tracked<SimUser>>();
  readonly folders = new Map<string, SimFolder>();
  readonly contacts = new Map<string, Tracked<SimContact>>();
  readonly events = new Map<string, Tracked<SimEvent>>();
  readonly roles: Set<string>;
  private changes = 0;
  private ids = 0;

  constructor(
    readonly credentials: DirectoryCredentials,
    private readonly clock: () => number = Date.now,
  ) {
    this.roles = new Set(credentials.roles ?? ALL_ROLES);
  }

  /** The change number of the latest change; a delta round started now covers everything up to it. */
  get changeNumber(): number {
    return this.changes;
  }

  userByKey(key: string): Tracked<SimUser> | undefined {
    const lower = key.toLowerCase();
    return this.users.get(key) ?? [...this.users.values()].find((u) => u.item.userPrincipalName.toLowerCase() === lower);
  }

  defaultFolder(userId: string): SimFolder {
    return [...this.folders.values()].find((f) => f.userId === userId && f.isDefault)!;
  }

  addUser(fields: Partial<Omit<SimUser, "id">> & { displayName: string }): SimUser {
    const local = fields.displayName
      .toLowerCase()
      .replace(/[^a-z]+/g, ".")
      .replace(/^\.|\.$/g, "");
    const user: SimUser = {
      id: this.guid(),
      givenName: null,
      surname: null,
      mail: `${local}@${this.credentials.domain}`,
      userPrincipalName: `${local}@${this.credentials.domain}`,
      jobTitle: null,
      department: null,
      accountEnabled: true,
      hasMailbox: true,
      ...fields,
    };
    this.users.set(user.id, this.stamp(user, user.id));
    const folderId = this.outlookId("folder");
    this.folders.set(folderId, { id: folderId, userId: user.id, displayName: "Contacts", isDefault: true });
    return user;
  }

  updateUser(id: string, patch: Partial<Omit<SimUser, "id">>): SimUser {
    const tracked = this.live(this.users, id);
    this.users.set(id, this.stamp({ ...tracked.item, ...patch }, id));
    return this.users.get(id)!.item;
  }

  deleteUser(id: string): void {
    const tracked = this.live(this.users, id);
    this.users.set(id, { ...this.stamp(tracked.item, id), deleted: true });
  }

  addContactFolder(userId: string, displayName: string): SimFolder {
    const folder: SimFolder = { id: this.outlookId("folder"), userId, displayName, isDefault: false };
    this.folders.set(folder.id, folder);
    return folder;
  }

  /** A contact in the user's default Contacts folder, or in `folderId`. */
  addContact(userId: string, fields: ContactFields & { displayName: string }, folderId?: string): SimContact {
    const now = this.isoNow();
    const contact: SimContact = {
      id: this.outlookId("contact"),
      parentFolderId: folderId ?? this.defaultFolder(userId).id,
      givenName: null,
      surname: null,
      initials: null,
      birthday: null,
      emailAddresses: [],
      businessPhones: [],
      mobilePhone: null,
      jobTitle: null,
      companyName: null,
      createdDateTime: now,
      lastModifiedDateTime: now,
      changeKey: "",
      ...fields,
    };
    this.contacts.set(contact.id, this.stamp(contact, userId));
    return this.contacts.get(contact.id)!.item;
  }

  updateContact(id: string, patch: ContactFields): SimContact {
    const tracked = this.live(this.contacts, id);
    this.contacts.set(id, this.stamp({ ...tracked.item, ...patch, lastModifiedDateTime: this.isoNow() }, tracked.owner));
    return this.contacts.get(id)!.item;
  }

  deleteContact(id: string): void {
    const tracked = this.live(this.contacts, id);
    this.contacts.set(id, { ...this.stamp(tracked.item, tracked.owner), deleted: true });
  }

  addEvent(userId: string, fields: EventFields & { subject: string; start: string; end: string }): SimEvent {
    const now = this.isoNow();
    const owner = this.live(this.users, userId).item;
    const event: SimEvent = {
      id: this.outlookId("event"),
      isCancelled: false,
      location: "",
      organizer: { name: owner.displayName, address: owner.mail ?? owner.userPrincipalName },
      attendees: [],
      createdDateTime: now,
      lastModifiedDateTime: now,
      changeKey: "",
      iCalUId: `040000008200E00074C5B7101A82E008${String(this.ids).padStart(16, "0")}`,
      ...fields,
    };
    this.events.set(event.id, this.stamp(event, userId));
    return this.events.get(event.id)!.item;
  }

  updateEvent(id: string, patch: EventFields): SimEvent {
    const tracked = this.live(this.events, id);
    this.events.set(id, this.stamp({ ...tracked.item, ...patch, lastModifiedDateTime: this.isoNow() }, tracked.owner));
    return this.events.get(id)!.item;
  }

  deleteEvent(id: string): void {
    const tracked = this.live(this.events, id);
    this.events.set(id, { ...this.stamp(tracked.item, tracked.owner), deleted: true });
  }

  private live<T>(map: Map<string, Tracked<T>>, id: string): Tracked<T> {
    const tracked = map.get(id);
    if (!tracked || tracked.deleted) throw new Error(`graph simulator: no live item ${id}`);
    return tracked;
  }

  private stamp<T>(item: T, owner: string): Tracked<T> {
    this.changes += 1;
    const changeKey = (item as { changeKey?: string }).changeKey;
    const next = changeKey === undefined ? item : { ...item, changeKey: Buffer.from(`ck:${this.changes}`).toString("base64") };
    return { item: next, owner, changedAt: this.changes, deleted: false };
  }

  private guid(): string {
    this.ids += 1;
    const hex = (this.credentials.directoryId.replace(/-/g, "").slice(0, 8) + this.ids.toString(16).padStart(24, "0")).slice(0, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  /** Outlook-style ids: base64 with `+`, `/` and `=` possible, so clients must encode them in paths. */
  private outlookId(kind: string): string {
    this.ids += 1;
    return `AAMkAD${Buffer.from(`${this.credentials.directoryId}|${kind}|${this.ids}|~?>`).toString("base64")}`;
  }

  private isoNow(): string {
    return new Date(this.clock()).toISOString();
  }
}

const DEPARTMENTS = ["Sales", "Sales", "Sales", "Marketing", "Operations", "Finance"];
const TITLES = ["Account Executive", "Sales Manager", "Business Development Manager", "Head of Sales", "Marketing Lead", "Operations Manager"];
const CONTACT_TITLES = ["Director", "CEO", "Head of Procurement", "IT Manager", "Operations Manager", "CFO", "Founder", "Purchasing Executive"];
const MEETINGS = ["Intro call", "Discovery meeting", "Product demo", "Proposal review", "Pricing discussion", "Quarterly business review", "Site visit"];

/**
 * The demo directory of one tenant, the same for the same seed and day: a
 * dozen users (one without a mailbox, one disabled), about 25 contacts each
 * in the default Contacts folder and a "Clients" folder, and a dozen
 * meetings each within two months either side of `today`. With `crmAccounts`
 * (the seed of the tenant's demo CRM customers, see ../odoo/demo-accounts)
 * the meetings are with those customers' people, so the tenant's deals have
 * Outlook meetings on their timelines.
 */
export function seedDemoDirectory(
  directory: GraphDirectory,
  opts: { seed: string | number; today: Date; users?: number; contactsPerUser?: number; crmAccounts?: string },
): void {
  const r = rng("graph-directory", opts.seed, directory.credentials.directoryId);
  const companies = syntheticCompanies(40, `graph-${opts.seed}`);
  const customers = opts.crmAccounts === undefined ? [] : demoAccounts(opts.crmAccounts);
  const userCount = opts.users ?? 12;
  for (let n = 0; n < userCount; n++) {
    const person = personName(r);
    const user = directory.addUser({
      displayName: person.fullName,
      givenName: person.firstName,
      surname: person.lastName,
      mail: `${person.emailLocal}@${directory.credentials.domain}`,
      userPrincipalName: `${person.emailLocal}@${directory.credentials.domain}`,
      jobTitle: r.pick(TITLES),
      department: r.pick(DEPARTMENTS),
      accountEnabled: n !== userCount - 2,
      hasMailbox: n !== userCount - 1,
    });
    if (!user.hasMailbox) continue;
    const clients = directory.addContactFolder(user.id, "Clients");
    const contacts = opts.contactsPerUser ?? r.int(20, 30);
    for (let c = 0; c < contacts; c++) directory.addContact(user.id, demoContact(r, r.pick(companies).name), c % 4 === 3 ? clients.id : undefined);
    for (let e = 0; e < 12; e++) {
      const customer = customers.length ? r.pick(customers) : undefined;
      const meeting = demoMeeting(r, opts.today, customer?.name ?? r.pick(companies).name);
      const invited = customer ? r.pickSome(customer.people, r.int(1, customer.people.length)) : [];
      directory.addEvent(user.id, { ...meeting, attendees: invited.map((p) => ({ name: p.name, address: p.email, type: "required" })) });
    }
  }
}

function demoContact(r: Rng, company: string): ContactFields & { displayName: string } {
  const person = personName(r);
  const domain = `${
    company
      .split(" ")[0]!
      .toLowerCase()
      .replace(/[^a-z]/g, "") || "company"
  }.com.sg`;
  return {
    displayName: person.fullName,
    givenName: person.firstName,
    surname: person.lastName,
    initials: `${person.firstName[0]}.${person.lastName[0]}.`,
    birthday: `${r.int(1960, 1998)}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}T11:59:00Z`,
    emailAddresses: r.chance(0.9) ? [{ name: person.fullName, address: `${person.emailLocal}@${domain}` }] : [],
    businessPhones: r.chance(0.7) ? [singaporePhone(r, "office")] : [],
    mobilePhone: r.chance(0.5) ? singaporePhone(r, "mobile") : null,
    jobTitle: r.chance(0.8) ? r.pick(CONTACT_TITLES) : null,
    companyName: company,
  };
}

function demoMeeting(r: Rng, today: Date, company: string): EventFields & { subject: string; start: string; end: string } {
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + r.int(-60, 60) * 86_400_000;
  const start = day + r.int(1, 9) * 3_600_000;
  const end = start + r.pick([30, 45, 60, 90]) * 60_000;
  return {
    subject: `${r.pick(MEETINGS)}: ${company}`,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    location: r.chance(0.5) ? "Microsoft Teams Meeting" : "Client office",
    isCancelled: r.chance(0.05),
  };
}

/** A stable directory (tenant) id for a demo workspace, so the dev runner and the simulator agree without talking. */
export function demoDirectoryId(slug: string): string {
  const r = rng("graph-directory-id", slug);
  const hex = Array.from({ length: 32 }, () => "0123456789abcdef"[r.int(0, 15)]).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
