import { test as base, type ConsoleMessage, type Page } from "@playwright/test";

export { expect } from "@playwright/test";
export type { Locator, Page } from "@playwright/test";

/**
 * The `test` every journey uses: a page that throws (an uncaught error, a
 * failed hydration) or logs a console error fails the test, even when the
 * page still works without JavaScript. A test that provokes a console error
 * on purpose (a 404 page's "Failed to load resource") lists it in
 * `test.use({ expectedConsoleErrors: [/.../] })`.
 */
export const test = base.extend<{ expectedConsoleErrors: RegExp[]; failOnPageErrors: void }>({
  expectedConsoleErrors: [[], { option: true }],
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
