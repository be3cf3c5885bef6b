import { describe, expect, it } from "vitest";
import { routeCommand } from "./command-router";
import { ChatCommandSchema, needsOperator, PRD_EXAMPLES, refusalFor, sentenceFor, type ChatCommand } from "./commands";

const now = new Date("2026-11-22T04:00:00Z"); // 12:00 in Singapore

function command(text: string): ChatCommand {
  const routed = routeCommand(text, { now });
  if (!routed.ok) throw new Error(`expected "${text}" to route, got: ${routed.message}`);
  return routed.command;
}

function failure(text: string) {
  const routed = routeCommand(text, { now });
  if (routed.ok) throw new Error(`expected "${text}" not to route, got ${JSON.stringify(routed.command)}`);
  return routed;
}

describe("the four sentences of the product brief", () => {
  it("refreshes the ICP to software, 10–200 employees, nightly", () => {
    expect(command("Refresh ICP to software, 10–200 employees; run nightly.")).toEqual({
      kind: "update_icp",
      change: { industries: ["software"], employees: { min: 10, max: 200 } },
      schedule: { enabled: true },
      refresh: true,
    });
  });

  it("shows today's shortlist, top 50", () => {
    expect(command("Show today's shortlist (top 50).")).toEqual({ kind: "shortlist", limit: 50 });
  });

  it("explains why a company is High", () => {
    expect(command("Explain why company X is High.")).toEqual({ kind: "explain", company: "X", bucket: "High" });
    expect(command("Explain why company Codigo is High.")).toEqual({ kind: "explain", company: "Codigo", bucket: "High" });
  });

  it("re-enriches Codigo with its careers page", () => {
    expect(command("Re-enrich Codigo; include careers page.")).toEqual({ kind: "re_enrich", company: "Codigo", includeCareers: true, forceRecrawl: false });
  });

  it("routes every example it offers", () => {
    for (const example of PRD_EXAMPLES) expect(routeCommand(example, { now }).ok, example).toBe(true);
  });
});

describe("ICP phrasings", () => {
  it.each([
    ["Set ICP to logistics and F&B, 20 to 500 staff", { industries: ["logistics", "food_and_beverage"], employees: { min: 20, max: 500 } }, null],
    ["refresh icp to software 10-200 employees, run nightly", { industries: ["software"], employees: { min: 10, max: 200 } }, { enabled: true }],
    ["Target fintech but not banking, run at 2am", { industries: ["fintech"], excludedIndustries: ["finance"] }, { enabled: true, hourSgt: 2 }],
    ["change the ICP to 50+ employees", { employees: { min: 50 } }, null],
    ["Pause nightly", {}, { enabled: false }],
    ["don't run nightly", {}, { enabled: false }],
    ["run nightly", {}, { enabled: true }],
  ])("%s", (text, change, schedule) => {
    expect(command(text)).toMatchObject({ kind: "update_icp", change, schedule });
  });

  it("treats a bare “Refresh ICP” as a candidate refresh with no change", () => {
    expect(command("Refresh ICP")).toEqual({ kind: "update_icp", change: {}, schedule: null, refresh: true });
  });

  it("shows the ICP without changing it", () => {
    expect(command("Show my ICP")).toEqual({ kind: "show_icp" });
    expect(command("what is our ICP?")).toEqual({ kind: "show_icp" });
  });
});

describe("shortlist phrasings", () => {
  it.each([
    ["show me the shortlist", { limit: 50 }],
    ["Show today's short list", { limit: 50 }],
    ["top 10 leads", { limit: 10 }],
    ["today's top 20 companies", { limit: 20 }],
    ["list the high leads", { limit: 50, bucket: "High" }],
    ["show yesterday's shortlist", { limit: 50, date: "2026-11-21" }],
    ["shortlist for 2026-11-20 top 5", { limit: 5, date: "2026-11-20" }],
    ["who are the best leads today?", { limit: 50 }],
  ])("%s", (text, expected) => {
    expect(command(text)).toEqual({ kind: "shortlist", ...expected });
  });

  it("refuses a size it cannot show and points to the largest", () => {
    const result = failure("show the top 5000 shortlist");
    expect(result.suggestions).toEqual(["Show today's shortlist (top 200)."]);
  });
});

describe("explain phrasings", () => {
  it.each([
    ["why is Codigo High?", { company: "Codigo", bucket: "High" }],
    ["explain Codigo", { company: "Codigo" }],
    ["Explain the score of Lumen Data", { company: "Lumen Data" }],
    ["why did Harbourlink Logistics score high", { company: "Harbourlink Logistics", bucket: "High" }],
    ["Explain why CODIGO PTE. LTD. is rated Medium", { company: "CODIGO PTE. LTD", bucket: "Medium" }],
    ["what makes Kopi Code a high lead?", { company: "Kopi Code", bucket: "High" }],
    ["Can you explain why Marina Pay was scored Low?", { company: "Marina Pay", bucket: "Low" }],
    ["explain 201190001C", { company: "201190001C" }],
    ["why is Straits Cloud on the shortlist", { company: "Straits Cloud" }],
  ])("%s", (text, expected) => {
    expect(command(text)).toEqual({ kind: "explain", ...expected });
  });

  it("asks which company when none is named", () => {
    expect(failure("explain").message).toBe("Which company should I explain?");
  });
});

describe("re-enrich phrasings", () => {
  it.each([
    ["reenrich Codigo", { company: "Codigo", includeCareers: false, forceRecrawl: false }],
    ["Re-enrich Lumen Data with careers page and force a re-crawl", { company: "Lumen Data", includeCareers: true, forceRecrawl: true }],
    ["enrich Codigo again including the careers page", { company: "Codigo", includeCareers: true, forceRecrawl: false }],
    ["re-crawl Codigo", { company: "Codigo", includeCareers: false, forceRecrawl: true }],
    ["Re-enrich Codigo without careers page", { company: "Codigo", includeCareers: false, forceRecrawl: false }],
    ["please re-enrich the company Kopi Code, include the jobs page", { company: "Kopi Code", includeCareers: true, forceRecrawl: false }],
  ])("%s", (text, expected) => {
    expect(command(text)).toEqual({ kind: "re_enrich", ...expected });
  });

  it("asks which company when none is named", () => {
    expect(failure("reenrich").message).toBe("Which company should I re-enrich?");
  });
});

describe("starting a run", () => {
  it.each(["run nightly now", "Run nightly now.", "start a run", "kick off a run", "run the nightly job now", "start the nightly run", "Please run it now"])(
    "%s",
    (text) => {
      expect(command(text)).toEqual({ kind: "start_run" });
    },
  );
});

describe("help", () => {
  it.each(["help", "What can you do?", "?", "commands"])("%s", (text) => {
    expect(command(text)).toEqual({ kind: "help" });
  });
});

describe("close misses and suggestions", () => {
  it("corrects a mistyped keyword into a sentence it understands", () => {
    expect(failure("shortlst please").suggestions).toEqual(["Show today's shortlist (top 50)."]);
    expect(failure("explian why Codigo is High").suggestions).toEqual(["Explain why Codigo is High."]);
    expect(failure("renrich Codigo").suggestions).toEqual(["Re-enrich Codigo."]);
  });

  it("repairs a mistyped industry or a range without its unit", () => {
    expect(failure("Refresh ICP to softwear").suggestions).toEqual(["Refresh ICP to software"]);
    expect(failure("target logisitcs and fintech").suggestions).toEqual(["target logistics and fintech"]);
    const range = failure("Refresh ICP to software, 10-200; run nightly");
    expect(range.message).toContain("10-200 employees");
    expect(range.suggestions).toEqual(["Refresh ICP to software, 10-200 employees; run nightly"]);
  });

  it("offers the ICP for a bare industry word", () => {
    expect(failure("fintech").suggestions).toEqual(["Refresh ICP to fintech."]);
    expect(failure("logisitcs").suggestions).toEqual(["Refresh ICP to logistics."]);
  });

  it("offers the examples for anything else, and for an empty message", () => {
    expect(failure("hello there").suggestions).toEqual([...PRD_EXAMPLES]);
    expect(failure("   ").suggestions).toEqual([...PRD_EXAMPLES]);
  });

  it("suggests only sentences that route", () => {
    for (const text of ["shortlst please", "explian why Codigo is High", "Refresh ICP to softwear", "fintech", "set ICP to 10-200"]) {
      for (const s of failure(text).suggestions) expect(routeCommand(s, { now }).ok, `${text} → ${s}`).toBe(true);
    }
  });
});

describe("role guards", () => {
  it("marks the commands that change something", () => {
    expect(needsOperator(command("Refresh ICP to software"))).toBe(true);
    expect(needsOperator(command("Re-enrich Codigo"))).toBe(true);
    expect(needsOperator(command("run nightly now"))).toBe(true);
    expect(needsOperator(command("Show today's shortlist (top 50)."))).toBe(false);
    expect(needsOperator(command("why is Codigo High?"))).toBe(false);
  });

  it("politely refuses a viewer and lets ops and admins through", () => {
    const change = command("Refresh ICP to software, 10–200 employees; run nightly.");
    expect(refusalFor(change, ["viewer"])).toMatch(/^Sorry, your role \(viewer\) .* cannot change the ICP/);
    expect(refusalFor(command("Re-enrich Codigo"), ["viewer"])).toMatch(/cannot re-enrich a company/);
    expect(refusalFor(command("start a run"), ["viewer"])).toMatch(/cannot start a run/);
    expect(refusalFor(change, ["ops"])).toBeNull();
    expect(refusalFor(change, ["admin"])).toBeNull();
    expect(refusalFor(command("top 10 leads"), ["viewer"])).toBeNull();
  });
});

describe("the command schema (for the language model's tool calls)", () => {
  it("normalises industry words and rejects unknown ones", () => {
    const parsed = ChatCommandSchema.parse({ kind: "update_icp", change: { industries: ["SaaS", "F&B"] }, schedule: null, refresh: true });
    expect(parsed).toMatchObject({ change: { industries: ["software", "food_and_beverage"] } });
    expect(ChatCommandSchema.safeParse({ kind: "update_icp", change: { industries: ["softwear"] }, schedule: null, refresh: true }).success).toBe(false);
  });

  it("rejects backwards ranges, out-of-range limits and unknown kinds", () => {
    expect(ChatCommandSchema.safeParse({ kind: "update_icp", change: { employees: { min: 200, max: 10 } }, schedule: null, refresh: false }).success).toBe(
      false,
    );
    expect(ChatCommandSchema.safeParse({ kind: "shortlist", limit: 0 }).success).toBe(false);
    expect(ChatCommandSchema.safeParse({ kind: "drop_tables" }).success).toBe(false);
  });

  it("accepts what the router produces", () => {
    for (const text of ["Show today's shortlist (top 50).", "why is Codigo High?", "Re-enrich Codigo; include careers page.", "run nightly now", "help"]) {
      expect(ChatCommandSchema.safeParse(command(text)).success, text).toBe(true);
    }
  });

  it("writes a sentence for a command that routes back to it", () => {
    for (const text of ["Show today's shortlist (top 50).", "why is Codigo High?", "Re-enrich Codigo; include careers page.", "run nightly now"]) {
      const c = command(text);
      expect(command(sentenceFor(c)!)).toEqual(c);
    }
  });
});
