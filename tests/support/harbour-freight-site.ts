import { type SourcePage } from "~/enrichment/source-pages.server";

/** A page of the Harbour Freight Solutions site below, by kind. */
export const page = (kind: string, text: string, extra: Partial<SourcePage> = {}): SourcePage => ({
  url: `https://www.harbourfreight.com.sg/${kind === "home" ? "" : kind}`,
  kind,
  title: `Harbour Freight Solutions – ${kind}`,
  text,
  ...extra,
});

/** A small 3PL site, written the way such sites are: what the profile extractors read in their tests. */
export const site: SourcePage[] = [
  page(
    "home",
    [
      "Home\nAbout\nServices\nCareers\nContact",
      "Your logistics partner in Singapore",
      "Harbour Freight Solutions moves sea and air freight for manufacturers and e-commerce brands across Southeast Asia, with bonded warehousing at Jurong.",
      "Our Services\n• Sea Freight Forwarding\n• Air Freight\n• Bonded Warehousing\n• Customs Brokerage\n• Learn more",
      "Trusted by 5,000 people every month.",
      "We use cookies to improve your experience. Read our Privacy Policy.\n© 2024 Harbour Freight Solutions Pte. Ltd. All rights reserved.",
    ].join("\n\n"),
    {
      description: "Freight forwarding, warehousing and customs brokerage in Singapore.",
      html: '<a href="mailto:Enquiry@HarbourFreight.com.sg?subject=Quote">Email us</a><img src="/img/logo@2x.png">',
    },
  ),
  page(
    "about",
    [
      "About Us",
      "Established in 2009, Harbour Freight Solutions is a Singapore freight forwarder and third-party logistics provider. We handle import, export and transhipment cargo for more than 300 customers.",
      "Today we are a team of over 60 logistics professionals, with offices in Singapore, Kuala Lumpur and Jakarta.",
    ].join("\n\n"),
  ),
  page(
    "contact",
    [
      "Contact Us",
      "Head Office\n21 Tuas Avenue 4, #02-11\nSingapore 639381",
      "Tel: 6861 2345\nFax: 6861 2346\nHotline: +65 9876-5432\nToll-free: 1800 123 4567",
      "General enquiries: enquiry [at] harbourfreight [dot] com [dot] sg\nOperations manager: ops.lee@gmail.com\nWebsite by studio@wix.com",
    ].join("\n\n"),
  ),
];
