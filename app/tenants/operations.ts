import { type TenantStatus } from "./lifecycle";

/**
 * The control plane's lifecycle operations: what each one does, step by step,
 * and when it may be asked for. Shared by the server that runs them and the
 * pages that offer and show them (browser-safe).
 */
export const OPERATION_TYPES = ["pause", "resume", "rebuild", "upgrade_image"] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** The operations the tenant page's header starts after a confirmation alone; an image upgrade needs its target, chosen in the Infra section. */
export const HEADER_OPERATION_TYPES = ["pause", "resume", "rebuild"] as const satisfies readonly OperationType[];
export type HeaderOperationType = (typeof HEADER_OPERATION_TYPES)[number];

/** What the API names but a later part of the control plane will run. */
export const PLANNED_OPERATION_TYPES = ["module_apply", "decommission"] as const;

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
  restore_status: "Put the workspace back in the state it was in",
  check_image_tested: "Check that the target template's Odoo image is a tested one",
  record_image: "Record the new template and Odoo image tag the workspace runs",
  verify_upgraded_odoo: "Sign in to Odoo after the upgrade; put the previous tag back if it does not answer",
} as const;
export type OperationStep = keyof typeof OPERATION_STEPS;

/** Each operation's steps, in order. Every step is idempotent, so a re-run may repeat the one that failed. */
export const STEPS_OF: Record<OperationType, readonly OperationStep[]> = {
  pause: ["close_workspace"],
  resume: ["verify_odoo", "reopen_workspace"],
  rebuild: ["starting", "creating_odoo", "configuring_oidc", "seeding", "restore_status"],
  upgrade_image: ["check_image_tested", "record_image", "verify_upgraded_odoo"],
};

/** The tenant states an operation may start from; a failed operation leaves the tenant in `error`, from which it can be run again. */
const STARTS_FROM: Record<OperationType, readonly TenantStatus[]> = {
  pause: ["active", "error"],
  resume: ["paused", "error"],
  rebuild: ["active", "paused", "error"],
  upgrade_image: ["active", "paused", "error"],
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
  upgrade_image: {
    title: "Upgrade this workspace's Odoo image?",
    impact:
      "The workspace moves to the chosen template version: its deployment artifacts carry the new, tested Odoo image tag from now on. The platform then checks that Odoo answers; if it does not, the previous tag is put back and the operation fails.",
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
  restore_status: ["The platform database refused the change: check /readyz and the logs, then re-run."],
  check_image_tested: [
    "The target template is not marked tested (or was deleted): test the image, mark the template tested on /admin/infra/templates, then re-run.",
  ],
  record_image: ["The platform database refused the change: check /readyz and the logs, then re-run."],
  verify_upgraded_odoo: [
    "Odoo did not answer on the new image and the previous tag was put back: roll the deployment back to it (Helm or compose from the Infra tab), read Odoo's server log, then propose the upgrade again.",
  ],
};

/** Where an operator reads what to do when a step fails. */
export function runbookPath(step: string): string {
  return `/admin/runbooks#${step}`;
}

export type OperationLogLine = { at: string; level: "info" | "error"; step: string | null; message: string };
