import { queryE2eDatabase, standInsEnv } from "./database";

/**
 * A demo workspace's Microsoft 365 as the e2e platform's Graph simulator
 * holds it, read over Graph's own API with the app registration the platform
 * uses (client credentials), so a journey checks the calendars against what
 * Microsoft would answer rather than against our lake.
 */
export type GraphMeeting = { subject: string; start: string; isCancelled: boolean; attendees: string[] };

type Page<T> = { value: T[]; "@odata.nextLink"?: string };
type User = { id: string; accountEnabled?: boolean };
type Event = { subject: string; isCancelled: boolean; start: { dateTime: string }; attendees: Array<{ emailAddress: { address: string } }> };

async function get<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

async function all<T>(first: string, token: string): Promise<T[] | null> {
  const items: T[] = [];
  for (let url: string | undefined = first; url;) {
    const { status, body }: { status: number; body: Page<T> } = await get<Page<T>>(url, token);
    if (status === 404) return null;
    if (status !== 200) throw new Error(`Graph answered ${status} for ${url}`);
    items.push(...body.value);
    url = body["@odata.nextLink"];
  }
  return items;
}

/** Every meeting in the calendars of the directory's enabled users with a mailbox, within `days` either side of now. */
export async function graphMeetings(slug: string, days = 90): Promise<GraphMeeting[]> {
  const env = await standInsEnv();
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: env.MS_CLIENT_ID,
    client_secret: env.MS_CLIENT_SECRET,
    scope: "https://graph.microsoft.com/.default",
  });
  // The directory the workspace connected, as the platform stored it.
  const [source] = await queryE2eDatabase<{ directory_id: string }>(
    "SELECT s.directory_id FROM lake_sources s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = $1 AND s.source = 'm365'",
    [slug],
  );
  const tokenResponse = await fetch(`${env.MS_LOGIN_BASE_URL}/${source!.directory_id}/oauth2/v2.0/token`, { method: "POST", body: form });
  const { access_token: token, error_description } = (await tokenResponse.json()) as { access_token?: string; error_description?: string };
  if (!token) throw new Error(`${tokenResponse.url} answered ${tokenResponse.status}: ${error_description}`);
  const users = (await all<User>(`${env.MS_GRAPH_BASE_URL}/v1.0/users?$select=id,accountEnabled`, token))!;
  const window = new URLSearchParams({
    startDateTime: new Date(Date.now() - days * 86_400_000).toISOString(),
    endDateTime: new Date(Date.now() + days * 86_400_000).toISOString(),
  });
  const meetings: GraphMeeting[] = [];
  for (const user of users.filter((u) => u.accountEnabled !== false)) {
    // A user without a mailbox answers 404, and has no calendar to read.
    const events = await all<Event>(`${env.MS_GRAPH_BASE_URL}/v1.0/users/${user.id}/calendarView?${window}`, token);
    for (const e of events ?? []) {
      meetings.push({
        subject: e.subject,
        start: `${e.start.dateTime.slice(0, 19)}Z`,
        isCancelled: e.isCancelled,
        attendees: e.attendees.map((a) => a.emailAddress.address.toLowerCase()),
      });
    }
  }
  return meetings;
}
