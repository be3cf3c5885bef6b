import { type Express } from "express";
import { type Env } from "~/env.server";
import { limitRequestBody } from "./body-limit.server";
import { rateLimitByAddress } from "./rate-limit.server";
import { withStatementTimeout } from "./statement-timeout.server";

/**
 * What the web server puts in front of every request to bound its cost: the
 * body size, the client address's request rate (sign-in, chat, API,
 * exports) and the SQL statement time of the request's tenant transactions.
 * Per-user limits live in the routes, where the user is known.
 */
export function installRequestLimits(app: Express, config: Env): void {
  app.use(limitRequestBody(config.MAX_REQUEST_BODY_BYTES));
  app.use(rateLimitByAddress());
  app.use((_req, _res, next) => withStatementTimeout(config.WEB_STATEMENT_TIMEOUT_MS, next));
}
