/**
 * The logins of the development stand-ins. Only the dev runner, the dev IdP
 * and tests use them; production reads every login from its environment.
 */

/** The application role the migrator creates on the embedded Postgres (and on test databases). */
export const DEV_APP_ROLE = { user: "nexius_app_user", password: "nexius_app_user" };

/** The owner URL with the development application role's login in place of the owner's. */
export function devAppDatabaseUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = DEV_APP_ROLE.user;
  url.password = DEV_APP_ROLE.password;
  return url.toString();
}

/** The dev IdP's one client: the platform itself. */
export const DEV_IDP_CLIENT = { client_id: "nexius-platform", client_secret: "nexius-dev-secret" } as const;

export function devIdpIssuer(port: number): string {
  return `http://localhost:${port}`;
}
