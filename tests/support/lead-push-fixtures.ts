import { platformDb } from "~/db.server";
import { OdooClient, type OdooSession } from "~/odoo/client.server";
import { storeOdooSecrets } from "~/odoo/connection.server";
import { ensureIntegrationUser } from "~/odoo/integration-user.server";
import { REQUIRED_MODULES } from "~/odoo/module-install.server";
import { ensureCompany } from "~/odoo/tenant-company.server";
import { startOdooSimulator, type OdooSimulator } from "../sims/odoo";

/**
 * A tenant with a provisioned Odoo (company_per_tenant in one simulator
 * database) and a finished run whose leads are seeded straight into the
 * lead tables, for the Odoo push tests.
 */
export const ODOO_DB = "platform";

export async function startPushSimulator(): Promise<{ sim: OdooSimulator; admin: OdooSession }> {
  const sim = await startOdooSimulator({ port: 0, databases: [{ name: ODOO_DB, adminPassword: "admin-pw", modules: REQUIRED_MODULES }] });
  const admin = await new OdooClient({ baseUrl: sim.url }).connect(ODOO_DB, "admin", "admin-pw");
  return { sim, admin };
}

let tenantCounter = 0;

export async function createTenantWithOdoo(sim: OdooSimulator, admin: OdooSession): Promise<{ tenantId: string; companyId: number; slug: string }> {
  const n = `${process.pid}-${++tenantCounter}`;
  const slug = `push-${n}`;
  const tenant = await platformDb.tenant.create({ data: { slug, name: `Push ${n}`, status: "active" } });
  const { companyId } = await ensureCompany(admin, { name: `Push tenant ${n}` });
  const password = `svc-pw-${n}`;
  await ensureIntegrationUser(admin, { login: `svc-${n}`, name: `svc ${n}`, companyId, password });
  await storeOdooSecrets(tenant.id, { baseUrl: sim.url, database: ODOO_DB, mode: "company_per_tenant", login: `svc-${n}`, password });
  await platformDb.odooConnection.update({ where: { tenantId: tenant.id }, data: { companyId } });
  return { tenantId: tenant.id, companyId, slug };
}

export type SeedEmail = { email: string; status: "pending" | "verified" | "invalid" | "catch_all" | "unknown" | "do_not_mail" };
export type SeedLead = {
  uen: string;
  name: string;
  bucket?: "High" | "Medium" | "Low";
  score?: number;
  domain?: string;
  about?: string;
  industry?: string;
  phones?: string[];
  inRegistry?: boolean;
  address?: { block?: string; street?: string; level?: string; unit?: string; building?: string; postal?: string };
  companyEmails?: SeedEmail[];
  contacts?: Array<{ name: string; title?: string; linkedin: string; emails?: SeedEmail[] }>;
};

export async function seedRun(tenantId: string, leads: SeedLead[], status = "succeeded"): Promise<string> {
  const run = await platformDb.run.create({ data: { tenantId, kind: "nightly", status, runDate: new Date() } });
  await seedLeads(tenantId, run.id, leads);
  return run.id;
}

/** Scores for the run plus the company's current features, contacts and emails (replacing earlier ones). */
async function seedLeads(tenantId: string, runId: string, leads: SeedLead[]): Promise<void> {
  for (const lead of leads) {
    if (lead.inRegistry !== false) {
      const a = lead.address ?? {};
      await platformDb.$executeRaw`
        INSERT INTO staging_acra_companies (uen, entity_name, entity_status_description, block, street_name, level_no, unit_no, building_name, postal_code, primary_ssic_description, content_hash)
        VALUES (${lead.uen}, ${lead.name}, 'Live Company', ${a.block ?? null}, ${a.street ?? null}, ${a.level ?? null}, ${a.unit ?? null}, ${a.building ?? null}, ${a.postal ?? null}, NULL, 'test')
        ON CONFLICT (uen) DO UPDATE SET entity_name = EXCLUDED.entity_name`;
    }
    await platformDb.leadScore.create({
      data: {
        tenantId,
        runId,
        uen: lead.uen,
        score: lead.score ?? 80,
        bucket: lead.bucket ?? "High",
        breakdown: {},
        rationale: "test",
        rationaleSource: "template",
        contactWeight: 1,
      },
    });
    const feature = { domain: lead.domain ?? null, aboutText: lead.about ?? null, industry: lead.industry ?? null, phones: lead.phones ?? [], runId };
    await platformDb.leadFeature.upsert({
      where: { tenantId_uen: { tenantId, uen: lead.uen } },
      create: { tenantId, uen: lead.uen, ...feature },
      update: feature,
    });
    await platformDb.leadEmail.deleteMany({ where: { tenantId, uen: lead.uen } });
    await platformDb.leadContact.deleteMany({ where: { tenantId, uen: lead.uen } });
    for (const e of lead.companyEmails ?? []) {
      await platformDb.leadEmail.create({ data: { tenantId, uen: lead.uen, email: e.email, source: "site", verificationStatus: e.status } });
    }
    for (const c of lead.contacts ?? []) {
      const contact = await platformDb.leadContact.create({
        data: { tenantId, uen: lead.uen, fullName: c.name, title: c.title ?? null, linkedinUrl: c.linkedin, source: "apify" },
      });
      for (const e of c.emails ?? []) {
        await platformDb.leadEmail.create({
          data: { tenantId, uen: lead.uen, email: e.email, contactId: contact.id, source: "apify", verificationStatus: e.status },
        });
      }
    }
  }
}

/** Leads with a predictable shape: `count` High companies with one verified contact each. */
export function plainLeads(count: number, prefix = "T"): SeedLead[] {
  return Array.from({ length: count }, (_, i) => {
    const uen = `${prefix}${String(i).padStart(7, "0")}X`;
    const domain = `${prefix.toLowerCase()}${i}.example.sg`;
    return {
      uen,
      name: `${prefix} COMPANY ${i} PTE. LTD.`,
      domain,
      about: `Company ${i} builds things.`,
      address: { block: String(i + 1), street: "ANSON ROAD", postal: String(79900 + i).padStart(6, "0") },
      contacts: [
        {
          name: `Person ${i}`,
          title: "Director",
          linkedin: `https://www.linkedin.com/in/${prefix.toLowerCase()}-person-${i}`,
          emails: [{ email: `person${i}@${domain}`, status: "verified" }],
        },
      ],
    };
  });
}
