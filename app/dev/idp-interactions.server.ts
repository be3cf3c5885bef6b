import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { errors, type Provider } from "oidc-provider";
import { log } from "../logger.server";
import { AccountExistsError, MIN_SIGN_UP_PASSWORD, signUpSchema } from "./idp-accounts.server";
import { chooseTenantPage, loginPage, messagePage, signUpPage } from "./idp-pages.server";
import { type Setup } from "./idp-provider.server";

/**
 * The dev IdP's own sign-in pages behind oidc-provider's interactions: sign
 * in with a password, choose a workspace when the account has several,
 * create an account (self-serve sign-up), or cancel.
 */

type PendingTenantChoice = { sub: string; expiresAt: number };

/** The sign-in pages as an express router, mounted where oidc-provider sends its interactions. */
export function interactionRouter({ provider, mount, options, directory, choices }: Setup & { provider: Provider }): Router {
  const allowSignUp = options.allowSignUp ?? true;
  const pendingTenantChoices = new Map<string, PendingTenantChoice>();
  const form = express.urlencoded({ extended: false, limit: "16kb" });
  const paths = (uid: string) => {
    const base = `${mount}/interaction/${encodeURIComponent(uid)}`;
    return {
      login: `${base}/login`,
      tenant: `${base}/tenant`,
      signUp: `${base}/signup`,
      abort: `${base}/abort`,
    };
  };
  const noStore = (_req: Request, res: Response, next: NextFunction) => {
    res.set("cache-control", "no-store");
    next();
  };

  /** The interaction named in the path, which must be the one this browser's cookie points at. */
  async function interactionFor(req: Request, response: Response) {
    const details = await provider.interactionDetails(req, response);
    if (details.uid !== req.params.uid) throw new errors.SessionNotFound("interaction mismatch");
    return details;
  }

  async function clientName(clientId: unknown) {
    const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? client?.clientId ?? "your application";
  }

  async function finishLogin(req: Request, response: Response, sub: string, tenantId: string | undefined) {
    pendingTenantChoices.delete(String(req.params.uid));
    log().info({ sub, tenantId }, "dev IdP sign-in");
    await provider.interactionFinished(
      req,
      response,
      { login: { accountId: sub, amr: ["pwd"] }, tenant: { tenant_id: tenantId } },
      { mergeWithLastSubmission: false },
    );
  }

  const router = express.Router();

  router.get("/interaction/:uid", noStore, async (req, response, next) => {
    try {
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      if (details.prompt.name === "login") {
        const hint = details.params.login_hint;
        return sendHtml(
          response,
          200,
          loginPage({
            action: links.login,
            clientName: await clientName(details.params.client_id),
            email: typeof hint === "string" ? hint : undefined,
            signUpHref: allowSignUp ? links.signUp : undefined,
            abortHref: links.abort,
          }),
        );
      }
      if (details.prompt.name === "consent") {
        // Reached only for requests the automatic grant does not cover (e.g. new scopes); still first-party.
        if (!details.session) throw new errors.SessionNotFound("no signed-in session");
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) });
        if (!grant) throw new errors.SessionNotFound("grant not found");
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant.save();
        if (!details.grantId) choices.byGrant.set(grantId, choices.bySession.get(details.session.uid));
        return provider.interactionFinished(req, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
      }
      return sendHtml(response, 400, messagePage("Sign-in problem", `Unsupported step "${details.prompt.name}".`, "alert"));
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/login", noStore, form, async (req, response, next) => {
    try {
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      const email = typeof req.body?.email === "string" ? req.body.email.trim() : "";
      const password = typeof req.body?.password === "string" ? req.body.password : "";
      const again = async (message: string) =>
        sendHtml(
          response,
          401,
          loginPage({
            action: links.login,
            clientName: await clientName(details.params.client_id),
            email,
            error: message,
            signUpHref: allowSignUp ? links.signUp : undefined,
            abortHref: links.abort,
          }),
        );
      if (!email || !password) return again("Enter your email and password.");
      const outcome = directory.authenticate(email, password);
      if ("error" in outcome) {
        log().info({ email, reason: outcome.error }, "dev IdP sign-in refused");
        return again(
          outcome.error === "no_such_account"
            ? `There is no such account for ${email}. Check the address${allowSignUp ? " or create an account" : ""}.`
            : "Wrong password. Try again.",
        );
      }
      const { account } = outcome;
      if (account.tenants.length > 1) {
        for (const [uid, pending] of pendingTenantChoices) if (pending.expiresAt < Date.now()) pendingTenantChoices.delete(uid);
        pendingTenantChoices.set(details.uid, { sub: account.sub, expiresAt: details.exp * 1000 });
        return sendHtml(response, 200, chooseTenantPage({ action: links.tenant, email: account.email, tenants: account.tenants, abortHref: links.abort }));
      }
      await finishLogin(req, response, account.sub, account.tenants[0]?.tenant_id);
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/tenant", noStore, form, async (req, response, next) => {
    try {
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      const pending = pendingTenantChoices.get(details.uid);
      const account = pending && pending.expiresAt >= Date.now() ? directory.findBySub(pending.sub) : undefined;
      if (!account) {
        return sendHtml(
          response,
          401,
          loginPage({
            action: links.login,
            clientName: await clientName(details.params.client_id),
            error: "Sign in first, then choose a workspace.",
            signUpHref: allowSignUp ? links.signUp : undefined,
            abortHref: links.abort,
          }),
        );
      }
      const chosen = typeof req.body?.tenant_id === "string" ? req.body.tenant_id : "";
      if (!account.tenants.some((t) => t.tenant_id === chosen)) {
        return sendHtml(
          response,
          400,
          chooseTenantPage({
            action: links.tenant,
            email: account.email,
            tenants: account.tenants,
            error: "Choose one of your workspaces.",
            abortHref: links.abort,
          }),
        );
      }
      await finishLogin(req, response, account.sub, chosen);
    } catch (error) {
      next(error);
    }
  });

  router.get("/interaction/:uid/signup", noStore, async (req, response, next) => {
    try {
      if (!allowSignUp) return sendHtml(response, 404, messagePage("Not available", "Sign-up is turned off."));
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      sendHtml(response, 200, signUpPage({ action: links.signUp, loginHref: `${mount}/interaction/${details.uid}`, minPasswordLength: MIN_SIGN_UP_PASSWORD }));
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/signup", noStore, form, async (req, response, next) => {
    try {
      if (!allowSignUp) return sendHtml(response, 404, messagePage("Not available", "Sign-up is turned off."));
      const details = await interactionFor(req, response);
      const links = paths(details.uid);
      const values = {
        email: typeof req.body?.email === "string" ? req.body.email : "",
        name: typeof req.body?.name === "string" ? req.body.name : "",
      };
      const again = (errors: Parameters<typeof signUpPage>[0]["errors"]) =>
        sendHtml(
          response,
          400,
          signUpPage({
            action: links.signUp,
            loginHref: `${mount}/interaction/${details.uid}`,
            values,
            errors,
            minPasswordLength: MIN_SIGN_UP_PASSWORD,
          }),
        );
      const parsed = signUpSchema.safeParse({ ...values, password: req.body?.password });
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? "form");
          fieldErrors[field] ??= issue.message;
        }
        return again(fieldErrors);
      }
      let account;
      try {
        account = await directory.signUp(parsed.data);
      } catch (error) {
        if (error instanceof AccountExistsError) return again({ email: error.message });
        throw error;
      }
      log().info({ sub: account.sub }, "dev IdP account created");
      await finishLogin(req, response, account.sub, undefined);
    } catch (error) {
      next(error);
    }
  });

  router.get("/interaction/:uid/abort", noStore, async (req, response, next) => {
    try {
      await interactionFor(req, response);
      pendingTenantChoices.delete(String(req.params.uid));
      await provider.interactionFinished(
        req,
        response,
        { error: "access_denied", error_description: "The user cancelled the sign-in" },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });
  return router;
}

export function sendHtml(res: Response, status: number, body: string) {
  return res.status(status).type("html").send(body);
}
