import { describe, expect, it } from "vitest";
import { extractPageText } from "./html-text.server";

const WORDPRESS_PAGE = `<!DOCTYPE html>
<html lang="en-US">
<head>
  <meta charset="UTF-8">
  <title>About Us &#8211; Tembusu Logistics</title>
  <meta name="description" content="Tembusu Logistics is a Singapore freight forwarder.">
  <meta property="og:description" content="OG text that should lose to the meta description">
  <link rel='stylesheet' href='/wp-content/themes/astra/style.css'>
  <style>.hero{color:red}</style>
  <script>var gtmLayer = "should not appear";</script>
  <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
    {"@type":"WebSite","name":"Tembusu"},
    {"@type":["Organization","LocalBusiness"],"name":"Tembusu Logistics Pte. Ltd.","url":"https://tembusu.com.sg/",
     "email":"mailto:info@tembusu.com.sg","telephone":"+65 6123 4567",
     "address":{"@type":"PostalAddress","streetAddress":"10 Tuas Avenue 10","addressLocality":"Singapore","postalCode":"639134","addressCountry":"SG"},
     "numberOfEmployees":{"@type":"QuantitativeValue","minValue":11,"maxValue":50},
     "sameAs":"https://www.linkedin.com/company/tembusu-logistics/"}]}</script>
  <script type="application/ld+json">{ this is broken json </script>
</head>
<body class="page">
<div class="cookie-notice">We use cookies. <a href="/cookie-policy">Read more</a></div>
<header id="masthead">
  <a href="/" rel="home"><img src="/logo.png" alt="Tembusu Logistics"></a>
  <nav class="main-navigation"><ul>
    <li><a href="/">Home</a></li>
    <li><a href="/about-us/">About&nbsp;Us</a></li>
    <li><a href="services">Services</a></li>
    <li><a href="/contact-us/#form">Contact</a></li>
    <li><a href="javascript:void(0)">Menu</a></li>
  </ul></nav>
</header>
<main id="content">
  <h1>Who we are</h1>
  <p>Founded in 1998, Tembusu moves sea &amp; air freight for <strong>manufacturers</strong> across Asia.</p>
  <p>We are a team of 45 specialists.</p>
  <div hidden>secret hidden text</div>
  <span style="display:none">also hidden</span>
  <h2>Reach us</h2>
  <p>Email <a href="mailto:Sales@Tembusu.com.sg?subject=Hi">Sales@Tembusu.com.sg</a> or call <a href="tel:+65-6123-4567">6123 4567</a>.</p>
  <p>Hotline: 9876 5432. Postal code 639134 is not a phone number.</p>
  <p>Write to ops@tembusu.com.sg for bookings.</p>
  <button>Accept</button>
  <noscript>Enable JavaScript</noscript>
  <svg><text>svg label</text></svg>
</main>
<footer><p>&copy; 2025 Tembusu Logistics Pte. Ltd.</p><a href="https://www.linkedin.com/company/tembusu-logistics/">LinkedIn</a></footer>
<script src="/app.js"></script>
</body>
</html>`;

describe("extractPageText", () => {
  const page = extractPageText(WORDPRESS_PAGE, "https://tembusu.com.sg/about-us/");

  it("reads title, description and language", () => {
    expect(page.title).toBe("About Us – Tembusu Logistics");
    expect(page.description).toBe("Tembusu Logistics is a Singapore freight forwarder.");
    expect(page.lang).toBe("en-US");
  });

  it("keeps the visible main text and drops scripts, styles, menus, banners, hidden and footer text", () => {
    expect(page.text).toContain("Founded in 1998, Tembusu moves sea & air freight for manufacturers across Asia.");
    expect(page.text).toContain("We are a team of 45 specialists.");
    for (const noise of ["gtmLayer", ".hero", "We use cookies", "Home", "secret hidden", "also hidden", "Accept", "Enable JavaScript", "svg label", "©"]) {
      expect(page.text, noise).not.toContain(noise);
    }
    expect(page.boilerplate).toContain("© 2025 Tembusu Logistics Pte. Ltd.");
    expect(page.wordCount).toBeGreaterThan(30);
  });

  it("lists headings", () => {
    expect(page.headings).toEqual([
      { level: 1, text: "Who we are" },
      { level: 2, text: "Reach us" },
    ]);
  });

  it("resolves links with their anchor text, menus included, and skips javascript:", () => {
    const byText = Object.fromEntries(page.links.map((l) => [l.text, l]));
    expect(byText["About Us"]).toMatchObject({ url: "https://tembusu.com.sg/about-us/", inNav: true });
    expect(byText["Services"]?.url).toBe("https://tembusu.com.sg/about-us/services");
    expect(byText["Contact"]?.url).toBe("https://tembusu.com.sg/contact-us/");
    expect(byText["Tembusu Logistics"]?.url).toBe("https://tembusu.com.sg/");
    expect(byText["LinkedIn"]).toMatchObject({ url: "https://www.linkedin.com/company/tembusu-logistics/", inNav: true });
    expect(page.links.some((l) => l.url.startsWith("javascript"))).toBe(false);
  });

  it("collects mailto:, tel: and written addresses and Singapore numbers", () => {
    expect(page.emails.sort()).toEqual(["ops@tembusu.com.sg", "sales@tembusu.com.sg"]);
    expect(page.phones.sort()).toEqual(["+65 6123 4567", "+65 9876 5432"]);
  });

  it("finds the Organization in a JSON-LD @graph and survives broken JSON-LD", () => {
    expect(page.organizations).toEqual([
      {
        name: "Tembusu Logistics Pte. Ltd.",
        url: "https://tembusu.com.sg/",
        email: "info@tembusu.com.sg",
        telephone: "+65 6123 4567",
        address: "10 Tuas Avenue 10, Singapore, 639134, SG",
        numberOfEmployees: { min: 11, max: 50 },
        sameAs: ["https://www.linkedin.com/company/tembusu-logistics/"],
      },
    ]);
  });

  it("honours <base href> and tolerates broken markup", () => {
    const broken = extractPageText(
      '<html><head><base href="https://cdn.example.sg/site/"><title>T</title></head><body><p>One<p>Two <a href="x">link<div>Three</body>',
      "https://example.sg/",
    );
    expect(broken.text.split("\n")).toEqual(["One", "Two link", "Three"]);
    expect(broken.links[0]?.url).toBe("https://cdn.example.sg/site/x");
  });
});
