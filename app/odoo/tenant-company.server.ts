import { z } from "zod";
import { log } from "~/logger.server";
import { type OdooSession } from "./client.server";
import { withScheme } from "./partner-values.server";
import { idSchema, many2one, OdooProvisioningError, provisioningStep, stringOrFalse } from "./provisioning-step.server";

const companyRowSchema = z.object({ id: idSchema, name: z.string(), active: z.boolean(), partner_id: many2one });

/**
 * company_per_tenant: a res.company for the tenant, found by name (unique in
 * Odoo) or created. `tenantKey` is stamped on the company's partner `ref`, so
 * a company of the same name that belongs to someone else is refused instead
 * of adopted.
 */
export async function ensureCompany(
  session: OdooSession,
  input: { name: string; tenantKey?: string },
): Promise<{ companyId: number; partnerId: number; created: boolean }> {
  return provisioningStep("company", async () => {
    const context = { active_test: false };
    const [existing] = await session.searchRead("res.company", [["name", "=", input.name]], {
      fields: ["id", "name", "active", "partner_id"],
      context,
      schema: companyRowSchema,
    });
    let companyId: number;
    let created = false;
    if (existing) {
      companyId = existing.id;
      if (!existing.active) await session.write("res.company", [companyId], { active: true });
    } else {
      companyId = await session.create("res.company", { name: input.name });
      created = true;
    }
    const [company] = await session.read("res.company", [companyId], ["partner_id"], { schema: companyRowSchema.pick({ id: true, partner_id: true }) });
    if (!company?.partner_id) throw new OdooProvisioningError("company", `Odoo company ${companyId} has no partner`);
    const partnerId = company.partner_id[0];
    if (input.tenantKey) {
      const [partner] = await session.read("res.partner", [partnerId], ["ref"], {
        context,
        schema: z.object({ id: idSchema, ref: stringOrFalse }),
      });
      if (partner?.ref && partner.ref !== input.tenantKey) {
        throw new OdooProvisioningError("company", `Odoo company "${input.name}" already exists for another tenant`, { retryable: false });
      }
      if (!partner?.ref) await session.write("res.partner", [partnerId], { ref: input.tenantKey });
    }
    // res.company.create links the company only to its creator and the superuser; make sure the platform admin has it.
    const [me] = await session.read("res.users", [session.uid], ["company_ids"], { schema: z.object({ id: idSchema, company_ids: z.array(idSchema) }) });
    if (me && !me.company_ids.includes(companyId)) await session.write("res.users", [session.uid], { company_ids: [[4, companyId]] });
    log().info({ odoo: { step: "company", db: session.db, companyId, created } }, "odoo tenant company ready");
    return { companyId, partnerId, created };
  });
}

/**
 * Seeds the tenant's own company record: its name (in a tenant database this
 * renames Odoo's "My Company") and contact details on the company partner.
 * Only fields that differ are written.
 */
export async function ensureBaselineCompanyPartner(
  session: OdooSession,
  input: { companyId: number; name: string; email?: string; website?: string; phone?: string },
): Promise<{ companyId: number; partnerId: number; updatedFields: string[] }> {
  return provisioningStep("baseline", async () => {
    const [company] = await session.read("res.company", [input.companyId], ["name", "partner_id", "email", "website", "phone"], {
      schema: z.object({ id: idSchema, name: z.string(), partner_id: many2one, email: stringOrFalse, website: stringOrFalse, phone: stringOrFalse }),
    });
    if (!company || !company.partner_id) throw new OdooProvisioningError("baseline", `Odoo company ${input.companyId} not found`, { retryable: false });
    const desired: Record<string, string> = { name: input.name };
    if (input.email) desired.email = input.email;
    if (input.website) desired.website = withScheme(input.website);
    if (input.phone) desired.phone = input.phone;
    const updatedFields = Object.keys(desired).filter((k) => company[k as keyof typeof company] !== desired[k]);
    if (updatedFields.length) {
      // name/email/website/phone of a company are stored on its partner (related fields), so one write updates both.
      await session.write("res.company", [company.id], Object.fromEntries(updatedFields.map((k) => [k, desired[k]])));
    }
    return { companyId: company.id, partnerId: company.partner_id[0], updatedFields };
  });
}
