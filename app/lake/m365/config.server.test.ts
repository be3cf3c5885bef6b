import { describe, expect, it } from "vitest";
import { graphClientConfig, m365Env } from "./config.server";

describe("m365 settings", () => {
  it("defaults the hosts to Microsoft's and leaves our app registration unset", () => {
    expect(m365Env.parse({ MS_CLIENT_ID: " " })).toEqual({
      MS_GRAPH_BASE_URL: "https://graph.microsoft.com",
      MS_LOGIN_BASE_URL: "https://login.microsoftonline.com",
      MS_CLIENT_ID: undefined,
      MS_CLIENT_SECRET: undefined,
    });
  });

  it("uses our app registration for a directory, or the tenant's own when it brought both halves", () => {
    const env = m365Env.parse({ MS_CLIENT_ID: "ours", MS_CLIENT_SECRET: "our-secret", MS_GRAPH_BASE_URL: "http://127.0.0.1:4810" });
    expect(graphClientConfig(env, { directoryId: "d1" })).toEqual({
      graphBaseUrl: "http://127.0.0.1:4810",
      loginBaseUrl: "https://login.microsoftonline.com",
      directoryId: "d1",
      clientId: "ours",
      clientSecret: "our-secret",
    });
    expect(graphClientConfig(env, { directoryId: "d1", clientId: "theirs", clientSecret: "their-secret" })).toMatchObject({
      clientId: "theirs",
      clientSecret: "their-secret",
    });
    expect(graphClientConfig(env, { directoryId: "d1", clientId: "theirs", clientSecret: null })).toMatchObject({ clientId: "ours" });
    expect(graphClientConfig(m365Env.parse({}), { directoryId: "d1" })).toBeNull();
  });
});
