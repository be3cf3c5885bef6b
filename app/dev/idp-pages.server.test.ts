import { describe, expect, it } from "vitest";
import { chooseTenantPage, loginPage, signUpPage } from "./idp-pages.server";

describe("sign-in pages", () => {
  it("escapes everything that comes from the request", () => {
    const page = loginPage({
      action: "/interaction/x/login",
      clientName: "<b>app</b>",
      email: '"><script>alert(1)</script>',
      error: "There is no such account for <img src=x onerror=alert(1)>",
      abortHref: "/interaction/x/abort",
    });
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;b&gt;app&lt;/b&gt;");
    expect(page).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("labels every input and ties the error to the fields", () => {
    const page = loginPage({ action: "/a", clientName: "app", email: "a@b.test", error: "Wrong password. Try again.", abortHref: "/x" });
    expect(page).toContain('<label for="email">Email</label>');
    expect(page).toContain('<label for="password">Password</label>');
    expect(page).toContain('<p class="error" role="alert" id="form-error">Wrong password. Try again.</p>');
    expect(page.match(/aria-describedby="form-error"/g)).toHaveLength(2);
    expect(page).not.toContain("<script");
  });

  it("groups tenant choices in a labelled fieldset of radios", () => {
    const page = chooseTenantPage({
      action: "/t",
      email: "multi@example.com",
      tenants: [
        { tenant_id: "acme", roles: ["ops"] },
        { tenant_id: "globex", roles: ["viewer"] },
      ],
      abortHref: "/x",
    });
    expect(page).toContain("<legend>Workspace</legend>");
    expect(page).toMatch(/<input type="radio" id="tenant-0" name="tenant_id" value="acme" required checked>/);
    expect(page).toMatch(/<label for="tenant-1">globex/);
  });

  it("shows each sign-up error beside its field", () => {
    const page = signUpPage({ action: "/s", loginHref: "/l", errors: { password: "Use at least 8 characters" }, minPasswordLength: 8 });
    expect(page).toContain('aria-describedby="password-error"');
    expect(page).toContain('<p class="error" id="password-error" role="alert">Use at least 8 characters</p>');
  });
});
