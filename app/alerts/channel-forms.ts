import { type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { ALERT_SEVERITIES } from "./alert-severity";

/**
 * The alert channel forms of a workspace's Settings → Alerts and the control
 * plane's platform channels: one schema per intent, shared by the action and
 * the browser. Browser-safe.
 */
const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;

const name = z.string({ error: "Name the channel" }).trim().min(1, "Name the channel").max(80, "At most 80 characters");
const minSeverity = z.enum(ALERT_SEVERITIES, { error: "Pick a severity" });
const dedupMinutes = z
  .string({ error: "Give the window in minutes" })
  .trim()
  .regex(/^\d{1,5}$/, "Whole minutes, 0 to 10080")
  .transform(Number)
  .refine((n) => n <= 10_080, "At most 10080 minutes (a week)");

export const ChannelForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add-email"),
    name,
    emailTo: z
      .string({ error: "Give at least one address" })
      .transform((v) =>
        v
          .split(/[\s,;]+/)
          .map((a) => a.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(EMAIL, "Not an email address")).min(1, "Give at least one address").max(20, "At most 20 addresses")),
    minSeverity,
    dedupMinutes,
    dailyDigest: z
      .string()
      .optional()
      .transform((v) => v === "on"),
  }),
  z.object({
    intent: z.literal("add-webhook"),
    name,
    url: z.string({ error: "Give the receiver's URL" }).trim().url("Not a URL").max(2000),
    minSeverity,
    dedupMinutes,
  }),
  z.object({ intent: z.literal("remove-channel"), channelId: z.uuid() }),
  z.object({ intent: z.literal("replay-delivery"), deliveryId: z.uuid() }),
]);

export type ChannelIntent = z.input<typeof ChannelForm>["intent"];

export const CHANNEL_INTENTS: readonly ChannelIntent[] = ChannelForm.options.map((o) => o.shape.intent.value);

export type ChannelActionResult = {
  intent: ChannelIntent | null;
  ok: boolean;
  message: string;
  /** A new webhook's signing secret: shown once, never stored in clear. */
  secret?: string;
  submission?: SubmissionResult<string[]>;
};

/** An alert channel as its page lists it (instants as Dates on the server, strings once serialized). */
export type ChannelRow<Instant = Date> = {
  id: string;
  name: string;
  kind: string;
  emailTo: string[];
  webhookUrl: string | null;
  minSeverity: string;
  dedupMinutes: number;
  dailyDigest: boolean;
  createdByEmail: string | null;
  createdAt: Instant;
};
