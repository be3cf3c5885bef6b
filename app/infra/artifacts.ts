import { stringify } from "yaml";
import { SIZE_PROFILES, splitImage, type InfraTemplateView } from "./templates";

/**
 * The deployment artifacts of a tenant, generated from its infra template:
 * a Helm values file and a docker-compose file. Neither carries a secret:
 * passwords are references (a Kubernetes Secret's key, an environment
 * variable the operator sets), so the files can be downloaded and committed.
 */
export type DeploymentTenant = { id: string; slug: string; imageTag: string | null };

/** The Secret (Kubernetes) holding the tenant's database and admin passwords, and its keys. */
export function secretNameOf(slug: string): string {
  return `odoo-${slug}-secrets`;
}
export const SECRET_KEYS = { dbPassword: "db-password", adminPassword: "admin-password" } as const;

/** The Odoo image the tenant runs: the tag an upgrade recorded, else the template's. */
export function appliedOdooImage(tenant: DeploymentTenant, template: InfraTemplateView): { repository: string; tag: string } {
  const image = splitImage(template.odooImage);
  return tenant.imageTag ? { repository: image.repository, tag: tenant.imageTag } : image;
}

export function helmValues(tenant: DeploymentTenant, template: InfraTemplateView): string {
  const size = SIZE_PROFILES[template.sizeProfile];
  const postgres = splitImage(template.postgresImage);
  const values = {
    nameOverride: `odoo-${tenant.slug}`,
    tenant: { id: tenant.id, slug: tenant.slug, template: `${template.name}@${template.version}` },
    image: { ...appliedOdooImage(tenant, template), pullPolicy: "IfNotPresent" },
    resources: { requests: { cpu: size.cpu, memory: size.memory }, limits: { cpu: size.cpuLimit, memory: size.memoryLimit } },
    env: [
      ...Object.entries({ ODOO_WORKERS: String(size.workers), ...template.envDefaults }).map(([name, value]) => ({ name, value })),
      { name: "PGDATABASE", value: `odoo_${tenant.slug.replace(/-/g, "_")}` },
      { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: secretNameOf(tenant.slug), key: SECRET_KEYS.dbPassword } } },
      { name: "ODOO_ADMIN_PASSWD", valueFrom: { secretKeyRef: { name: secretNameOf(tenant.slug), key: SECRET_KEYS.adminPassword } } },
    ],
    postgresql: {
      image: postgres,
      auth: { existingSecret: secretNameOf(tenant.slug), secretKeys: { userPasswordKey: SECRET_KEYS.dbPassword } },
    },
  };
  return `# Helm values for ${tenant.slug}, generated from infra template ${template.name} v${template.version}.\n${stringify(values)}`;
}

export function composeFile(tenant: DeploymentTenant, template: InfraTemplateView): string {
  const size = SIZE_PROFILES[template.sizeProfile];
  const odoo = appliedOdooImage(tenant, template);
  const database = `odoo_${tenant.slug.replace(/-/g, "_")}`;
  const compose = {
    name: `odoo-${tenant.slug}`,
    services: {
      db: {
        image: template.postgresImage,
        environment: { POSTGRES_DB: database, POSTGRES_USER: "odoo", POSTGRES_PASSWORD: "${ODOO_DB_PASSWORD:?set ODOO_DB_PASSWORD}" },
        volumes: ["db-data:/var/lib/postgresql/data"],
        restart: "unless-stopped",
      },
      odoo: {
        image: `${odoo.repository}:${odoo.tag}`,
        depends_on: ["db"],
        environment: {
          ODOO_WORKERS: String(size.workers),
          ...template.envDefaults,
          HOST: "db",
          USER: "odoo",
          PASSWORD: "${ODOO_DB_PASSWORD:?set ODOO_DB_PASSWORD}",
          ODOO_ADMIN_PASSWD: "${ODOO_ADMIN_PASSWD:?set ODOO_ADMIN_PASSWD}",
        },
        deploy: { resources: { limits: { cpus: size.cpuLimit, memory: size.memoryLimit.replace("Gi", "G") } } },
        ports: ["8069:8069"],
        volumes: ["odoo-data:/var/lib/odoo"],
        restart: "unless-stopped",
      },
    },
    volumes: { "db-data": {}, "odoo-data": {} },
  };
  return `# docker-compose for ${tenant.slug}, generated from infra template ${template.name} v${template.version}.\n# Set ODOO_DB_PASSWORD and ODOO_ADMIN_PASSWD in the environment (or an .env file kept out of version control).\n${stringify(compose)}`;
}

/** The files a tenant's deployment is generated as, by their download names. */
export const ARTIFACTS = { "helm-values.yaml": helmValues, "docker-compose.yaml": composeFile } as const;
export type ArtifactName = keyof typeof ARTIFACTS;
