import { type ReactNode } from "react";

const tones = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/20",
  red: "bg-red-50 text-red-800 ring-red-600/20",
  blue: "bg-brand-50 text-brand-700 ring-brand-600/20",
  gray: "bg-slate-100 text-slate-700 ring-slate-500/20",
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({ tone = "gray", children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>{children}</span>;
}

/** Status words shared by tenants, provisioning and runs, with a colour that is never the only signal. */
export function statusTone(status: string): BadgeTone {
  if (["active", "ready", "succeeded", "ok", "verified"].includes(status)) return "green";
  if (["provisioning", "running", "queued", "degraded", "pending"].includes(status)) return "amber";
  if (["error", "failed", "paused", "decommissioning", "decommissioned"].includes(status)) return status === "paused" ? "gray" : "red";
  return "blue";
}
