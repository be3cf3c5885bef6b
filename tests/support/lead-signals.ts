import { type LeadSignals } from "~/scoring/score";

/** A typical well-fitting lead's signals (a Live local company with a confident site and two role-qualified contacts), for tests to vary. */
export const TYPICAL_LEAD_SIGNALS: LeadSignals = {
  icp: { match: "rules", ssicMatched: true, employeeRange: { min: 10, max: 200 } },
  registry: { status: "Live Company", entityType: "Local Company", incorporatedOn: "2012-01-01" },
  enrichment: {
    domainConfidence: "high",
    headcountEstimate: 45,
    aboutTextPresent: true,
    crawlStatus: "ok",
    tavilyUsed: false,
    productsCount: 2,
    locationsIncludeSingapore: true,
  },
  contacts: { vendor: "available", roleQualified: 2, verifiedEmails: 1, unknownEmails: 0 },
  asOf: "2026-11-23",
};
