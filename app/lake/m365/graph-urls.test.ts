import { describe, expect, it } from "vitest";
import { batchRelativeUrl, batchUrl, graphUrl, isGraphLink, segment, tokenUrl } from "./graph-urls";

describe("graphUrl", () => {
  it("builds v1.0 URLs under the configured base, whatever its trailing slash", () => {
    expect(graphUrl("https://graph.microsoft.com/", "users/delta", { $select: "id,mail" })).toBe(
      "https://graph.microsoft.com/v1.0/users/delta?%24select=id%2Cmail",
    );
    expect(graphUrl("http://127.0.0.1:4810", `users/${segment("AAMk+a/b=")}/contacts`)).toBe("http://127.0.0.1:4810/v1.0/users/AAMk%2Ba%2Fb%3D/contacts");
  });

  it("builds the token endpoint of a directory under the login base", () => {
    expect(tokenUrl("https://login.microsoftonline.com", "contoso.onmicrosoft.com")).toBe(
      "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
    );
  });
});

describe("isGraphLink", () => {
  const base = "https://graph.microsoft.com";

  it("follows links on the Graph host under /v1.0/", () => {
    expect(isGraphLink("https://graph.microsoft.com/v1.0/users/delta?$skiptoken=abc", base)).toBe(true);
  });

  it("refuses other hosts, schemes, ports, versions, credentials and garbage", () => {
    for (const link of [
      "https://graph.microsoft.com.evil.example/v1.0/users/delta",
      "http://graph.microsoft.com/v1.0/users/delta",
      "https://graph.microsoft.com:8443/v1.0/users/delta",
      "https://graph.microsoft.com/beta/users/delta",
      "https://graph.microsoft.com/v1.0x/users",
      "https://user:pw@graph.microsoft.com/v1.0/users",
      "http://169.254.169.254/latest/meta-data",
      "/v1.0/users/delta",
      "not a url",
    ]) {
      expect(isGraphLink(link, base), link).toBe(false);
    }
  });
});

describe("batchRelativeUrl", () => {
  it("names a request relative to the version root, with its encoded path and query, under any base path", () => {
    const url = graphUrl("https://graph.microsoft.com", `users/u1/contactFolders/${segment("AAMk+a/b=")}/contacts/delta`);
    expect(batchRelativeUrl(url, "https://graph.microsoft.com")).toBe("/users/u1/contactFolders/AAMk%2Ba%2Fb%3D/contacts/delta");
    expect(batchRelativeUrl("http://127.0.0.1:9/graph/v1.0/users/delta?$deltatoken=x%2By", "http://127.0.0.1:9/graph/")).toBe("/users/delta?$deltatoken=x%2By");
    expect(batchUrl("https://graph.microsoft.com/")).toBe("https://graph.microsoft.com/v1.0/$batch");
  });
});
