import { describe, expect, it } from "vitest";
import { db, platformDb } from "~/db.server";
import { codigo, kopi, pushQueries, setUpPushTenant } from "../../tests/support/lead-push-context";
import { seedRun } from "../../tests/support/lead-push-fixtures";
import { applyRunPush } from "./lead-push.server";
import { buildPushSet } from "./push-set.server";

const ctx = setUpPushTenant();
const { partnersOf, companiesOf } = pushQueries(ctx);

describe("buildPushSet", () => {
  it("skips suppressed UENs, domains and people, and never pushes an unverified email", async () => {
    const runId = await seedRun(ctx.tenant.tenantId, [
      codigo,
      kopi,
      { uen: "T10000001S", name: "SUPPRESSED BY UEN", domain: "uen.example" },
      { uen: "T10000002S", name: "SUPPRESSED BY DOMAIN", domain: "https://www.blocked.example/" },
      { uen: "T10000003S", name: "NOT IN REGISTRY", inRegistry: false },
      {
        uen: "T10000004S",
        name: "MIXED EMAILS",
        domain: "mixed.example",
        companyEmails: [
          { email: "info@mixed.example", status: "catch_all" },
          { email: "owner@gmail.com", status: "unknown" },
        ],
        contacts: [
          { name: "Opted Out", linkedin: "https://www.linkedin.com/in/opted-out", emails: [{ email: "optout@mixed.example", status: "verified" }] },
          { name: "Pending Pat", linkedin: "https://www.linkedin.com/in/pat", emails: [{ email: "pat@mixed.example", status: "pending" }] },
          { name: "Guessed Gil", linkedin: "https://www.linkedin.com/in/gil", emails: [{ email: "gil@elsewhere.example", status: "unknown" }] },
          { name: "Invalid Ivy", linkedin: "https://www.linkedin.com/in/ivy", emails: [{ email: "ivy@mixed.example", status: "invalid" }] },
        ],
      },
    ]);
    await platformDb.suppressionEntry.createMany({
      data: [
        { tenantId: ctx.tenant.tenantId, kind: "uen", value: "t10000001s" },
        { tenantId: ctx.tenant.tenantId, kind: "domain", value: "blocked.example" },
        { tenantId: ctx.tenant.tenantId, kind: "email", value: "OptOut@mixed.example" },
      ],
    });
    const set = await db.$withTenant(ctx.tenant.tenantId, (tx) => buildPushSet(tx, runId));
    expect(set.excluded).toEqual([
      { uen: "T10000001S", reason: "suppressed_uen" },
      { uen: "T10000002S", reason: "suppressed_domain" },
      { uen: "T10000003S", reason: "not_in_registry" },
    ]);
    expect(set.droppedContacts).toEqual([{ uen: "T10000004S", name: "Opted Out", reason: "suppressed_email" }]);
    expect(set.withheldEmails).toEqual({ unverified: 6, suppressed: 1, invalid: 0 });

    await applyRunPush(ctx.tenant.tenantId, runId);
    const pushed = partnersOf(ctx.tenant.companyId);
    expect(
      companiesOf(ctx.tenant.companyId)
        .map((p) => p.ref)
        .sort(),
    ).toEqual(["201912345A", "53312345K", "T10000004S"]);
    const emails = pushed
      .map((p) => p.email)
      .filter((e): e is string => typeof e === "string")
      .sort();
    expect(emails).toEqual(["hello@codigo.co", "ong@kopilabs.sg", "wei.tan@codigo.co"]);
    expect(
      pushed
        .filter((p) => p.parent_id && companiesOf(ctx.tenant.companyId).find((c) => c.id === p.parent_id)?.ref === "T10000004S")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["Guessed Gil", "Invalid Ivy", "Pending Pat"]);
    expect(pushed.some((p) => p.name === "Opted Out")).toBe(false);

    // All three buckets when asked.
    const all = await db.$withTenant(ctx.tenant.tenantId, (tx) => buildPushSet(tx, runId, { buckets: ["High", "Medium", "Low"] }));
    expect(all.excluded.some((e) => e.reason === "bucket")).toBe(false);
  });
});
