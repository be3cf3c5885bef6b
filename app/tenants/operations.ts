import { type TenantStatus } from "./lifecycle";

/**
 * The control plane's lifecycle operations: what each one does, step by step,
 * and when it may be asked for. Shared by the server that runs them and the
 * pages that offer and show them (browser-safe).
 */
export const OPERATION_TYPES = ["pause", "resume", "rebuild", "module_apply"] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** The operations a tenant page's header offers; a bundle is applied from its Modules tab. */
export const WORKSPACE_ACTIONS = ["pause", "resume", "rebuild"] as const satisfies readonly OperationType[];
export type WorkspaceAction = (typeof WORKSPACE_ACTIONS)[number];

/** What the API names but a later part of the control plane will run. */
export const PLANNED_OPERATION_TYPES = ["upgrade_image", "decommission"] as const;

export const OPERATION_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const TRIGGER_SOURCES = ["ui", "api", "schedule"] as const;
export type TriggerSource = (typeof TRIGGER_SOURCES)[number];

export const OPERATION_STEPS = {
  close_workspace: "Close the workspace to its users and hold its jobs",
  verify_odoo: "Sign in to the workspace's Odoo with its service credential",
  reopen_workspace: "Open the workspace to its users again",
  starting: "Check the workspace's defaults (ICP template, settings)",
  creating_odoo: "Check the Odoo company or database, its modules and the integration user",
  configuring_oidc: "Check Odoo's SSO provider and the members' Odoo users",
  seeding: "Smoke-test the Odoo connection and the company's partner",
  install_modules: "Install the bundle's modules Odoo lacks, one at a time (Odoo adds their dependencies)",
  remove_modules: "Uninstall the modules the bundle dropped (Odoo also removes the modules that depend on them)",
  record_bundle: "Record the bundle version the workspace is on",
  restore_status: "Put the workspace back in the state it was in",
} as const;
export type OperationStep = keyof typeof OPERATION_STEPS;

/** Each operation's steps, in order. Every step is idempotent, so a re-run may repeat the one that failed. */
export const STEPS_OF: Record<OperationType, readonly OperationStep[]> = {
  pause: ["close_workspace"],
  resume: ["verify_odoo", "reopen_workspace"],
  rebuild: ["starting", "creating_odoo", "configuring_oidc", "seeding", "restore_status"],
  module_apply: ["install_modules", "remove_modules", "record_bundle", "restore_status"],
};

/** The tenant states an operation may start from; a failed operation leaves the tenant in `error`, from which it can be run again. */
const STARTS_FROM: Record<OperationType, readonly TenantStatus[]> = {
  pause: ["active", "error"],
  resume: ["paused", "error"],
  rebuild: ["active", "paused", "error"],
  module_apply: ["active", "paused", "error"],
};

export function mayStart(type: OperationType, status: string): boolean {
  return (STARTS_FROM[type] as readonly string[]).includes(status);
}

/** Why an operation cannot start now, in words for the operator; null when it can. */
export function refusalReason(type: OperationType, status: string): string | null {
  if (mayStart(type, status)) return null;
  const from = STARTS_FROM[type].join(" or ");
  return `A ${type} needs a workspace that is ${from}; this one is ${status}.`;
}

/** The steps still to run, given those already done (a re-run resumes where the last attempt stopped). */
export function remainingSteps(type: OperationType, done: readonly string[]): OperationStep[] {
  return STEPS_OF[type].filter((step) => !done.includes(step));
}

/** What an operation does to the workspace, for the confirmation the operator reads before starting it. */
export const OPERATION_IMPACTS: Record<OperationType, { title: string; impact: string }> = {
  pause: {
    title: "Pause this workspace?",
    impact:
      "Its users are signed out of the workspace: pages show that it is paused and the API answers 423. Nightly runs and data-lake syncs stop, and queued jobs wait. Nothing is deleted; resume to undo.",
  },
  resume: {
    title: "Resume this workspace?",
    impact:
      "The platform first checks that the workspace's Odoo answers, then lets its users back in. Nightly runs and syncs start again at their next schedule.",
  },
  rebuild: {
    title: "Rebuild this workspace?",
    impact:
      "Provisioning runs again against Odoo: the company or database, modules, integration user, SSO provider and members' Odoo users are checked and re-created where missing. Nothing that exists is created twice, and no data is removed. Users keep working meanwhile.",
  },
  module_apply: {
    title: "Apply this bundle?",
    impact:
      "Odoo installs the bundle's modules the workspace lacks (with their dependencies) and uninstalls the ones the bundle dropped, with the modules that depend on them and their data. Odoo reloads while it works, so its users may see a short interruption.",
  },
};

/** What an operator checks when a step fails, before re-running the operation (which resumes at that step). */
export const RUNBOOKS: Record<OperationStep, string[]> = {
  close_workspace: ["The platform database refused the change: check /readyz and the web and worker logs, then re-run."],
  verify_odoo: [
    "Odoo did not answer: check that ODOO_URL is reachable from the workers and Odoo is up, then re-run.",
    "Odoo refused the service credential: rotate it from the tenant's Overview (platform owner), then re-run.",
  ],
  reopen_workspace: ["The platform database refused the change: check /readyz and the logs, then re-run."],
  starting: ["The workspace's defaults could not be written: check the platform database and the worker log, then re-run."],
  creating_odoo: [
    "Odoo refused the platform's credentials: check ODOO_ADMIN_LOGIN / ODOO_ADMIN_PASSWORD (or ODOO_MASTER_PASSWORD for a database per tenant).",
    "A module could not be installed: install it by hand in Odoo's Apps and read Odoo's server log, then re-run.",
  ],
  configuring_oidc: [
    "The identity provider publishes no userinfo endpoint: configure it, then re-run.",
    "A member's email is the login of an Odoo user not linked to them: rename or link that user in Odoo, then re-run.",
  ],
  seeding: ["The integration user cannot sign in or read partners: check its groups in Odoo, rotate its credential, then re-run."],
  install_modules: [
    "Odoo refused a module: read the log line naming it, then Odoo's server log; fix the module (or drop it from the bundle), then re-run.",
    "Odoo timed out while installing: the install may still finish; re-run once Odoo answers, installed modules are skipped.",
  ],
  remove_modules: ["Odoo refused to uninstall a module: check in Odoo's Apps that nothing else needs it, then re-run."],
  record_bundle: ["The platform database refused the change: check /readyz and the logs, then re-run."],
  restore_status: ["The platform database refused the change: check /readyz and the logs, then re-run."],
};

/** Where an operator reads what to do when a step fails. */
export function runbookPath(step: string): string {
  return `/admin/runbooks#${step}`;
}

export type OperationLogLine = { at: string; level: "info" | "error"; step: string | null; message: string };
