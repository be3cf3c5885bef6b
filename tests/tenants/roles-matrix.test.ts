import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tenant } from "~/generated/prisma/client";
import { appRequest, invoke } from "../support/app-requests";
import { expectErrorLogs } from "../support/error-logs";
import { mintToken, startStandIns, type StandIns } from "../support/platform";
import { memberCookie } from "../support/workspace-users";

/**
 * The control plane's roles matrix: platform_owner everything;
 * platform_operator views and runs operations but neither creates nor deletes
 * tenants nor touches billing; finance_owner billing only; a tenant admin no
 * control plane at all, and the tenant portal is the tenant admin's alone
 * (platform staff, who belong to no workspace, are sent to the control
 * plane). Every page, action and API below is walked for every
 * role, by session cookie and by bearer token; a later slice adds its rows.
 */
let standIns: StandIns;
let tenant: Tenant;
let fileId: string;
let rolloutId: string;
let invoiceId: string;
const cookies: Record<string, string> = {};
const tokens: Record<string, string> = {};

const ROLES = ["platform_owner", "platform_operator", "finance_owner", "tenant_admin"] as const;
type Role = (typeof ROLES)[number];

/** What each role gets: "ok" (the work is done), 403, or a redirect elsewhere in the control plane. */
type Outcome = "ok" | 403 | "to billing" | "to admin";

type Row = {
  name: string;
  route: () => Promise<{ loader?: unknown; action?: unknown }>;
  method: "GET" | "POST";
  path: () => string;
  params?: () => Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  /** Pages are walked by session only; /api rows by session and bearer token. */
  expected: Record<Role, Outcome>;
};

const everyone = (outcome: Outcome): Record<Role, Outcome> => ({
  platform_owner: outcome,
  platform_operator: outcome,
  finance_owner: outcome,
  tenant_admin: outcome,
});
const operations: Record<Role, Outcome> = { platform_owner: "ok", platform_operator: "ok", finance_owner: 403, tenant_admin: 403 };
const ownerOnly: Record<Role, Outcome> = { ...everyone(403), platform_owner: "ok" };
const billing: Record<Role, Outcome> = { platform_owner: "ok", platform_operator: 403, finance_owner: "ok", tenant_admin: 403 };
const portal: Record<Role, Outcome> = { ...everyone("to admin"), tenant_admin: "ok" };
const billingView: Record<Role, Outcome> = { ...billing, platform_operator: "ok" };
const NO_REQUEST = "00000000-0000-4000-8000-000000000000";

const id = () => ({ id: tenant.id });
const MATRIX: Row[] = [
  // platform_dashboard
  {
    name: "GET /admin",
    route: () => import("~/routes/admin+/_index"),
    method: "GET",
    path: () => "/admin",
    expected: { ...operations, finance_owner: "to billing" },
  },
  // tenants_list
  { name: "GET /admin/tenants", route: () => import("~/routes/admin+/tenants._index"), method: "GET", path: () => "/admin/tenants", expected: operations },
  { name: "GET /admin/runbooks", route: () => import("~/routes/admin+/runbooks"), method: "GET", path: () => "/admin/runbooks", expected: operations },
  // tenant_detail and its actions
  {
    name: "GET /admin/tenants/:id",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    expected: operations,
  },
  {
    name: "GET /admin/tenants/:id?tab=logs",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}?tab=logs`,
    params: id,
    expected: operations,
  },
  ...(["rebuild", "verify"] as const).map((intent): Row => ({
    name: `POST /admin/tenants/:id ${intent}`,
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    form: { intent },
    expected: operations,
  })),
  {
    name: "POST /admin/tenants/:id rotate",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    form: { intent: "rotate" },
    expected: ownerOnly,
  },
  // sso_config: the tenant's SSO tab (owners edit, operators view and test) and every tenant's providers
  {
    name: "GET /admin/tenants/:id/sso",
    route: () => import("~/routes/admin+/tenants.$id_.sso"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}/sso`,
    params: id,
    expected: operations,
  },
  ...(["save", "remove"] as const).map((intent): Row => ({
    name: `POST /admin/tenants/:id/sso ${intent}`,
    route: () => import("~/routes/admin+/tenants.$id_.sso"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}/sso`,
    params: id,
    form: { intent },
    expected: ownerOnly,
  })),
  {
    name: "POST /admin/tenants/:id/sso test",
    route: () => import("~/routes/admin+/tenants.$id_.sso"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}/sso`,
    params: id,
    form: { intent: "test" },
    expected: operations,
  },
  {
    name: "GET /admin/integrations/sso",
    route: () => import("~/routes/admin+/integrations.sso"),
    method: "GET",
    path: () => "/admin/integrations/sso",
    expected: operations,
  },
  // support_center: every signed-in user
  { name: "GET /support", route: () => import("~/routes/support"), method: "GET", path: () => "/support", expected: everyone("ok") },
  // tenant_create (the wizard) and the lifecycle's files, decommission and backups
  { name: "GET /admin/tenants/new", route: () => import("~/routes/admin+/tenants.new"), method: "GET", path: () => "/admin/tenants/new", expected: ownerOnly },
  {
    name: "POST /admin/tenants/new next",
    route: () => import("~/routes/admin+/tenants.new"),
    method: "POST",
    path: () => "/admin/tenants/new",
    // An answer the step refuses: the owner gets the form back with its errors, nothing is saved.
    form: { intent: "next", step: "identity", name: "" },
    expected: ownerOnly,
  },
  {
    name: "POST /admin/tenants/:id decommission",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    // The wrong slug: the owner is let through to the confirmation's check, which keeps the tenant.
    form: { intent: "decommission", confirmSlug: "not-the-slug" },
    expected: ownerOnly,
  },
  {
    name: "POST /admin/tenants/:id cancel_decommission",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    // Nothing to cancel: the owner is let through to the refusal's message.
    form: { intent: "cancel_decommission" },
    expected: ownerOnly,
  },
  {
    name: "POST /admin/tenants/:id backup",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    form: { intent: "backup" },
    expected: operations,
  },
  {
    name: "GET /admin/tenants/:id/files/:fileId",
    route: () => import("~/routes/admin+/tenants.$id_.files.$fileId"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}/files/${fileId}`,
    params: () => ({ id: tenant.id, fileId }),
    expected: operations,
  },
  {
    name: "GET /admin/tenants/:id?tab=modules",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}?tab=modules`,
    params: id,
    expected: operations,
  },
  {
    name: "POST /admin/tenants/:id apply_bundle",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    form: { intent: "apply_bundle", bundle: "sales-core" },
    expected: operations,
  },
  // module_catalog: operators view it and run rollouts; only owners create or edit bundles
  { name: "GET /admin/catalog", route: () => import("~/routes/admin+/catalog"), method: "GET", path: () => "/admin/catalog", expected: operations },
  ...(["refresh", "rollout"] as const).map((intent): Row => ({
    name: `POST /admin/catalog ${intent}`,
    route: () => import("~/routes/admin+/catalog"),
    method: "POST",
    path: () => "/admin/catalog",
    form: { intent },
    expected: operations,
  })),
  {
    name: "POST /admin/catalog save",
    route: () => import("~/routes/admin+/catalog"),
    method: "POST",
    path: () => "/admin/catalog",
    // Refused by the form's rules once the role is let through (no module chosen): the answer is the form again.
    form: { intent: "save", code: "matrix-bundle", name: "Matrix", type: "addon" },
    expected: ownerOnly,
  },
  {
    name: "GET /admin/catalog/rollouts/:id",
    route: () => import("~/routes/admin+/catalog_.rollouts.$id"),
    method: "GET",
    path: () => `/admin/catalog/rollouts/${rolloutId}`,
    params: () => ({ id: rolloutId }),
    expected: operations,
  },
  {
    name: "POST /admin/catalog/rollouts/:id rollback",
    route: () => import("~/routes/admin+/catalog_.rollouts.$id"),
    method: "POST",
    path: () => `/admin/catalog/rollouts/${rolloutId}`,
    params: () => ({ id: rolloutId }),
    expected: operations,
  },
  // billing_overview
  { name: "GET /admin/billing", route: () => import("~/routes/admin+/billing"), method: "GET", path: () => "/admin/billing", expected: billing },
  {
    name: "POST /admin/billing draft_month",
    route: () => import("~/routes/admin+/billing"),
    method: "POST",
    path: () => "/admin/billing",
    // Not a month: the form's message once let through.
    form: { intent: "draft_month", month: "soon" },
    expected: billing,
  },
  ...(["approve", "reject"] as const).map((intent): Row => ({
    name: `POST /admin/billing ${intent}`,
    route: () => import("~/routes/admin+/billing"),
    method: "POST",
    path: () => "/admin/billing",
    // No such request: the owner gets the refusal's message.
    form: { intent, tenantId: NO_REQUEST, requestId: NO_REQUEST },
    expected: ownerOnly,
  })),
  {
    name: "GET /admin/billing/tenants/:id",
    route: () => import("~/routes/admin+/billing_.tenants.$id"),
    method: "GET",
    path: () => `/admin/billing/tenants/${tenant.id}`,
    params: id,
    expected: billingView,
  },
  {
    name: "GET /admin/tenants/:id?tab=billing",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}?tab=billing`,
    params: id,
    expected: operations,
  },
  ...(
    [
      // Finance and owners draft and propose (refused here by the form's rules: nothing stored).
      [{ intent: "draft", month: "soon" }, billing],
      [{ intent: "propose", toPlan: "", reason: "" }, billing],
      // Owners alone change a plan at once or decide a proposal (the matrix tenant is already on trial; no such request).
      [{ intent: "change_now", toPlan: "trial", reason: "roles matrix" }, ownerOnly],
      [{ intent: "approve", requestId: NO_REQUEST }, ownerOnly],
    ] as const
  ).map(([form, expected]): Row => ({
    name: `POST /admin/billing/tenants/:id ${form.intent}`,
    route: () => import("~/routes/admin+/billing_.tenants.$id"),
    method: "POST",
    path: () => `/admin/billing/tenants/${tenant.id}`,
    params: id,
    form,
    expected,
  })),
  {
    name: "GET /admin/billing/invoices/:tenantId/:invoiceId",
    route: () => import("~/routes/admin+/billing_.invoices.$tenantId.$invoiceId"),
    method: "GET",
    path: () => `/admin/billing/invoices/${tenant.id}/${invoiceId}`,
    params: () => ({ tenantId: tenant.id, invoiceId }),
    expected: billing,
  },
  {
    name: "GET /admin/billing/invoices/:tenantId/:invoiceId/csv",
    route: () => import("~/routes/admin+/billing_.invoices.$tenantId.$invoiceId_.csv"),
    method: "GET",
    path: () => `/admin/billing/invoices/${tenant.id}/${invoiceId}/csv`,
    params: () => ({ tenantId: tenant.id, invoiceId }),
    expected: billing,
  },
  ...(["pay", "void"] as const).map((intent): Row => ({
    name: `POST /admin/billing/invoices/:tenantId/:invoiceId ${intent}`,
    route: () => import("~/routes/admin+/billing_.invoices.$tenantId.$invoiceId"),
    method: "POST",
    path: () => `/admin/billing/invoices/${tenant.id}/${invoiceId}`,
    params: () => ({ tenantId: tenant.id, invoiceId }),
    // Without a reference or a reason: the owner gets the form's message, the invoice stays issued.
    form: { intent },
    expected: ownerOnly,
  })),
  {
    name: "GET /api/tenants/:id/billing",
    route: () => import("~/routes/api+/tenants.$id.billing"),
    method: "GET",
    path: () => `/api/tenants/${tenant.id}/billing`,
    params: id,
    expected: billingView,
  },
  // tenant_portal: the tenant admin's pages and actions (a form the action refuses, or no provider to change: let through, nothing saved)
  ...(
    [
      ["/app/portal", () => import("~/routes/app+/portal")],
      ["/app/portal", () => import("~/routes/app+/portal._index")],
      ["/app/portal/modules", () => import("~/routes/app+/portal.modules")],
      ["/app/portal/sso", () => import("~/routes/app+/portal.sso")],
      ["/app/portal/support", () => import("~/routes/app+/portal.support")],
      ["/app/portal/billing", () => import("~/routes/app+/portal.billing")],
    ] as const
  ).map(([path, route], i): Row => ({ name: `GET ${path}${i === 0 ? " (layout)" : ""}`, route, method: "GET", path: () => path, expected: portal })),
  ...(
    [
      ["", () => import("~/routes/app+/portal.billing_.$invoiceId")],
      ["/csv", () => import("~/routes/app+/portal.billing_.$invoiceId_.csv")],
    ] as const
  ).map(([suffix, route]): Row => ({
    name: `GET /app/portal/billing/:invoiceId${suffix}`,
    route,
    method: "GET",
    path: () => `/app/portal/billing/${invoiceId}${suffix}`,
    params: () => ({ invoiceId }),
    expected: portal,
  })),
  {
    name: "POST /app/portal/sso",
    route: () => import("~/routes/app+/portal.sso"),
    method: "POST",
    path: () => "/app/portal/sso",
    form: { emailDomains: "", rolesClaim: "roles", roleMapping: "Matrix.Admin = admin" },
    expected: portal,
  },
  {
    name: "POST /app/portal/support",
    route: () => import("~/routes/app+/portal.support"),
    method: "POST",
    path: () => "/app/portal/support",
    form: { subject: "", category: "other", severity: "low", body: "" },
    expected: portal,
  },
  // support_center's queue: the operators handle every tenant's requests
  {
    name: "GET /admin/support-requests",
    route: () => import("~/routes/admin+/support-requests"),
    method: "GET",
    path: () => "/admin/support-requests",
    expected: operations,
  },
  {
    name: "POST /admin/support-requests",
    route: () => import("~/routes/admin+/support-requests"),
    method: "POST",
    path: () => "/admin/support-requests",
    // No such request: let through, nothing changed.
    form: { requestId: "00000000-0000-4000-8000-000000000000", tenantId: "00000000-0000-4000-8000-000000000000", status: "in_progress" },
    expected: operations,
  },
  // API (seed §5.2)
  { name: "GET /api/tenants", route: () => import("~/routes/api+/tenants._index"), method: "GET", path: () => "/api/tenants?limit=5", expected: operations },
  {
    name: "GET /api/tenants/:id/logs",
    route: () => import("~/routes/api+/tenants.$id.logs"),
    method: "GET",
    path: () => `/api/tenants/${tenant.id}/logs`,
    params: id,
    expected: operations,
  },
  {
    name: "GET /api/operations/recent",
    route: () => import("~/routes/api+/operations.recent"),
    method: "GET",
    path: () => "/api/operations/recent",
    expected: operations,
  },
  {
    name: "POST /api/tenants/:id/operations",
    route: () => import("~/routes/api+/tenants.$id.operations"),
    method: "POST",
    path: () => `/api/tenants/${tenant.id}/operations`,
    params: id,
    json: { type: "rebuild" },
    expected: operations,
  },
  {
    name: "POST /api/tenants/:id/operations decommission",
    route: () => import("~/routes/api+/tenants.$id.operations"),
    method: "POST",
    path: () => `/api/tenants/${tenant.id}/operations`,
    params: id,
    // The rebuild above is still queued, so the owner's decommission waits (409): let through, nothing deleted.
    json: { type: "decommission" },
    expected: ownerOnly,
  },
  {
    name: "POST /api/tenants",
    route: () => import("~/routes/api+/tenants._index"),
    method: "POST",
    path: () => "/api/tenants",
    // The owner's second call (by bearer) finds the slug taken: 409, let through.
    json: {
      name: "Matrix Two",
      slug: "matrix-two",
      plan: "trial",
      bundle: "sales-core",
      region: "sg-1",
      odoo_mode: "shared_db",
      size_profile: "small",
      sso_mode: "platform",
    },
    expected: ownerOnly,
  },
  {
    name: "GET /api/catalog/modules",
    route: () => import("~/routes/api+/catalog.modules"),
    method: "GET",
    path: () => "/api/catalog/modules",
    expected: operations,
  },
  {
    name: "POST /api/catalog/modules",
    route: () => import("~/routes/api+/catalog.modules"),
    method: "POST",
    path: () => "/api/catalog/modules",
    json: {},
    expected: operations,
  },
  {
    name: "GET /api/catalog/bundles",
    route: () => import("~/routes/api+/catalog.bundles"),
    method: "GET",
    path: () => "/api/catalog/bundles",
    expected: operations,
  },
  {
    name: "POST /api/catalog/bundles",
    route: () => import("~/routes/api+/catalog.bundles"),
    method: "POST",
    path: () => "/api/catalog/bundles",
    json: { code: "matrix-api", name: "Matrix API", type: "addon", modules: ["crm"] },
    expected: ownerOnly,
  },
  // tenant_detail's Infra: the generated deployment artifacts
  {
    name: "GET /admin/tenants/:id/infra/helm-values.yaml",
    route: () => import("~/routes/admin+/tenants.$id_.infra.$file"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}/infra/helm-values.yaml`,
    params: () => ({ id: tenant.id, file: "helm-values.yaml" }),
    expected: operations,
  },
  {
    name: "GET /admin/tenants/:id?tab=infra",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}?tab=infra`,
    params: id,
    expected: operations,
  },
  {
    name: "POST /admin/tenants/:id upgrade_image",
    route: () => import("~/routes/admin+/tenants.$id"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}`,
    params: id,
    // No such template: let through, the refusal is the form's message and nothing is queued.
    form: { intent: "upgrade_image", templateId: "00000000-0000-4000-8000-000000000000" },
    expected: operations,
  },
  // infra_templates: operators read them; only owners save versions and mark them tested
  {
    name: "GET /admin/infra/templates",
    route: () => import("~/routes/admin+/infra.templates"),
    method: "GET",
    path: () => "/admin/infra/templates",
    expected: operations,
  },
  {
    name: "POST /admin/infra/templates save",
    route: () => import("~/routes/admin+/infra.templates"),
    method: "POST",
    path: () => "/admin/infra/templates",
    // Refused by the form's rules once the role is let through (no images): the answer is the form again.
    form: { intent: "save", name: "matrix-template", sizeProfile: "small" },
    expected: ownerOnly,
  },
  {
    name: "POST /admin/infra/templates tested",
    route: () => import("~/routes/admin+/infra.templates"),
    method: "POST",
    path: () => "/admin/infra/templates",
    form: { intent: "tested", id: "00000000-0000-4000-8000-000000000000", tested: "true" },
    expected: ownerOnly,
  },
  // infra_templates' warm pool: owners and operators watch it and pull its levers; finance does not
  {
    name: "GET /admin/infra/warm-pool",
    route: () => import("~/routes/admin+/infra.warm-pool"),
    method: "GET",
    path: () => "/admin/infra/warm-pool",
    expected: operations,
  },
  ...(
    [
      // The matrix runs with the pool off: the refill is let through and answered "nothing to refill".
      { intent: "refill" },
      // No such copy, no stale copy: let through, nothing dropped or reclaimed.
      { intent: "discard", dbName: "nexius_warm_matrix" },
      { intent: "reclaim" },
    ] as const
  ).map((form): Row => ({
    name: `POST /admin/infra/warm-pool ${form.intent}`,
    route: () => import("~/routes/admin+/infra.warm-pool"),
    method: "POST",
    path: () => "/admin/infra/warm-pool",
    form,
    expected: operations,
  })),
  // automation_center: event webhooks
  {
    name: "GET /admin/integrations/webhooks",
    route: () => import("~/routes/admin+/integrations.webhooks"),
    method: "GET",
    path: () => "/admin/integrations/webhooks",
    expected: ownerOnly,
  },
  {
    name: "POST /admin/integrations/webhooks toggle-endpoint",
    route: () => import("~/routes/admin+/integrations.webhooks"),
    method: "POST",
    path: () => "/admin/integrations/webhooks",
    form: { intent: "toggle-endpoint", endpointId: "00000000-0000-4000-8000-000000000000", enabled: "false" },
    expected: ownerOnly,
  },
  // analytics_hub (seed 004 §2): owners, operators and finance see a tenant's BI login; owners alone change it
  {
    name: "GET /admin/tenants/:id/analytics",
    route: () => import("~/routes/admin+/tenants.$id_.analytics"),
    method: "GET",
    path: () => `/admin/tenants/${tenant.id}/analytics`,
    params: id,
    expected: { ...everyone("ok"), tenant_admin: 403 },
  },
  {
    name: "GET /admin/integrations/analytics",
    route: () => import("~/routes/admin+/integrations.analytics"),
    method: "GET",
    path: () => "/admin/integrations/analytics",
    expected: { ...everyone("ok"), tenant_admin: 403 },
  },
  // In this order, so the owner's walk ends with the login it created dropped again.
  ...(
    [{ intent: "dashboard", biDashboardUrl: "https://bi.example.test/dashboard/1" }, { intent: "enable" }, { intent: "rotate" }, { intent: "revoke" }] as const
  ).map((form): Row => ({
    name: `POST /admin/tenants/:id/analytics ${form.intent}`,
    route: () => import("~/routes/admin+/tenants.$id_.analytics"),
    method: "POST",
    path: () => `/admin/tenants/${tenant.id}/analytics`,
    params: id,
    form,
    expected: ownerOnly,
  })),
];

beforeAll(async () => {
  standIns = await startStandIns();
  const { platformDb } = await import("~/db.server");
  tenant = await platformDb.tenant.create({
    data: { slug: "matrix", name: "Matrix", status: "active", onboardingStatus: { create: { status: "ready", phase: "ready" } } },
  });
  const file = await platformDb.tenantFile.create({
    data: { tenantId: tenant.id, kind: "backup", filename: "matrix.zip", contentType: "application/zip", content: new Uint8Array([80, 75]), sizeBytes: 2 },
  });
  fileId = file.id;
  // A stopped rollout of the bundle's first version: its rollback is refused (409) once the role is let through.
  rolloutId = (
    await platformDb.bundleRollout.create({
      data: {
        bundleCode: "sales-core",
        version: 1,
        canaryTenantId: tenant.id,
        batchSize: 1,
        status: "stopped",
        tenants: { create: [{ tenantId: tenant.id, wave: 0, state: "failed" }] },
      },
    })
  ).id;
  // An issued invoice of the matrix tenant, for its pages, its CSV and the portal.
  const { draftMonthlyInvoice, issueInvoice } = await import("~/billing/invoices.server");
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  invoiceId = (await draftMonthlyInvoice(tenant.id, month, null)).id;
  await issueInvoice(tenant.id, invoiceId, { sub: "matrix-setup", email: null });
  for (const role of ROLES) {
    const roles = role === "tenant_admin" ? ["admin"] : [role];
    const tenantId = role === "tenant_admin" ? tenant.id : null;
    cookies[role] = (await memberCookie(role, roles, tenantId)).cookie;
    tokens[role] = await mintToken(standIns.idp, { sub: `${role}-sub`, email: `${role}@example.test`, roles, ...(tenantId ? { tenant_id: "matrix" } : {}) });
  }
});

afterAll(async () => {
  await standIns?.stop();
});

async function outcomeOf(row: Row, role: Role, via: "session" | "bearer"): Promise<Outcome | number> {
  const module = await row.route();
  const fn = (row.method === "GET" ? module.loader : module.action) as (args: never) => unknown;
  const auth = via === "session" ? { cookie: cookies[role] } : { token: tokens[role] };
  const request = row.json
    ? new Request(new URL(row.path(), "http://localhost:3999"), {
        method: "POST",
        headers: { "content-type": "application/json", ...(via === "session" ? { cookie: cookies[role]! } : { authorization: `Bearer ${tokens[role]}` }) },
        body: JSON.stringify(row.json),
      })
    : appRequest(row.path(), { method: row.method, form: row.form, ...auth });
  const response = await invoke(fn, request, row.params?.() ?? {});
  if (response.status === 302 && response.headers.get("location") === "/admin/billing") return "to billing";
  if (response.status === 302 && response.headers.get("location") === "/admin") return "to admin";
  if (response.status === 403) return 403;
  // A lifecycle operation already under way answers 409: the role was let through.
  if (response.status < 300 || response.status === 409) return "ok";
  return response.status;
}

describe("the control plane's roles matrix", () => {
  it.each(ROLES)("%s gets exactly what the matrix allows on every page, action and API", async (role) => {
    // The matrix's tenant has no Odoo yet: the owner's rotation is let through and fails on that.
    if (role === "platform_owner") expectErrorLogs(/rotation failed/);
    const got: Record<string, Outcome | number> = {};
    const want: Record<string, Outcome> = {};
    for (const row of MATRIX) {
      got[row.name] = await outcomeOf(row, role, "session");
      want[row.name] = row.expected[role];
      if (row.name.includes("/api/")) {
        got[`${row.name} (bearer)`] = await outcomeOf(row, role, "bearer");
        want[`${row.name} (bearer)`] = row.expected[role];
      }
    }
    expect(got).toEqual(want);
  });
});
