import { z } from "zod";
import { platformDb } from "~/db.server";
import { splitImage } from "./templates";

/**
 * Image upgrades: a tenant moves to a newer version of an infra template,
 * only when that version is marked tested. The operation records the new tag
 * (what the generated Helm values and compose file carry from then on) and
 * keeps the previous one in its payload, to put it back if Odoo does not
 * answer afterwards.
 */
export type UpgradeTarget = { id: string; name: string; version: number; odooImage: string; tested: boolean };

export type PreviousImage = { templateId: string | null; imageTag: string | null };

/** Why this template cannot be the target of an upgrade; null when it can. */
export async function upgradeRefusal(templateId: unknown): Promise<string | null> {
  const target = typeof templateId === "string" ? await findTarget(templateId) : null;
  if (!target) return "params.templateId: no such infra template";
  if (!target.tested) return `${target.name} v${target.version} (${target.odooImage}) is not a tested image; only tested tags may be rolled out.`;
  return null;
}

async function findTarget(templateId: string): Promise<UpgradeTarget | null> {
  if (!z.uuid().safeParse(templateId).success) return null;
  return platformDb.infraTemplate.findUnique({
    where: { id: templateId },
    select: { id: true, name: true, version: true, odooImage: true, tested: true },
  });
}

/** The target, refused (thrown) when it is not tested; the tenant's current image is kept once, so a re-run does not overwrite it. */
export async function checkTestedTarget(
  operationId: string,
  tenantId: string,
  templateId: unknown,
): Promise<{ target: UpgradeTarget; previous: PreviousImage }> {
  const refusal = await upgradeRefusal(templateId);
  if (refusal) throw new UpgradeRefused(refusal);
  const target = (await findTarget(templateId as string))!;
  const tenant = await platformDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { infraTemplateId: true, imageTag: true } });
  const previous: PreviousImage = { templateId: tenant.infraTemplateId, imageTag: tenant.imageTag };
  await platformDb.$executeRaw`
    UPDATE tenant_operations SET payload = jsonb_set(payload, '{previousImage}', ${JSON.stringify(previous)}::jsonb)
    WHERE id = ${operationId}::uuid AND NOT payload ? 'previousImage'`;
  return { target, previous };
}

export async function recordImage(tenantId: string, target: UpgradeTarget): Promise<string> {
  const tag = splitImage(target.odooImage).tag;
  await platformDb.tenant.update({ where: { id: tenantId }, data: { infraTemplateId: target.id, imageTag: tag } });
  return tag;
}

export async function previousImageOf(operationId: string): Promise<PreviousImage | null> {
  const operation = await platformDb.tenantOperation.findUniqueOrThrow({ where: { id: operationId }, select: { payload: true } });
  return ((operation.payload as Record<string, unknown>).previousImage as PreviousImage | undefined) ?? null;
}

export async function rollBackImage(tenantId: string, previous: PreviousImage): Promise<void> {
  await platformDb.tenant.update({ where: { id: tenantId }, data: { infraTemplateId: previous.templateId, imageTag: previous.imageTag } });
}

export class UpgradeRefused extends Error {}
