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

/** The templates with how many live tenants run each, for the templates page. */
export async function infraTemplatesWithTenants(): Promise<Array<InfraTemplateView & { tenants: number }>> {
  const [templates, counts] = await Promise.all([
    listInfraTemplates(),
    platformDb.tenant.groupBy({ by: ["infraTemplateId"], where: { status: { not: "decommissioned" }, infraTemplateId: { not: null } }, _count: true }),
  ]);
  const running = new Map(counts.map((c) => [c.infraTemplateId, c._count]));
  return templates.map((t) => ({ ...t, tenants: running.get(t.id) ?? 0 }));
}

/**
 * Saves a template as its name's next version (version 1 for a new name):
 * a version once rolled out never changes under its tenants. A new version is
 * untested, so no upgrade proposes it until someone marks it tested.
 */
export async function saveInfraTemplateVersion(input: Omit<z.infer<typeof InfraTemplateForm>, "envDefaults">, envDefaults: Record<string, string>) {
  return platformDb.$transaction(async (tx) => {
    // Two saves of one name at once: the second waits here and takes the version after.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('infra_template:' || ${input.name}))`;
    const latest = await tx.infraTemplate.findFirst({ where: { name: input.name }, orderBy: { version: "desc" }, select: { version: true } });
    return tx.infraTemplate.create({
      data: { ...input, envDefaults, version: (latest?.version ?? 0) + 1, tested: false },
      select: { id: true, name: true, version: true },
    });
  });
}

export async function markInfraTemplateTested(id: string, tested: boolean) {
  return platformDb.infraTemplate.update({ where: { id }, data: { tested }, select: { id: true, name: true, version: true, tested: true } });
}

/** The tenant's template (pinned when it was created, moved only by an upgrade), the tag it runs, and the newer versions it may move to. */
export async function tenantInfra(tenantId: string) {
  const tenant = await platformDb.tenant.findUnique({ where: { id: tenantId }, select: { id: true, slug: true, imageTag: true, infraTemplateId: true } });
  if (!tenant) return null;
  const templates = await listInfraTemplates();
  const template = templates.find((t) => t.id === tenant.infraTemplateId) ?? null;
  return {
    tenant: { id: tenant.id, slug: tenant.slug, imageTag: tenant.imageTag },
    template,
    candidates: upgradeCandidates(template, templates),
  };
}
