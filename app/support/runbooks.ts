import { type OperationStep } from "~/tenants/operations";

/**
 * The runbooks: what to check when something the platform runs fails, one
 * module that /support (every signed-in user) and /admin/runbooks (the
 * operators) both read. Failed operations link to their step's entry.
 * Browser-safe.
 */
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
  check_image_tested: [
    "The target template is not marked tested (or was deleted): test the image, mark the template tested on /admin/infra/templates, then re-run.",
  ],
  record_image: ["The platform database refused the change: check /readyz and the logs, then re-run."],
  verify_upgraded_odoo: [
    "Odoo did not answer on the new image and the previous tag was put back: roll the deployment back to it (Helm or compose from the Infra tab), read Odoo's server log, then propose the upgrade again.",
  ],
  activate: ["The platform database refused the change: check /readyz and the logs, then re-run."],
  export_data: [
    "Odoo did not answer the dump or the company read: check that Odoo is up and ODOO_MASTER_PASSWORD is right, then re-run.",
    "The platform database refused a read: check /readyz and the worker log, then re-run.",
  ],
  await_grace_period: ["Nothing to do: the step waits by itself and the job runs again when the grace period ends."],
  remove_odoo: [
    "Odoo refused to drop the database: check ODOO_MASTER_PASSWORD and that no session holds it open, then re-run.",
    "Odoo refused to archive the company: check ODOO_ADMIN_LOGIN / ODOO_ADMIN_PASSWORD, then re-run.",
  ],
  purge_rows: [
    "A row could not be deleted (a new table referencing a tenant table?): read the worker log for the constraint, then re-run; nothing was deleted.",
  ],
  write_receipt: ["The platform database refused the change: check /readyz and the logs, then re-run."],
  dump_odoo: ["Odoo refused the dump: check ODOO_MASTER_PASSWORD and that database management is enabled (list_db), then re-run."],
  restore_odoo: [
    "Odoo refused the restore: check ODOO_MASTER_PASSWORD and the Odoo server log (disk space, Postgres version), then re-run: the restore starts again from the backup.",
  ],
};

/** Where anyone reads what to do when a step fails: /support, open to every signed-in user. */
export function runbookPath(step: string): string {
  return `/support#${step}`;
}

/** Why a sign-in through a tenant's own identity provider fails, and what fixes it. */
export const SIGN_IN_RUNBOOKS = {
  sso_redirect_uri: {
    title: "The provider says the redirect URI does not match (AADSTS50011)",
    lines: ["Register the redirect URI shown on the tenant's SSO tab for the client, exactly (scheme, host, path), as a Web platform redirect."],
  },
  sso_unknown_directory: {
    title: "“Your Microsoft organisation is not connected to a workspace”",
    lines: [
      "Sign in with Microsoft found no workspace for the token's directory (tid): a platform owner adds an Entra provider with that directory id on the tenant's SSO tab.",
      "Someone signing in with an account of another directory than their workspace's is refused on purpose: they sign in with their organisation's account.",
    ],
  },
  sso_no_role: {
    title: "“Your account has no role in this workspace”",
    lines: [
      "None of the token's app roles or groups is in the provider's role mapping: assign the person an app role in Entra (Enterprise applications → Users and groups), or add the value to the mapping.",
      "A test login on the SSO tab shows the values that came back and the roles they map to.",
    ],
  },
  sso_token_rejected: {
    title: "“The sign-in token was not accepted”",
    lines: [
      "wrong_issuer: the issuer on the SSO tab must be exactly the one of the provider's discovery document (for Entra, the directory id and login host).",
      "wrong_audience: the client id on the SSO tab is not the one the provider issued the token to.",
      "expired or not_yet_valid: check the clocks of the provider and of the web servers.",
    ],
  },
} as const;
