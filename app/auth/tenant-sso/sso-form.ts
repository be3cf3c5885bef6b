import { type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { isDirectoryId } from "./issuer";
import { IDP_KINDS, parseDomains, parseRoleMapping, ROLES_CLAIMS, type RoleMapping } from "./mapping";

/**
 * The SSO tab's form for a tenant's identity provider, shared by the action
 * and the browser. The client secret is write-only: blank keeps the stored
 * one (a new provider needs one). Browser-safe.
 */
const url = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .url(message)
    .refine((v) => /^https?:\/\//.test(v), message)
    .transform((v) => v.replace(/\/+$/, ""));

/**
 * The settings about the workspace's own members (which emails sign in here,
 * how claims become roles, whether the provider is on): what the tenant
 * portal lets the workspace's admin change too.
 */
export const memberSettings = {
  emailDomains: z
    .string()
    .optional()
    .transform((v, ctx): string[] => {
      const { domains, invalid } = parseDomains(v ?? "");
      if (invalid.length) ctx.addIssue({ code: "custom", message: `Not a domain: ${invalid.join(", ")}` });
      return domains;
    }),
  rolesClaim: z.enum(ROLES_CLAIMS, { error: "Pick the claim" }),
  roleMapping: z
    .string()
    .optional()
    .transform((v, ctx): RoleMapping => {
      const { mapping, invalid } = parseRoleMapping(v ?? "");
      if (invalid.length) ctx.addIssue({ code: "custom", message: `Write "value = admin | ops | viewer": ${invalid.join("; ")}` });
      return mapping;
    }),
  enabled: z
    .string()
    .optional()
    .transform((v) => v === "on"),
};

export const IdentityProviderForm = z
  .object({
    kind: z.enum(IDP_KINDS, { error: "Pick the kind of provider" }),
    issuer: z.string().trim().optional(),
    loginHost: z.string().trim().optional(),
    directoryId: z.string().trim().optional(),
    clientId: z.string({ error: "Give the client (application) id" }).trim().min(1, "Give the client (application) id").max(200),
    clientSecret: z.string().max(500).optional(),
    ...memberSettings,
  })
  .superRefine((form, ctx) => {
    if (form.kind === "oidc" && !url("x").safeParse(form.issuer ?? "").success) {
      ctx.addIssue({ code: "custom", path: ["issuer"], message: "Give the issuer URL, exactly as its discovery document states it" });
    }
    if (form.kind === "entra") {
      if (!isDirectoryId(form.directoryId ?? "")) ctx.addIssue({ code: "custom", path: ["directoryId"], message: "Give the directory (tenant) id, a GUID" });
      if (!url("x").safeParse(form.loginHost ?? "").success) ctx.addIssue({ code: "custom", path: ["loginHost"], message: "Give the login host's URL" });
    }
  })
  .transform((form) => ({
    ...form,
    issuer: form.kind === "oidc" ? url("x").parse(form.issuer) : undefined,
    loginHost: form.kind === "entra" ? url("x").parse(form.loginHost) : undefined,
    directoryId: form.kind === "entra" ? form.directoryId!.toLowerCase() : undefined,
    clientSecret: form.clientSecret?.trim() || undefined,
  }));

export type IdentityProviderInput = z.output<typeof IdentityProviderForm>;

export type SsoActionResult = { ok: boolean; message: string; submission?: SubmissionResult<string[]> };

/** A tenant's provider as the SSO tab and the integrations list show it: never the secret. */
export type IdentityProviderView = {
  id: string;
  kind: string;
  issuer: string;
  loginHost: string | null;
  directoryId: string | null;
  clientId: string;
  emailDomains: string[];
  rolesClaim: string;
  roleMapping: RoleMapping;
  enabled: boolean;
  updatedAt: string | Date;
};
