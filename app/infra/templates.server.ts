import { type z } from "zod";
import { platformDb } from "~/db.server";
import { type InfraTemplateForm, type InfraTemplateView, type SizeProfile, upgradeCandidates } from "./templates";

/** Infra templates as the platform stores them, and a tenant's template with the upgrades it may take. */
const templateSelect = {
  id: true,
  name: true,
  version: true,
  odooImage: true,
  postgresImage: true,
  sizeProfile: true,
  envDefaults: true,
  tested: true,
} as const;

function toView(row: { sizeProfile: string; envDefaults: unknown } & Omit<InfraTemplateView, "sizeProfile" | "envDefaults">): InfraTemplateView {
  return { ...row, sizeProfile: row.sizeProfile as SizeProfile, envDefaults: (row.envDefaults ?? {}) as Record<string, string> };
}

export async function listInfraTemplates(): Promise<InfraTemplateView[]> {
  const rows = await platformDb.infraTemplate.findMany({ orderBy: [{ name: "asc" }, { version: "desc" }], select: templateSelect });
  return rows.map(toView);
}

export async function saveInfraTemplate(id: string | null, input: Omit<z.infer<typeof InfraTemplateForm>, "envDefaults">, envDefaults: Record<string, string>) {
  const data = { ...input, envDefaults };
  return id ? platformDb.infraTemplate.update({ where: { id }, data, select: { id: true } }) : platformDb.infraTemplate.create({ data, select: { id: true } });
}

/** The tenant's template (its own, else the newest tested one), the tag it runs, and the newer versions it may move to. */
export async function tenantInfra(tenantId: string) {
  const tenant = await platformDb.tenant.findUnique({ where: { id: tenantId }, select: { id: true, slug: true, imageTag: true, infraTemplateId: true } });
  if (!tenant) return null;
  const templates = await listInfraTemplates();
  const template = templates.find((t) => t.id === tenant.infraTemplateId) ?? templates.find((t) => t.tested) ?? null;
  return {
    tenant: { id: tenant.id, slug: tenant.slug, imageTag: tenant.imageTag },
    template,
    assigned: tenant.infraTemplateId !== null,
    candidates: upgradeCandidates(template, templates),
  };
}
