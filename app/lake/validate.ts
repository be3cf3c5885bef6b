import { z } from "zod";
import { zodIssueLines } from "../utils/zod-issues";
import { type CanonicalDraft } from "./pipeline";

/**
 * The validator: what a mapped record must hold to enter the canonical zone.
 * A record that fails is rejected with the reason, never dropped silently.
 */

const link = z.object({ source: z.enum(["odoo", "m365"]), entity: z.string().min(1), sourceId: z.string().min(1) }).nullable();
const name = z.string().trim().min(1, { error: "has no name" }).max(1000);
const optionalText = z.string().max(2000).nullable();
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s.replace(" ", "T"))), { error: "is not a date and time" });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, { error: "is not a date" });

const schemas = {
  user: z.object({ kind: z.literal("user"), name, email: optionalText, login: optionalText, team: link, active: z.boolean() }),
  team: z.object({ kind: z.literal("team"), name, leader: link, members: z.array(link.unwrap()), active: z.boolean() }),
  account: z.object({
    kind: z.literal("account"),
    name,
    uen: optionalText,
    vat: optionalText,
    website: optionalText,
    email: optionalText,
    phone: optionalText,
    countryCode: optionalText,
    tags: z.array(z.string()),
    active: z.boolean(),
  }),
  contact: z.object({
    kind: z.literal("contact"),
    name,
    email: optionalText,
    phone: optionalText,
    jobTitle: optionalText,
    account: link,
    companyName: optionalText,
    active: z.boolean(),
  }),
  opportunity: z.object({
    kind: z.literal("opportunity"),
    name,
    stageKind: z.enum(["lead", "opportunity"]),
    stage: z.object({ name: z.string(), sequence: z.number().int(), isWon: z.boolean() }).nullable(),
    account: link,
    contact: link,
    owner: link,
    team: link,
    expectedRevenue: z.number().finite().min(0, { error: "expected revenue is negative" }).max(1e13),
    probability: z.number().min(0).max(100),
    currency: optionalText,
    outcome: z.enum(["open", "won", "lost"]),
    lostReason: optionalText,
    createdAt: instant,
    stageEnteredAt: instant.nullable(),
    deadline: day.nullable(),
    closedAt: instant.nullable(),
    tags: z.array(z.string()),
    active: z.boolean(),
  }),
  activity: z.object({
    kind: z.literal("activity"),
    activityType: z.string().trim().min(1, { error: "has no activity type" }),
    summary: optionalText,
    state: z.enum(["planned", "done"]),
    at: instant,
    owner: link,
    about: link,
    active: z.boolean(),
  }),
} satisfies Record<CanonicalDraft["kind"], z.ZodType>;

export type Validation = { ok: true; draft: CanonicalDraft } | { ok: false; reason: string };

export function validateDraft(draft: CanonicalDraft): Validation {
  const parsed = schemas[draft.kind].safeParse(draft);
  if (parsed.success) return { ok: true, draft: parsed.data as CanonicalDraft };
  return { ok: false, reason: `${draft.kind}: ${zodIssueLines(parsed.error).join("; ")}` };
}
