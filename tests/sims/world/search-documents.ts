import { type Site, type WorldCompany } from "./model";
import { slugify } from "./naming";
import { renderText } from "./render";
import { type SearchDoc } from "./search";

/**
 * What web search finds in the world: the company pages a search engine would
 * index (robots-disallowed ones without their text), a business-directory
 * listing per company, and each LinkedIn company page.
 */

/** The business directory that lists every registered company. */
export const DIRECTORY_HOST = "www.sgpbusiness.com";

function directoryPath(company: WorldCompany): string {
  return `/company/${slugify(company.name)}`;
}

/** The text of the directory page at `path`, as an extractor returns it; null when it lists no company. */
export function directoryListingText(companies: WorldCompany[], path: string): string | null {
  const c = companies.find((x) => path === directoryPath(x));
  return c ? `${c.name}\n\nUEN: ${c.uen}\nStatus: Live\nPrincipal activity: ${c.ssicDescription ?? c.industry.label}\nAddress: ${c.address}` : null;
}

export function webSearchDocuments(sites: Site[], companies: WorldCompany[]): SearchDoc[] {
  const docs: SearchDoc[] = [];
  for (const site of sites) {
    if (site.kind === "parked") continue;
    const company = site.company;
    for (const page of site.pages().values()) {
      if (!["home", "about", "contact", "careers", "brochure"].includes(page.kind)) continue;
      const url = `http://${site.contentHost}${page.path}`;
      const hidden = site.kind === "robots_disallowed";
      const text = hidden ? "" : renderText(site, page);
      const content = hidden
        ? "No information is available for this page."
        : (page.description ? `${page.description} ` : "") +
          page.sections
            .flatMap((s) => s.paragraphs)
            .join(" ")
            .slice(0, 320);
      docs.push({
        url,
        title: page.title,
        content,
        weight: page.kind === "home" || page.kind === "brochure" ? 1 : page.kind === "about" ? 0.92 : 0.85,
        text: `${page.title} ${company ? `${company.name} ${company.brand}` : ""} ${text.slice(0, 1500)}`,
      });
    }
  }
  for (const c of companies) {
    docs.push({
      url: `https://${DIRECTORY_HOST}${directoryPath(c)}`,
      title: `${c.name} (${c.uen}) - Singapore Company`,
      content: `${c.name} (UEN ${c.uen}) is a Live company incorporated in Singapore. Principal activity: ${c.ssicDescription ?? c.industry.label}.`,
      weight: 0.8,
      text: `${c.name} ${c.uen} ${c.ssicDescription ?? ""}`,
    });
    if (c.linkedin) {
      docs.push({
        url: c.linkedin.linkedinUrl,
        title: `${c.brand} | LinkedIn`,
        content: `${c.brand} | ${c.linkedin.employeeCount} employees on LinkedIn. ${c.industry.linkedinIndustry}. Singapore.`,
        weight: 0.86,
        text: `${c.brand} ${c.name} linkedin ${c.industry.linkedinIndustry}`,
      });
    }
  }
  return docs;
}
