import { type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { invariantFound } from "~/http.server";
import { ARTIFACTS, type ArtifactName } from "~/infra/artifacts";
import { tenantInfra } from "~/infra/templates.server";

/** A tenant's deployment artifacts, generated from its infra template: `helm-values.yaml` or `docker-compose.yaml` (no secrets in either). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const id = z.uuid().safeParse(params.id);
  const file = z.enum(Object.keys(ARTIFACTS) as [ArtifactName]).safeParse(params.file);
  const infra = id.success && file.success ? await tenantInfra(id.data) : null;
  const artifact = infra?.template && file.success ? { name: file.data, tenant: infra.tenant, template: infra.template } : null;
  invariantFound(artifact, "No such artifact");
  const text = ARTIFACTS[artifact.name](artifact.tenant, artifact.template);
  return new Response(text, {
    headers: {
      "content-type": "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${artifact.tenant.slug}-${artifact.name}"`,
      "cache-control": "no-store",
    },
  });
}
