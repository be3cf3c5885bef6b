import { describe, expect, it } from "vitest";
import { effectiveWindows, formatWindow, RetentionForm, retentionCutoff } from "./retention-windows";

describe("effectiveWindows", () => {
  it("takes the platform defaults, with the raw zone kept until the workspace sets a window", () => {
    expect(effectiveWindows([]).map((w) => [w.dataClass, w.days])).toEqual([
      ["crawl_text", 90],
      ["step_logs", 180],
      ["vendor_payloads", 90],
      ["chat_threads", 365],
      ["lake_raw", null],
    ]);
  });

  it("lets a workspace's override win over the default, per class, and ignores classes it does not know", () => {
    const windows = effectiveWindows([
      { dataClass: "step_logs", days: 30 },
      { dataClass: "lake_raw", days: 400 },
      { dataClass: "emails", days: 7 },
    ]);
    expect(windows.find((w) => w.dataClass === "step_logs")).toEqual({ dataClass: "step_logs", defaultDays: 180, overrideDays: 30, days: 30 });
    expect(windows.find((w) => w.dataClass === "lake_raw")).toEqual({ dataClass: "lake_raw", defaultDays: null, overrideDays: 400, days: 400 });
    expect(windows.find((w) => w.dataClass === "crawl_text")).toEqual({ dataClass: "crawl_text", defaultDays: 90, overrideDays: null, days: 90 });
  });
});

describe("retentionCutoff", () => {
  it("is exactly the window's days before the sweep", () => {
    expect(retentionCutoff(new Date("2026-12-05T03:00:00Z"), 90).toISOString()).toBe("2026-09-06T03:00:00.000Z");
  });
});

describe("RetentionForm", () => {
  const base = { intent: "retention", crawl_text: "", step_logs: "", vendor_payloads: "", chat_threads: "", lake_raw: "" };

  it("reads empty fields as the default and whole days within bounds as overrides", () => {
    expect(RetentionForm.parse({ ...base, step_logs: " 30 ", lake_raw: "3650" })).toMatchObject({ crawl_text: null, step_logs: 30, lake_raw: 3650 });
  });

  it.each(["6", "3651", "12.5", "-30", "ninety", "1e3"])("refuses %s days with a message naming the bounds", (value) => {
    const parsed = RetentionForm.safeParse({ ...base, chat_threads: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([
      expect.objectContaining({ path: ["chat_threads"], message: "Enter whole days from 7 to 3,650, or leave it empty for the default" }),
    ]);
  });
});

describe("formatWindow", () => {
  it("names days, or says the data is kept", () => {
    expect([formatWindow(1), formatWindow(1825), formatWindow(null)]).toEqual(["1 day", "1,825 days", "kept"]);
  });
});
