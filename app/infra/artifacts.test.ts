import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { composeFile, helmValues, secretNameOf } from "./artifacts";
import { parseEnvDefaults, upgradeCandidates, type InfraTemplateView } from "./templates";

const template: InfraTemplateView = {
  id: "t1",
  name: "odoo-18",
  version: 2,
  odooImage: "registry.example.test:5000/odoo:18.0-20261101",
  postgresImage: "postgres:16.4",
  sizeProfile: "medium",
  envDefaults: { ODOO_PROXY_MODE: "true", LIST_DB: "False" },
  tested: true,
};
const tenant = { id: "9f1c0e1a-0000-4000-8000-000000000001", slug: "acme-sales", imageTag: null };

describe("Helm values", () => {
  it("is YAML with the template's image, the profile's resources and the env defaults, and references secrets without values", () => {
    const values = parse(helmValues(tenant, template));
    expect(values.image).toEqual({ repository: "registry.example.test:5000/odoo", tag: "18.0-20261101", pullPolicy: "IfNotPresent" });
    expect(values.resources).toEqual({ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } });
    expect(values.env).toEqual(
      expect.arrayContaining([
        { name: "ODOO_PROXY_MODE", value: "true" },
        { name: "ODOO_WORKERS", value: "4" },
        { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: secretNameOf("acme-sales"), key: "db-password" } } },
      ]),
    );
    expect(values.postgresql.image).toEqual({ repository: "postgres", tag: "16.4" });
    for (const entry of values.env as Array<{ name: string; value?: string }>) {
      if (/PASS/.test(entry.name)) expect(entry.value).toBeUndefined();
    }
  });

  it("runs the tag an upgrade recorded rather than the template's", () => {
    expect(parse(helmValues({ ...tenant, imageTag: "18.0-20261201" }, template)).image.tag).toBe("18.0-20261201");
  });
});

describe("docker-compose file", () => {
  it("is YAML with Odoo and Postgres services whose passwords are environment references", () => {
    const compose = parse(composeFile(tenant, template));
    expect(compose.services.odoo.image).toBe("registry.example.test:5000/odoo:18.0-20261101");
    expect(compose.services.db.image).toBe("postgres:16.4");
    expect(compose.services.odoo.environment).toMatchObject({ ODOO_PROXY_MODE: "true", HOST: "db", PASSWORD: "${ODOO_DB_PASSWORD:?set ODOO_DB_PASSWORD}" });
    expect(compose.services.db.environment.POSTGRES_PASSWORD).toMatch(/^\$\{ODOO_DB_PASSWORD/);
    expect(compose.services.odoo.deploy.resources.limits).toEqual({ cpus: "2", memory: "4G" });
  });
});

describe("env defaults", () => {
  it("reads KEY=value lines and refuses malformed or secret-looking keys", () => {
    expect(parseEnvDefaults("A_B=1\n\nLIST_DB = False")).toEqual({ ok: true, env: { A_B: "1", LIST_DB: "False" } });
    expect(parseEnvDefaults("lower=1")).toMatchObject({ ok: false, error: expect.stringMatching(/Line 1/) });
    expect(parseEnvDefaults("OK=1\nDB_PASSWORD=hunter2")).toMatchObject({ ok: false, error: expect.stringMatching(/Line 2: DB_PASSWORD looks like a secret/) });
  });
});

describe("upgrade candidates", () => {
  it("proposes only newer versions of the same template, newest first", () => {
    const all = [
      { id: "a", name: "odoo-18", version: 1 },
      { id: "b", name: "odoo-18", version: 3 },
      { id: "c", name: "odoo-18", version: 2 },
      { id: "d", name: "odoo-17", version: 9 },
    ];
    expect(upgradeCandidates(all[2]!, all).map((t) => t.id)).toEqual(["b"]);
    expect(upgradeCandidates(all[0]!, all).map((t) => t.id)).toEqual(["b", "c"]);
  });
});
