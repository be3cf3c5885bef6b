import http from "node:http";
import { type AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { errors, type Provider } from "oidc-provider";
import { log } from "../logger.server";
import { createAccountDirectory, DEMO_USERS } from "./idp-accounts.server";
import { devTokenRoute } from "./idp-dev-token.server";
import { interactionRouter, sendHtml } from "./idp-interactions.server";
import { loadOrCreateSigningKey } from "./idp-keys.server";
import { messagePage } from "./idp-pages.server";
import { createProvider, type Directory, type DevIdpOptions, type Setup, type TenantChoices } from "./idp-provider.server";

/**
 * The embedded "Nexius SSO" for development and tests: a real OpenID
 * provider (oidc-provider) with our own sign-in pages, seeded demo users and
 * tenant choice at sign-in, so the platform's OIDC code is exercised exactly
 * as against Keycloak or any other provider. Never started in production.
 */

export { DEMO_PASSWORD, DEMO_USERS } from "./idp-accounts.server";
export type { DevIdpClient, DevIdpOptions } from "./idp-provider.server";

export const DEFAULT_DEV_IDP_PORT = 4800;

export type DevIdp = {
  issuer: string;
  /** Where the IdP listens (same as the issuer unless the issuer is a public alias). */
  url: string;
  /** Key id of the signing key, as published in the JWKS. */
  kid: string;
  provider: Provider;
  /** Changes a user's roles or memberships, as an administrator would at a real IdP. */
  updateAccount: Directory["updateAccount"];
  stop(): Promise<void>;
};

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  if (!options.clients.length) throw new Error("startDevIdp needs at least one client");
  const signingKey = await loadOrCreateSigningKey(options.keyFile);
  const directory = createAccountDirectory({
    users: [...DEMO_USERS, ...(options.users ?? [])],
    accountsFile: options.accountsFile,
  });

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? DEFAULT_DEV_IDP_PORT, host: options.host ?? "localhost" }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const issuer = (options.issuer ?? url).replace(/\/$/, "");
  const mount = new URL(issuer).pathname.replace(/\/$/, "");

  const choices: TenantChoices = { byGrant: new Map(), bySession: new Map() };
  const setup: Setup = { issuer, mount, options, signingKey, directory, choices };
  const provider = createProvider(setup);
  server.on("request", createApp({ ...setup, provider }));

  return {
    issuer,
    url: `${url}${mount}`,
    kid: signingKey.kid,
    provider,
    updateAccount: directory.updateAccount,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function createApp(setup: Setup & { provider: Provider }): express.Express {
  const { provider, mount, options, signingKey, issuer } = setup;
  const app = express();
  app.disable("x-powered-by");
  const router = interactionRouter(setup);
  devTokenRoute(router, { issuer, signingKey, defaultAudience: options.clients[0]!.client_id });
  app.use(mount || "/", router);
  app.use(mount || "/", provider.callback());

  app.use((error: unknown, req: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    if (req.path.endsWith("/dev/token")) {
      const status = (error as { status?: number }).status ?? 500;
      return response.status(status).json({
        error: status < 500 ? "invalid_request" : "server_error",
        error_description: status < 500 ? "body must be JSON" : "unexpected error",
      });
    }
    if (error instanceof errors.SessionNotFound) {
      return sendHtml(
        response,
        400,
        messagePage(
          "Sign-in expired",
          "This sign-in page is no longer valid (it expired or was opened in another browser). Go back to the application and sign in again.",
          "alert",
        ),
      );
    }
    log().error({ err: error }, "dev IdP interaction failed");
    sendHtml(response, 500, messagePage("Sign-in problem", "Something went wrong. Go back to the application and try again.", "alert"));
  });
  return app;
}
