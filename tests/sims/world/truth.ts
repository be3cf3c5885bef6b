import { type SiteKind, type WorldCompany } from "./model";

/** Ground truth for measuring the pipeline against the world. */
export type CompanyTruth = {
  uen: string;
  domain?: string;
  siteKind?: SiteKind;
  discoverability?: "guessable" | "search_only";
  hasAboutText: boolean;
  emails: string[];
  headcount: number;
};

export function truthOf(company: WorldCompany): CompanyTruth {
  const site = company.site;
  const pages = site ? [...site.pages().values()] : [];
  return {
    uen: company.uen,
    domain: site?.domain,
    siteKind: site?.kind as SiteKind | undefined,
    discoverability: site?.discoverability,
    hasAboutText: pages.some((p) => p.kind === "about"),
    emails: [...new Set(pages.flatMap((p) => p.emails))],
    headcount: company.headcount,
  };
}
