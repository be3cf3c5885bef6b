import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, platformDb } from "~/db.server";
import { companyToEnrich } from "~/runs/run-context.server";
import { seedRegistryCompanies } from "../support/lead-fixtures";

afterEach(() => vi.restoreAllMocks());

/**
 * A company's enrichment starts from its registry row and what its last
 * enrichment found, read in one statement through the tenant's scope.
 */
describe("the company an enrichment starts from", () => {
  it("is its registry row with its tenant's last findings, in one statement", async () => {
    const tenantId = (await platformDb.tenant.create({ data: { slug: "to-enrich", name: "To enrich", status: "active" } })).id;
    const other = (await platformDb.tenant.create({ data: { slug: "to-enrich-other", name: "Other", status: "active" } })).id;
    const [known, fresh] = await seedRegistryCompanies(2, 63);
    const enrichedAt = new Date("2026-12-01T03:04:05.678Z");
    await db.$withTenant(tenantId, (tx) =>
      tx.leadFeature.create({
        data: { uen: known!, domain: "known.example.sg", domainSource: "crawler:high", domainEvidence: [{ step: "guess" }], contactsStatus: "ok", enrichedAt },
      }),
    );
    // Another tenant's findings for the other company are not this tenant's.
    await db.$withTenant(other, (tx) => tx.leadFeature.create({ data: { uen: fresh!, domain: "not-ours.example.sg", contactsStatus: "ok" } }));

    const [registered] = await platformDb.$queryRaw<Array<{ name: string }>>`SELECT entity_name AS name FROM staging_acra_companies WHERE uen = ${known!}`;
    const statements = vi.spyOn(pg.Client.prototype, "query");
    const found = await companyToEnrich(tenantId, known!);
    expect(statements).toHaveBeenCalledTimes(1);
    expect(found).toEqual({
      company: {
        uen: known,
        name: registered!.name,
        status: "Live Company",
        entityType: "Local Company",
        ssicCode: "62011",
        ssicDescription: "Development of software and applications",
        incorporated: new Date("2010-01-01T00:00:00Z"),
        postalCode: "079000",
        address: "ANSON ROAD",
      },
      previous: { domain: "known.example.sg", domainSource: "crawler:high", domainEvidence: [{ step: "guess" }], contactsStatus: "ok", enrichedAt },
    });
    expect((await companyToEnrich(tenantId, fresh!)).previous).toBeNull();
    await expect(companyToEnrich(tenantId, "209900000X")).rejects.toThrow("Company 209900000X is not in the registry");
  });
});
