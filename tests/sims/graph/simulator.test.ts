import { afterEach, describe, expect, it } from "vitest";
import { answerAdminConsent } from "./consent-client";
import { demoDirectoryId } from "./directory";
import { startGraphSimulator, type GraphSim } from "./server";

const acme = { directoryId: demoDirectoryId("acme"), domain: "acme.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };
const globex = { directoryId: demoDirectoryId("globex"), domain: "globex.onmicrosoft.com", clientId: "lake-app", clientSecret: "s3cret" };
const TODAY = new Date("2026-12-04T00:00:00Z");

let sims: GraphSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start() {
  const sim = await startGraphSimulator({ directories: [acme, globex], demo: { seed: 42, today: TODAY } });
  sims.push(sim);
  return sim;
}

async function tokenFor(sim: GraphSim, tenant: string, secret = "s3cret") {
  const res = await fetch(`${sim.url}/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: "lake-app", client_secret: secret, scope: `${sim.url}/.default`, grant_type: "client_credentials" }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(sim: GraphSim, path: string, accessToken: string) {
  const res = await fetch(`${sim.url}/v1.0/${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

describe("Graph simulator", () => {
  it("seeds each directory with the same demo data for the same seed and day", async () => {
    const [one, two] = [await start(), await start()];
    const summary = (sim: GraphSim) => {
      const d = sim.directory(acme.directoryId);
      return { users: [...d.users.values()].map((u) => u.item.displayName), contacts: [...d.contacts.values()].map((c) => c.item.displayName) };
    };
    expect(summary(one)).toEqual(summary(two));
    const directory = one.directory(acme.directoryId);
    expect(directory.users.size).toBe(12);
    expect(directory.contacts.size).toBeGreaterThan(200);
    const folders = new Set([...directory.contacts.values()].map((c) => directory.folders.get(c.item.parentFolderId)!.displayName));
    expect([...folders].sort()).toEqual(["Clients", "Contacts"]);
    expect(directory.events.size).toBe(11 * 12);
    expect(one.directory(globex.directoryId).users.size).toBe(12);
  });

  it("gives a token only for the directory's consented app and secret, and serves that directory's data only", async () => {
    const sim = await start();
    expect((await tokenFor(sim, acme.directoryId, "wrong")).body).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    expect((await tokenFor(sim, "nowhere.onmicrosoft.com")).body).toMatchObject({ error: "invalid_request", error_codes: [90002] });
    const byDomain = await tokenFor(sim, "globex.onmicrosoft.com");
    expect(byDomain).toMatchObject({ status: 200, body: { token_type: "Bearer", expires_in: 3599 } });

    const users = await get(sim, "users?$select=id,mail", byDomain.body.access_token as string);
    expect(users.body.value.every((u: { mail: string }) => u.mail.endsWith("@globex.onmicrosoft.com"))).toBe(true);
    expect((await get(sim, "users", "made-up")).status).toBe(401);
  });

  it("leaves the default Contacts folder out of contactFolders, answers 404 for a user without a mailbox, and 403 without the permission", async () => {
    const sim = await startGraphSimulator({ directories: [{ ...acme, roles: ["User.Read.All", "Contacts.Read"] }], demo: { seed: 42, today: TODAY } });
    sims.push(sim);
    const accessToken = (await tokenFor(sim, acme.directoryId)).body.access_token as string;
    const directory = sim.directory(acme.directoryId);
    const [withMailbox] = [...directory.users.values()].filter((u) => u.item.hasMailbox);
    const folders = await get(sim, `users/${withMailbox!.item.id}/contactFolders`, accessToken);
    expect(folders.body.value).toEqual([{ id: expect.any(String), displayName: "Clients", parentFolderId: directory.defaultFolder(withMailbox!.item.id).id }]);
    const noMailbox = [...directory.users.values()].find((u) => !u.item.hasMailbox)!;
    expect((await get(sim, `users/${noMailbox.item.id}/contacts`, accessToken)).body.error.code).toBe("MailboxNotEnabledForRESTAPI");
    const calendar = await get(
      sim,
      `users/${withMailbox!.item.id}/calendarView?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z`,
      accessToken,
    );
    expect(calendar).toMatchObject({ status: 403, body: { error: { code: "ErrorAccessDenied" } } });
  });

  it("answers 410 syncStateNotFound for a token it does not know, and 429 with Retry-After when told to", async () => {
    const sim = await start();
    const accessToken = (await tokenFor(sim, acme.directoryId)).body.access_token as string;
    const gone = await get(sim, "users/delta?$deltatoken=never-issued", accessToken);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe("SyncStateNotFound");
    expect(gone.headers.get("location")).toBe(`${sim.url}/v1.0/users/delta?$deltatoken=`);

    sim.throttleNext(1, 7);
    const throttled = await get(sim, "users", accessToken);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");
    expect((await get(sim, "users", accessToken)).status).toBe(200);
  });

  it("runs each request of a $batch through the same handlers, answering under its id with its own status and Retry-After", async () => {
    const sim = await start();
    const accessToken = (await tokenFor(sim, acme.directoryId)).body.access_token as string;
    const user = [...sim.directory(acme.directoryId).users.values()].find((u) => u.item.hasMailbox)!.item.id;
    sim.throttleNext(1, 4);
    const res = await fetch(`${sim.url}/v1.0/$batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        requests: [
          { id: "a", method: "GET", url: "/users?$select=id,mail" },
          { id: "b", method: "GET", url: `/users/${user}/contactFolders`, headers: { Prefer: "odata.maxpagesize=1" } },
          { id: "c", method: "GET", url: "users/delta?$deltatoken=never-issued" },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const { responses } = (await res.json()) as { responses: Array<{ id: string; status: number; headers: Record<string, string>; body: any }> };
    const byId = Object.fromEntries(responses.map((r) => [r.id, r]));
    expect(responses.map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect(byId.a).toMatchObject({ status: 429, headers: { "Retry-After": "4" }, body: { error: { code: "TooManyRequests" } } });
    expect(byId.b!.body.value).toEqual((await get(sim, `users/${user}/contactFolders`, accessToken)).body.value);
    expect(byId.c).toMatchObject({ status: 410, body: { error: { code: "SyncStateNotFound" } } });
    expect(sim.requests.filter((r) => r.inBatch).map((r) => [r.path, r.status])).toEqual([
      ["/v1.0/users", 429],
      [`/v1.0/users/${user}/contactFolders`, 200],
      ["/v1.0/users/delta", 410],
    ]);
    expect((await fetch(`${sim.url}/v1.0/$batch`, { method: "POST", body: "{}" })).status).toBe(401);
  });

  it("plays the admin-consent page: redirects back with the directory the admin accepted for, or with the refusal", async () => {
    const sim = await start();
    const link = (tenant: string, clientId = "lake-app") =>
      `${sim.url}/${tenant}/adminconsent?${new URLSearchParams({ client_id: clientId, redirect_uri: "https://app.example/consent", state: "s&1" })}`;
    const accepted = new URL(await answerAdminConsent(link("organizations"), "accept", globex.directoryId));
    expect(`${accepted.origin}${accepted.pathname}`).toBe("https://app.example/consent");
    expect(Object.fromEntries(accepted.searchParams)).toEqual({ admin_consent: "True", tenant: globex.directoryId, state: "s&1" });
    const refused = new URL(await answerAdminConsent(link(acme.domain), "cancel"));
    expect(Object.fromEntries(refused.searchParams)).toEqual({ error: "permission_denied", error_description: "The admin canceled the request", state: "s&1" });
    const unknownApp = await fetch(link("organizations", "someone-else"), { redirect: "manual" });
    expect(unknownApp.status).toBe(400);
    expect(unknownApp.headers.get("location")).toBeNull();
    expect(await unknownApp.text()).toContain("AADSTS700016");
  });
});
