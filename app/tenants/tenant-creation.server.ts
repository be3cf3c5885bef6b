import { type Actor, recordAudit } from "~/audit.server";
import { platformDb } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { type TriggerSource } from "./operations";
import { requestOperation } from "./operations.server";
import { NewTenant, type NewTenantInput, type WizardAnswers, type WizardStep } from "./tenant-wizard";

/**
 * Creating a tenant from the wizard or POST /api/tenants: the answers are
 * checked against the catalogue (an active plan, an existing bundle, a free
 * slug), then the tenant is stored `provisioning` with its first operation,
 * `create`, which provisions it and opens it.
 */

export type FieldErrors = Partial<Record<keyof NewTenantInput, string[]>>;
export type CreationResult = { ok: true; tenantId: string; operationId: string } | { ok: false; status: 400 | 409; reason: string; fieldErrors: FieldErrors };

export async function wizardChoices() {
  const [plans, bundles] = await Promise.all([
    platformDb.plan.findMany({
      where: { active: true },
      orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
      select: { code: true, name: true, description: true },
    }),
    platformDb.moduleBundle.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true, description: true, type: true, modules: true } }),
  ]);
  return { plans, bundles };
}

/** What the catalogue and the existing tenants say about answers that are well-formed. */
export async function catalogueErrors(answers: WizardAnswers): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (answers.slug && (await platformDb.tenant.findUnique({ where: { slug: answers.slug }, select: { id: true } })))
    errors.slug = ["This slug is taken by another workspace"];
  if (answers.plan && !(await platformDb.plan.findFirst({ where: { code: answers.plan, active: true }, select: { code: true } })))
    errors.plan = ["No such plan"];
  if (answers.bundle && !(await platformDb.moduleBundle.findUnique({ where: { code: answers.bundle }, select: { code: true } })))
    errors.bundle = ["No such bundle"];
  return errors;
}

export async function createTenant(raw: unknown, actor: Actor, source: TriggerSource): Promise<CreationResult> {
  const parsed = NewTenant.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "body") as keyof NewTenantInput;
      (fieldErrors[field] ??= []).push(issue.message);
    }
    return { ok: false, status: 400, reason: "Some answers are missing or invalid", fieldErrors };
  }
  const input = parsed.data;
  const fieldErrors = await catalogueErrors(input);
  if (Object.keys(fieldErrors).length > 0) {
    const taken = Boolean(fieldErrors.slug);
    return { ok: false, status: taken ? 409 : 400, reason: taken ? "This slug is taken by another workspace" : "Unknown plan or bundle", fieldErrors };
  }
  let tenantId: string;
  try {
    const tenant = await platformDb.tenant.create({
      data: {
        name: input.name,
        slug: input.slug,
        agencyGroup: input.agency_group || null,
        status: "provisioning",
        plan: input.plan,
        bundleCode: input.bundle,
        region: input.region,
        odooMode: input.odoo_mode,
        sizeProfile: input.size_profile,
        ssoMode: input.sso_mode,
      },
      select: { id: true },
    });
    tenantId = tenant.id;
  } catch (error) {
    // Two owners racing for one slug: the unique index decides.
    if (/P2002|23505/.test(String((error as { code?: string }).code ?? "") + String((error as Error).message)))
      return { ok: false, status: 409, reason: "This slug is taken by another workspace", fieldErrors: { slug: ["This slug is taken by another workspace"] } };
    throw error;
  }
  await recordAudit(tenantId, actor, "tenant.created", input.slug, { source, plan: input.plan, bundle: input.bundle, region: input.region });
  const operation = await requestOperation(tenantId, { type: "create", source, actor });
  if (!operation.ok) throw new Error(`the new tenant's create operation was refused: ${operation.reason}`);
  return { ok: true, tenantId, operationId: operation.operationId };
}

/** The owner's draft: where they are and what they answered so far. */
export async function loadDraft(ownerSub: string): Promise<{ step: WizardStep; answers: WizardAnswers } | null> {
  const draft = await platformDb.tenantDraft.findUnique({ where: { ownerSub } });
  return draft ? { step: draft.step as WizardStep, answers: draft.answers as WizardAnswers } : null;
}

export async function saveDraft(ownerSub: string, step: WizardStep, answers: WizardAnswers): Promise<void> {
  const data = { step, answers: answers as Prisma.InputJsonObject, updatedAt: new Date() };
  await platformDb.tenantDraft.upsert({ where: { ownerSub }, create: { ownerSub, ...data }, update: data });
}

export async function discardDraft(ownerSub: string): Promise<void> {
  await platformDb.tenantDraft.deleteMany({ where: { ownerSub } });
}
