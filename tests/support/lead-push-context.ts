import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { type OdooSession } from "~/odoo/client.server";
import { type OdooSimulator, type SimDatabase } from "../sims/odoo";
import { createTenantWithOdoo, ODOO_DB, startPushSimulator, type SeedLead } from "./lead-push-fixtures";

/**
 * One Odoo simulator per test file and a fresh tenant with its own Odoo
 * company per test, plus the queries the push tests assert with. Fields are
 * filled by the hooks, so read them inside tests.
 */
export type PushContext = {
  sim: OdooSimulator;
  admin: OdooSession;
  odoo: SimDatabase;
  tenant: { tenantId: string; companyId: number; slug: string };
};

export function setUpPushTenant(): PushContext {
  const ctx = {} as PushContext;
  beforeAll(async () => {
    Object.assign(ctx, await startPushSimulator());
    ctx.odoo = ctx.sim.state.database(ODOO_DB);
  });
  afterAll(() => ctx.sim.stop());
  beforeEach(async () => {
    ctx.sim.faults.clear();
    ctx.tenant = await createTenantWithOdoo(ctx.sim, ctx.admin);
    ctx.sim.state.resetCalls();
  });
  return ctx;
}

export function pushQueries(ctx: PushContext) {
  const partnersOf = (companyId: number) => ctx.odoo.records("res.partner").filter((p) => p.company_id === companyId);
  const companiesOf = (companyId: number) => partnersOf(companyId).filter((p) => p.is_company === true);
  const writes = () => ctx.sim.state.countCalls({ method: "create" }) + ctx.sim.state.countCalls({ method: "write" });
  /** Every UEN is one partner, every contact key one child. */
  const expectNoDuplicates = (companyId: number) => {
    const refs = companiesOf(companyId).map((p) => p.ref);
    expect(new Set(refs).size).toBe(refs.length);
    const childKeys = partnersOf(companyId)
      .filter((p) => p.parent_id)
      .map((p) => `${p.parent_id}:${typeof p.email === "string" ? p.email.toLowerCase() : p.website}`);
    expect(new Set(childKeys).size).toBe(childKeys.length);
  };
  return { partnersOf, companiesOf, writes, expectNoDuplicates };
}

export const OPERATOR = { sub: "op-1", email: "ops@tenant.example" };

export const codigo: SeedLead = {
  uen: "201912345A",
  name: "CODIGO PTE. LTD.",
  domain: "www.codigo.co",
  about: "Codigo designs & builds <mobile> apps for Singapore brands.",
  industry: "Software",
  phones: ["+65 6100 0000"],
  address: { block: "10", street: "ANSON ROAD", level: "12", unit: "01", building: "INTERNATIONAL PLAZA", postal: "079903" },
  companyEmails: [
    { email: "tan@codigo.co", status: "verified" },
    { email: "hello@codigo.co", status: "verified" },
  ],
  contacts: [
    { name: "Tan Wei", title: "CTO", linkedin: "https://sg.linkedin.com/in/tan-wei/", emails: [{ email: "Wei.Tan@codigo.co", status: "verified" }] },
    { name: "Lim Mei", title: "CEO", linkedin: "linkedin.com/in/lim-mei", emails: [{ email: "mei@codigo.co", status: "pending" }] },
  ],
};

export const kopi: SeedLead = {
  uen: "53312345K",
  name: "KOPI LABS",
  bucket: "Medium",
  score: 55,
  domain: "kopilabs.sg",
  contacts: [{ name: "Ong", linkedin: "https://www.linkedin.com/in/ong", emails: [{ email: "ong@kopilabs.sg", status: "unknown" }] }],
};

export const lowly: SeedLead = { uen: "T99000001L", name: "LOW CO", bucket: "Low", score: 10, domain: "low.example" };
