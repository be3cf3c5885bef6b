import { createHash } from "node:crypto";
import { db, platformDb } from "~/db.server";
import { addCandidates } from "~/icp/candidates.server";
import { singaporeDate } from "~/utils/singapore-time";

/**
 * A finished run with realistic results, written straight into the tables the
 * workspace pages read: registry rows, candidates, features, pages, contacts,
 * emails, scores with rationales, event logs, vendor usage. Deterministic by
 * `seed`; for page, export and chat tests that should not wait for a real run.
 */
export type SeededRun = { runId: string; uens: string[]; highUens: string[] };

const NAMES = [
  "CODIGO",
  "LUMEN DATA",
  "HARBOURLINK LOGISTICS",
  "TEMASEK BYTES",
  "KOPI CODE",
  "MERLION FREIGHT",
  "ORCHID ANALYTICS",
  "STRAITS CLOUD",
  "BUKIT SOFTWORKS",
  "MARINA PAY",
];
const FIRST = ["Jane", "Wei Ming", "Siti", "Arjun", "Mei Ling", "Daniel", "Nur Aisyah", "Rajesh"];
const LAST = ["Tan", "Lim", "Rahman", "Nair", "Ong", "Goh", "Ismail", "Pillai"];
const TITLES = ["Founder & CEO", "CTO", "Head of Sales", "Managing Director", "Operations Manager"];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

export async function seedRegistryCompanies(count: number, seed = 1): Promise<string[]> {
  const uens: string[] = [];
  for (let i = 0; i < count; i++) {
    const uen = `20${String(seed).padStart(2, "0")}${String(i).padStart(5, "0")}K`;
    uens.push(uen);
    const name = `${pick(NAMES, i)}${i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : ""} PTE. LTD.`;
    await platformDb.$executeRaw`
      INSERT INTO staging_acra_companies (uen, entity_name, entity_type_description, entity_status_description,
        registration_incorporation_date, street_name, postal_code, primary_ssic_code, primary_ssic_description, content_hash)
      VALUES (${uen}, ${name}, 'Local Company', 'Live Company', ${new Date(Date.UTC(2010 + (i % 12), i % 12, 1 + (i % 27)))}::date,
        'ANSON ROAD', ${String(79000 + i).padStart(6, "0")}, '62011', 'Development of software and applications',
        ${createHash("sha256").update(uen).digest("hex")})
      ON CONFLICT (uen) DO NOTHING`;
  }
  return uens;
}

export async function seedFinishedRun(tenantId: string, options: { companies?: number; seed?: number; runDate?: string } = {}): Promise<SeededRun> {
  const count = options.companies ?? 10;
  const seed = options.seed ?? 1;
  const uens = await seedRegistryCompanies(count, seed);
  // Runs are dated in Singapore, as start-run does: between 16:00 and 24:00 UTC
  // that is already tomorrow.
  const runDate = options.runDate ?? singaporeDate(new Date());
  return db.$withTenant(tenantId, async (tx) => {
    const run = await tx.run.create({
      data: {
        tenantId,
        kind: "manual",
        status: "succeeded",
        runDate: new Date(`${runDate}T00:00:00Z`),
        targetCount: count,
        settledCount: count,
        candidatesTotal: count * 5,
        startedAt: new Date(Date.now() - 120_000),
        finishedAt: new Date(),
        icpVersion: 1,
      },
    });
    await addCandidates(tx, tenantId, uens);
    const highUens: string[] = [];
    const distribution = { High: 0, Medium: 0, Low: 0 };
    for (const [i, uen] of uens.entries()) {
      const bucket = i % 3 === 0 ? "High" : i % 3 === 1 ? "Medium" : "Low";
      distribution[bucket]++;
      if (bucket === "High") highUens.push(uen);
      const score = bucket === "High" ? 80 - (i % 7) : bucket === "Medium" ? 55 - (i % 9) : 25 - (i % 11);
      const domain = `${pick(NAMES, i).toLowerCase().replace(/\s+/g, "")}${i}.com.sg`;
      await tx.runCompany.create({
        data: { tenantId, runId: run.id, uen, status: "done", stage: "done", attempts: 1, startedAt: new Date(), finishedAt: new Date() },
      });
      const at = new Date().toISOString();
      await tx.leadFeature.create({
        data: {
          tenantId,
          uen,
          runId: run.id,
          domain,
          domainSource: "crawler:high",
          crawlStatus: i % 5 === 4 ? "thin" : "ok",
          tavilyUsed: i % 5 === 4,
          contentSha256: createHash("sha256").update(domain).digest("hex"),
          aboutText: `${pick(NAMES, i)} builds software for Singapore businesses, with a team of ${20 + i} people.`,
          industry: "Software",
          headcountEstimate: 20 + i,
          products: ["Cloud platform", "Mobile apps"],
          locations: ["Singapore"],
          phones: [`+65 6${String(1000000 + i).slice(1)}`],
          contactsStatus: "ok",
          provenance: { about_text: { source: "llm_extraction", at }, domain: { source: "crawler:high", at } },
          enrichedAt: new Date(),
        },
      });
      await tx.crawlPage.create({
        data: {
          tenantId,
          uen,
          url: `http://${domain}/about`,
          kind: "about",
          source: "crawler",
          status: 200,
          title: `About ${pick(NAMES, i)}`,
          text: "About us …",
          sha256: createHash("sha256").update(`${domain}/about`).digest("hex"),
          bytes: 2048,
        },
      });
      const fullName = `${pick(FIRST, i)} ${pick(LAST, i + seed)}`;
      const contact = await tx.leadContact.create({
        data: {
          tenantId,
          uen,
          fullName,
          title: pick(TITLES, i),
          companyCurrent: `${pick(NAMES, i)} Pte Ltd`,
          linkedinUrl: `https://www.linkedin.com/in/${fullName.toLowerCase().replace(/\s+/g, "-")}-${uen.toLowerCase()}/`,
          location: "Singapore",
          source: "apify_linkedin",
        },
      });
      if (i % 4 !== 3) {
        await tx.leadEmail.create({
          data: {
            tenantId,
            uen,
            email: `${fullName.split(" ")[0]!.toLowerCase()}@${domain}`,
            contactId: contact.id,
            source: "apify_linkedin",
            verificationStatus: i % 4 === 2 ? "unknown" : "verified",
            verifiedAt: new Date(),
          },
        });
      }
      await tx.leadScore.create({
        data: {
          tenantId,
          runId: run.id,
          uen,
          score,
          bucket,
          breakdown: [
            { feature: "icp_match", signal: "rules", weight: 12, value: 1, points: 12, reason: "matched the ICP rules" },
            { feature: "decision_makers", signal: "one", weight: 16, value: 0.6, points: 9.6, reason: "1 role-qualified contact" },
          ],
          rationale:
            bucket === "High"
              ? "Software company in range with a verified decision-maker and a readable website."
              : "Fits the industry, with less evidence of reachable decision-makers.",
          rationaleSource: i % 2 === 0 ? "cache" : "template",
          contactWeight: 16,
          verifiedContacts: i % 4 === 0 || i % 4 === 1 ? 1 : 0,
        },
      });
      for (const stage of ["domain", "crawl", "merge", "extract", "contacts", "score"]) {
        await tx.runEventLog.create({ data: { tenantId, runId: run.id, uen, stage, event: stage, status: "ok", durationMs: 100 + i * 10 } });
      }
    }
    await tx.runVendorUsage.create({ data: { tenantId, runId: run.id, vendor: "zerobounce", calls: 1, units: count, costUsd: count * 0.008 } });
    await tx.runVendorUsage.create({ data: { tenantId, runId: run.id, vendor: "llm", calls: count, units: count * 900, costUsd: count * 900 * 0.0000006 } });
    await tx.run.update({
      where: { tenantId_id: { tenantId, id: run.id } },
      data: {
        metrics: {
          companies: count,
          failed: 0,
          candidates_total: count * 5,
          candidates_post_filter: count,
          domain_rate: 1,
          about_rate: 1,
          email_rate: 0.75,
          crawl_success_rate: 0.8,
          tavily_fallback_rate: 0.2,
          contacts_available_rate: 1,
          score_distribution: distribution,
          max_bucket_share: Math.max(...Object.values(distribution)) / count,
          rationale_cache_hit_rate: 0.5,
          token_spend: count * 900,
          vendor_cost_usd: count * 0.0085,
          vendor_error_rate: 0,
          vendors: [],
          latency_ms: [{ stage: "crawl", p50: 400, p95: 900, count }],
        },
        qaSample: highUens.slice(0, 10),
      },
    });
    return { runId: run.id, uens, highUens };
  });
}
