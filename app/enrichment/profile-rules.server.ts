import { findAboutText } from "./about-text.server";
import { findEmails, findPhones } from "./contact-details.server";
import { estimateHeadcount } from "./headcount.server";
import { detectIndustry } from "./industry.server";
import { findLocations } from "./locations.server";
import { findProducts } from "./products.server";
import { type SourcePage } from "./source-pages.server";

export type ProfileField = "about_text" | "industry" | "headcount_estimate" | "products" | "locations" | "emails" | "phones";

export const PROFILE_FIELDS: readonly ProfileField[] = ["about_text", "industry", "headcount_estimate", "products", "locations", "emails", "phones"];

/** A company profile's fields, whoever filled them. */
export type ProfileValues = {
  about_text: string | null;
  industry: string | null;
  headcount_estimate: number | null;
  products: string[];
  locations: string[];
  emails: string[];
  phones: string[];
};

/** The profile the deterministic rules read from the pages, with no LLM involved. */
export function extractWithRules(pages: readonly SourcePage[]): ProfileValues {
  return {
    about_text: findAboutText(pages),
    industry: detectIndustry(pages),
    headcount_estimate: estimateHeadcount(pages),
    products: findProducts(pages),
    locations: findLocations(pages),
    emails: findEmails(pages),
    phones: findPhones(pages),
  };
}
