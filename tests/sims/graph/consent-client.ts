/**
 * An admin at the simulator's admin-consent page, over HTTP: opens the page
 * the consent link names, picks the directory (the first offered unless
 * told) and presses Accept or Cancel. Returns where the page redirects (the
 * app's consent callback with Microsoft's answer).
 */
export async function answerAdminConsent(consentUrl: string, decision: "accept" | "cancel", directoryId?: string): Promise<string> {
  const pageResponse = await fetch(consentUrl);
  const html = await pageResponse.text();
  if (pageResponse.status !== 200) throw new Error(`the admin-consent page answered ${pageResponse.status}: ${html.slice(0, 300)}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no consent form: ${html.slice(0, 300)}`);
  const unescape = (s: string) => s.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name!, unescape(value!));
  form.set("directory", directoryId ?? unescape(/name="directory" value="([^"]+)"/.exec(html)![1]!));
  form.set("decision", decision);
  const answer = await fetch(new URL(action, consentUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  const location = answer.headers.get("location");
  if (answer.status !== 302 || !location) throw new Error(`the consent answer was HTTP ${answer.status}, not a redirect`);
  return location;
}
