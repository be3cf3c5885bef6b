import { z } from "zod";
import { OdooError, OdooTransportError } from "./client.server";

/**
 * Odoo-side steps of tenant provisioning share one contract: every step looks
 * up before it creates, so the job can be re-run after a failure at any point
 * (including a lost answer to a create that Odoo committed) without
 * duplicating anything. Steps throw OdooProvisioningError; `retryable` tells
 * the job whether running again can help.
 */

export type ProvisioningStep =
  "create_database" | "install_modules" | "company" | "integration_user" | "sso_user" | "oauth_provider" | "baseline" | "smoke_test" | "rotate_password";

export class OdooProvisioningError extends OdooError {
  readonly retryable: boolean;

  constructor(
    readonly step: ProvisioningStep,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "OdooProvisioningError";
    this.retryable = options.retryable ?? options.cause instanceof OdooTransportError;
  }
}

/** Runs one step, turning any other failure into an OdooProvisioningError of that step. */
export async function provisioningStep<T>(name: ProvisioningStep, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof OdooProvisioningError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new OdooProvisioningError(name, `Odoo ${name.replace(/_/g, " ")} failed: ${detail}`, { cause: error });
  }
}

// Row shapes the steps read back from Odoo.

export const idSchema = z.number().int().positive();
export const many2one = z.union([z.tuple([idSchema, z.string()]), z.literal(false)]);
export const stringOrFalse = z.union([z.string(), z.literal(false)]);

export const userRowSchema = z.object({
  id: idSchema,
  login: z.string(),
  active: z.boolean(),
  company_id: many2one,
  company_ids: z.array(idSchema),
  groups_id: z.array(idSchema),
});
