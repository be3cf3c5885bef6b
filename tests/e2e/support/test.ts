import { test as base, type Browser, type BrowserContextOptions, type ConsoleMessage, type Page } from "@playwright/test";
import { signIn } from "./sign-in";

export { expect } from "@playwright/test";
export type { Locator, Page } from "@playwright/test";

/** The demo users a journey can be signed in as, by what they may do. */
export const DEMO_USERS = {
  ops: "ops@acme.test",
  viewer: "viewer@acme.test",
  globexAdmin: "admin@globex.test",
  // salespeople in globex's demo Odoo CRM: the leader of Direct Sales and one of its reps
  globexManager: "manager@globex.test",
  globexRep: "rep@globex.test",
  owner: "owner@nexius.test",
  finance: "finance@nexius.test",
} as const;
export type DemoUser = keyof typeof DEMO_USERS;

type StorageState = Exclude<BrowserContextOptions["storageState"], string | undefined>;

/**
 * Signs a demo user in through the IdP's real login page in a context of its
 * own and keeps the cookies. A demo workspace's first sign-in sets it up
 * first, so this waits until the setup screen has moved on.
 */
async function signInOnce(browser: Browser, baseURL: string | undefined, email: string): Promise<StorageState> {
  // Empty cookies explicitly: a context made while a test runs would otherwise start with that test's signed-in state.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const page = await context.newPage();
    await signIn(page, email);
    await page.waitForURL((url) => !url.pathname.startsWith("/app/setup"), { timeout: 60_000 });
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/**
 * The `test` every journey uses.
 *
 * A page that throws (an uncaught error, a failed hydration) or logs a
 * console error fails the test, even when the page still works without
 * JavaScript. A test that provokes a console error on purpose (a 404 page's
 * "Failed to load resource") lists it in
 * `test.use({ expectedConsoleErrors: [/.../] })`.
 *
 * `test.use({ signedInAs: "ops" })` starts each test already signed in as
 * that demo user: each user signs in at the IdP once per worker and every
 * later test reuses the session cookie (`storageState`). Journeys about
 * sign-in itself leave it unset and sign in at the IdP.
 */
export const test = base.extend<
  { expectedConsoleErrors: RegExp[]; failOnPageErrors: void; signedInAs: DemoUser | undefined },
  { signedInState: (user: DemoUser) => Promise<StorageState> }
>({
  expectedConsoleErrors: [[], { option: true }],
  signedInAs: [undefined, { option: true }],
  signedInState: [
    async ({ browser }, use, workerInfo) => {
      const states = new Map<DemoUser, Promise<StorageState>>();
      await use((user) => {
        if (!states.has(user)) states.set(user, signInOnce(browser, workerInfo.project.use.baseURL, DEMO_USERS[user]));
        return states.get(user)!;
      });
    },
    { scope: "worker" },
  ],
  storageState: async ({ signedInAs, signedInState, storageState }, use) => {
    await use(signedInAs ? await signedInState(signedInAs) : storageState);
  },
  failOnPageErrors: [
    async ({ context, expectedConsoleErrors, baseURL }, use, testInfo) => {
      const problems: string[] = [];
      // Only our pages: the dev IdP's sign-in pages are a stand-in for someone else's.
      const ours = (page: Page) => !baseURL || page.url().startsWith(new URL(baseURL).origin);
      const watch = (page: Page) => {
        page.on("pageerror", (error) => {
          if (ours(page)) problems.push(`uncaught error on ${page.url()}: ${error.stack ?? error.message}`);
        });
        page.on("console", (message: ConsoleMessage) => {
          if (message.type() !== "error" || !ours(page)) return;
          const text = message.text();
          if (expectedConsoleErrors.some((pattern) => pattern.test(text))) return;
          problems.push(`console error on ${page.url()}: ${text}`);
        });
      };
      context.pages().forEach(watch);
      context.on("page", watch);
      await use();
      if (problems.length > 0 && testInfo.status === testInfo.expectedStatus) {
        throw new Error(`The browser reported ${problems.length} error(s):\n${problems.join("\n")}`);
      }
    },
    { auto: true },
  ],
});
