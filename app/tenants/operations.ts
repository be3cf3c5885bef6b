import { type TenantStatus } from "./lifecycle";

/**
 * The control plane's lifecycle operations: what each one does, step by step,
 * and when it may be asked for. Shared by the server that runs them and the
 * pages that offer and show them (browser-safe).
 */
export const OPERATION_TYPES = ["create", "pause", "resume", "rebuild", "module_apply", "decommission", "backup", "restore", "upgrade_image"] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** The operations a tenant page's header offers (create comes from the wizard, a bundle from the Modules tab, the others from their own sections). */
export const WORKSPACE_ACTIONS = ["pause", "resume", "rebuild"] as const satisfies readonly OperationType[];
export type WorkspaceAction = (typeof WORKSPACE_ACTIONS)[number];

/** What only a platform owner may start: it creates or deletes a workspace. */
export const OWNER_OPERATION_TYPES: readonly OperationType[] = ["create", "decommission"];

export const OPERATION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
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
  activate: "Open the new workspace to its users",
  export_data: "Export the workspace's tables and its Odoo data into a downloadable archive",
  await_grace_period: "Wait for the grace period to end (the export stays downloadable)",
  remove_odoo: "Drop the workspace's Odoo database, or archive its Odoo company",
  purge_rows: "Delete the workspace's rows from every tenant table (billing records stay)",
  write_receipt: "Write the deletion receipt and mark the workspace decommissioned",
  dump_odoo: "Back up the workspace's Odoo database (zip with its filestore)",
  restore_odoo: "Replace the workspace's Odoo database with the chosen backup",
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
  create: ["starting", "creating_odoo", "configuring_oidc", "seeding", "activate"],
  decommission: ["export_data", "await_grace_period", "remove_odoo", "purge_rows", "write_receipt"],
  backup: ["dump_odoo"],
  restore: ["restore_odoo"],
  module_apply: ["install_modules", "remove_modules", "record_bundle", "restore_status"],
  upgrade_image: ["check_image_tested", "record_image", "verify_upgraded_odoo"],
};

/** The tenant states an operation may start from; a failed operation leaves the tenant in `error`, from which it can be run again. */
const STARTS_FROM: Record<OperationType, readonly TenantStatus[]> = {
  pause: ["active", "error"],
  resume: ["paused", "error"],
  rebuild: ["active", "paused", "error"],
  create: ["provisioning"],
  decommission: ["active", "paused", "error"],
  backup: ["active", "paused"],
  restore: ["active", "paused", "error"],
  module_apply: ["active", "paused", "error"],
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
  create: {
    title: "Create this workspace?",
    impact: "The workspace is provisioned in Odoo (company or database, modules, integration user, SSO) and opens to its users when every step is done.",
  },
  decommission: {
    title: "Decommission this workspace?",
    impact:
      "Its users are shut out and its jobs stop at once, and its data is exported into a downloadable archive (every table as CSV, plus its Odoo database or company records). After the grace period the deletion is irreversible: its Odoo database is dropped (or its Odoo company archived), its rows are deleted from every tenant table, and only billing records, the operations' history, the export and a deletion receipt remain.",
  },
  backup: {
    title: "Back up this workspace's Odoo?",
    impact: "Odoo dumps the workspace's database with its filestore into a zip the platform keeps. Users keep working meanwhile.",
  },
  restore: {
    title: "Restore this backup?",
    impact:
      "The workspace's Odoo database is dropped and replaced by the backup: everything changed in Odoo since the backup was taken is lost. Odoo is unavailable to its users for the few seconds this takes.",
  },
  module_apply: {
    title: "Apply this bundle?",
    impact:
      "Odoo installs the bundle's modules the workspace lacks (with their dependencies) and uninstalls the ones the bundle dropped, with the modules that depend on them and their data. Odoo reloads while it works, so its users may see a short interruption.",
  },
  upgrade_image: {
    title: "Upgrade this workspace's Odoo image?",
    impact:
      "The workspace moves to the chosen template version: its deployment artifacts carry the new, tested Odoo image tag from now on. The platform then checks that Odoo answers; if it does not, the previous tag is put back and the operation fails.",
  },
};

export type OperationLogLine = { at: string; level: "info" | "error"; step: string | null; message: string };

/** The job key of an operation's job: one job per operation, whoever asks for it. */
export function operationJobKey(operationId: string): string {
  return `operation:${operationId}`;
}
