import { CRM_MODELS, installCrmData, installMailData } from "./crm-models";
import { integrityError, userError, validationError } from "./errors";
import { mailBlacklist } from "./mail-blacklist";
import { envCompany, model, SUPERUSER_ID, type ModelDef } from "./model-kit";
import { irModuleModule, irModuleModuleDependency, seedModules, type ModuleManifest } from "./modules";
import { type Env, type Rec, type SimDatabase } from "./orm";

export { SUPERUSER_ID };
export type { FieldDef, FieldType, MethodDef, ModelDef } from "./model-kit";

/**
 * The part of Odoo 17/18 the platform touches: the models, their fields
 * (as odoo/addons/base/models/res_partner.py, res_users.py and res_company.py
 * define them), access rights per group, record rules, SQL
 * constraints and the side effects of create/write that callers depend on.
 */

const ADDRESS_FIELDS = ["street", "street2", "zip", "city", "state_id", "country_id"] as const;
const COMMERCIAL_FIELDS = ["vat", "company_registry"] as const;

/** res.partner `_clean_website`: a website without a scheme gets `http://`. */
export function cleanWebsite(website: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(website)) return website;
  if (website.startsWith("//")) return `http:${website}`;
  return `http://${website}`;
}

function partnerChildrenSync(env: Env, rec: Rec, vals: Record<string, unknown>): void {
  const db = env.db;
  // 1. from upstream: a contact takes its company's address and commercial fields
  if (("parent_id" in vals && vals.parent_id) || vals.type === "contact") {
    const parent = rec.parent_id ? db.get("res.partner", rec.parent_id as number) : undefined;
    if (parent) {
      if ("parent_id" in vals) for (const f of COMMERCIAL_FIELDS) rec[f] = commercialPartner(db, parent)[f] ?? false;
      if (rec.type === "contact" && ADDRESS_FIELDS.some((f) => parent[f])) for (const f of ADDRESS_FIELDS) rec[f] = parent[f] ?? false;
    }
  }
  // 2. downstream: children follow their parent's address and commercial fields
  const addressChanged = ADDRESS_FIELDS.some((f) => f in vals);
  const commercialChanged = COMMERCIAL_FIELDS.some((f) => f in vals);
  if (!addressChanged && !commercialChanged) return;
  for (const child of Object.values(db.table("res.partner"))) {
    if (child.parent_id !== rec.id) continue;
    if (commercialChanged) for (const f of COMMERCIAL_FIELDS) child[f] = rec[f] ?? false;
    if (addressChanged && child.type === "contact") for (const f of ADDRESS_FIELDS) child[f] = rec[f] ?? false;
    partnerChildrenSync(env, child, Object.fromEntries([...ADDRESS_FIELDS, ...COMMERCIAL_FIELDS].map((f) => [f, child[f]])));
  }
}

function commercialPartner(db: SimDatabase, rec: Rec): Rec {
  let current = rec;
  while (!current.is_company && current.parent_id) {
    const parent = db.get("res.partner", current.parent_id as number);
    if (!parent) break;
    current = parent;
  }
  return current;
}

function uniqueBy(env: Env, model: string, recs: Rec[], key: (r: Rec) => unknown, message: string): void {
  const table = Object.values(env.db.table(model));
  for (const rec of recs) {
    const k = key(rec);
    if (k === undefined || k === null || k === false) continue;
    if (table.some((other) => other.id !== rec.id && JSON.stringify(key(other)) === JSON.stringify(k))) {
      throw integrityError(message);
    }
  }
}

// ------------------------------------------------------------------ models

const resPartner = model({
  name: "res.partner",
  description: "Contact",
  module: "base",
  order: "complete_name asc, id desc",
  fields: {
    name: { type: "char", string: "Name" },
    complete_name: { type: "char", string: "Complete Name", compute: (db, rec) => db.displayName("res.partner", rec) },
    is_company: { type: "boolean", string: "Is a Company", default: () => false },
    parent_id: { type: "many2one", string: "Related Company", relation: "res.partner" },
    child_ids: { type: "one2many", string: "Contact", relation: "res.partner", inverse: "parent_id" },
    type: {
      type: "selection",
      string: "Address Type",
      selection: ["contact", "invoice", "delivery", "other"],
      default: () => "contact",
    },
    email: { type: "char", string: "Email" },
    phone: { type: "char", string: "Phone" },
    mobile: { type: "char", string: "Mobile" },
    vat: { type: "char", string: "Tax ID" },
    ref: { type: "char", string: "Reference", help: "Internal reference of the partner" },
    company_registry: { type: "char", string: "Company ID" },
    website: { type: "char", string: "Website Link" },
    function: { type: "char", string: "Job Position" },
    street: { type: "char", string: "Street" },
    street2: { type: "char", string: "Street2" },
    zip: { type: "char", string: "Zip" },
    city: { type: "char", string: "City" },
    state_id: { type: "many2one", string: "State", relation: "res.country.state" },
    country_id: { type: "many2one", string: "Country", relation: "res.country" },
    comment: { type: "html", string: "Notes" },
    category_id: { type: "many2many", string: "Tags", relation: "res.partner.category" },
    company_id: { type: "many2one", string: "Company", relation: "res.company" },
    user_ids: { type: "one2many", string: "Users", relation: "res.users", inverse: "partner_id" },
    active: { type: "boolean", string: "Active", default: () => true },
    lang: { type: "char", string: "Language", default: () => "en_US" },
  },
  access: {
    read: "everyone",
    write: ["base.group_partner_manager", "sales_team.group_sale_salesman"],
    create: ["base.group_partner_manager", "sales_team.group_sale_salesman"],
    unlink: ["base.group_partner_manager"],
  },
  displayName: (db, rec) => {
    const parent = rec.parent_id ? db.get("res.partner", rec.parent_id as number) : undefined;
    const name = rec.name ? String(rec.name) : "";
    if (parent && !rec.is_company) {
      const label = name || (rec.type && rec.type !== "contact" ? String(rec.type).replace(/^./, (c) => c.toUpperCase()) + " Address" : "");
      return `${db.displayName("res.partner", parent)}, ${label}`;
    }
    return name;
  },
  prepare: (_env, vals) => {
    if (typeof vals.website === "string" && vals.website) vals.website = cleanWebsite(vals.website);
  },
  afterCreate: (env, rec, vals) => partnerChildrenSync(env, rec, vals),
  afterWrite: (env, rec, vals) => partnerChildrenSync(env, rec, vals),
  constrain: (_env, recs) => {
    for (const rec of recs) if (rec.type === "contact" && !rec.name) throw integrityError("Contacts require a name");
  },
  // base.res_partner_rule: shared partners (no company) or partners of the allowed companies
  recordRule: (env, rec) => !rec.company_id || env.db.allowedCompanies(env).includes(rec.company_id as number),
});

const resCompany = model({
  name: "res.company",
  description: "Companies",
  module: "base",
  order: "sequence, name",
  fields: {
    name: { type: "char", string: "Company Name", required: true },
    partner_id: { type: "many2one", string: "Partner", relation: "res.partner" },
    email: { type: "char", string: "Email" },
    phone: { type: "char", string: "Phone" },
    website: { type: "char", string: "Website Link" },
    vat: { type: "char", string: "Tax ID" },
    company_registry: { type: "char", string: "Company ID" },
    country_id: { type: "many2one", string: "Country", relation: "res.country" },
    active: { type: "boolean", string: "Active", default: () => true },
    sequence: { type: "integer", string: "Sequence", default: () => 10 },
    user_ids: {
      type: "many2many",
      string: "Accepted Users",
      relation: "res.users",
      compute: (db, rec) =>
        db
          .records("res.users")
          .filter((u) => (u.company_ids as number[]).includes(rec.id))
          .map((u) => u.id),
    },
  },
  access: { read: "everyone", write: ["base.group_erp_manager"], create: ["base.group_erp_manager"], unlink: ["base.group_erp_manager"] },
  afterCreate: (env, rec) => {
    const db = env.db;
    if (!rec.partner_id) {
      const partner = db.insert("res.partner", {
        name: rec.name,
        is_company: true,
        type: "contact",
        active: true,
        email: rec.email ?? false,
        phone: rec.phone ?? false,
        website: rec.website ? cleanWebsite(String(rec.website)) : false,
        vat: rec.vat ?? false,
        country_id: rec.country_id ?? false,
        company_id: false,
        create_date: env.now,
        write_date: env.now,
        create_uid: env.uid,
        write_uid: env.uid,
      });
      rec.partner_id = partner.id;
    }
    // Only the creating user and the superuser get the new company (res_company.py, `create`).
    for (const uid of new Set([env.uid, SUPERUSER_ID])) {
      const user = db.get("res.users", uid);
      if (user && !(user.company_ids as number[]).includes(rec.id)) user.company_ids = [...(user.company_ids as number[]), rec.id].sort((a, b) => a - b);
    }
  },
  afterWrite: (env, rec, vals) => {
    // name, email, phone, website, vat and country are related to the company's partner
    const partner = rec.partner_id ? env.db.get("res.partner", rec.partner_id as number) : undefined;
    if (!partner) return;
    for (const f of ["name", "email", "phone", "website", "vat", "country_id", "company_registry"]) {
      if (f in vals) partner[f] = rec[f];
    }
  },
  constrain: (env, recs) => uniqueBy(env, "res.company", recs, (r) => r.name, "The company name must be unique!"),
});

const resUsers = model({
  name: "res.users",
  description: "User",
  module: "base",
  order: "name, login",
  fields: {
    name: { type: "char", string: "Name", required: true },
    login: { type: "char", string: "Login", required: true },
    password: { type: "char", string: "Password", writeOnly: true },
    partner_id: { type: "many2one", string: "Related Partner", relation: "res.partner" },
    email: { type: "char", string: "Email" },
    company_id: { type: "many2one", string: "Company", relation: "res.company", required: true, default: (env) => envCompany(env) },
    company_ids: {
      type: "many2many",
      string: "Companies",
      relation: "res.company",
      default: (env) => {
        const c = envCompany(env);
        return c ? [c] : [];
      },
    },
    groups_id: {
      type: "many2many",
      string: "Groups",
      relation: "res.groups",
      // Odoo copies the groups of the template user base.default_user (res_users.py, `_default_groups`).
      default: (env) => {
        const template = env.db.xmlId("base.default_user");
        return template ? [...((env.db.get("res.users", template)?.groups_id as number[]) ?? [])] : [];
      },
    },
    active: { type: "boolean", string: "Active", default: () => true },
    share: { type: "boolean", string: "Share User", compute: (db, rec) => !db.hasGroup(rec.id, "base.group_user") },
    login_date: { type: "datetime", string: "Latest authentication" },
    lang: { type: "char", string: "Language", default: () => "en_US" },
    oauth_provider_id: { type: "many2one", string: "OAuth Provider", relation: "auth.oauth.provider", module: "auth_oauth" },
    oauth_uid: { type: "char", string: "OAuth User ID", module: "auth_oauth" },
    oauth_access_token: { type: "char", string: "OAuth Access Token", module: "auth_oauth" },
    // stored compute over the user's sales team memberships (see crm-models.ts)
    sale_team_id: { type: "many2one", string: "User Sales Team", relation: "crm.team", module: "sales_team" },
  },
  access: { read: "everyone", write: ["base.group_erp_manager"], create: ["base.group_erp_manager"], unlink: ["base.group_erp_manager"] },
  afterCreate: (env, rec) => {
    rec.groups_id = env.db.groupClosure(rec.groups_id as number[]);
    if (!rec.partner_id) {
      const partner = env.db.insert("res.partner", {
        name: rec.name,
        email: rec.email ?? false,
        company_id: rec.company_id ?? false,
        type: "contact",
        is_company: false,
        active: true,
        create_date: env.now,
        write_date: env.now,
        create_uid: env.uid,
        write_uid: env.uid,
      });
      rec.partner_id = partner.id;
    }
  },
  afterWrite: (env, rec, vals) => {
    if ("groups_id" in vals) rec.groups_id = env.db.groupClosure(rec.groups_id as number[]);
    const partner = env.db.get("res.partner", rec.partner_id as number);
    if (partner) for (const f of ["name", "email"]) if (f in vals) partner[f] = rec[f];
  },
  beforeUnlink: (_env, recs) => {
    if (recs.some((r) => r.id === SUPERUSER_ID)) {
      throw userError("You can not remove the admin user as it is used internally for resources created by Odoo (updates, module installation, ...)");
    }
  },
  constrain: (env, recs) => {
    uniqueBy(env, "res.users", recs, (r) => r.login, "You can not have two users with the same login !");
    for (const rec of recs) {
      const allowed = rec.company_ids as number[];
      if (rec.company_id && !allowed.includes(rec.company_id as number)) {
        const company = env.db.get("res.company", rec.company_id as number);
        const names = allowed.map((id) => String(env.db.get("res.company", id)?.name ?? id)).join(", ");
        throw validationError(`Company ${String(company?.name)} is not in the allowed companies for user ${String(rec.name)} (${names}).`);
      }
    }
    if (env.db.isInstalled("auth_oauth")) {
      uniqueBy(
        env,
        "res.users",
        recs,
        (r) => (r.oauth_provider_id && r.oauth_uid ? [r.oauth_provider_id, r.oauth_uid] : undefined),
        "OAuth UID must be unique per provider",
      );
    }
  },
});

const resGroups = model({
  name: "res.groups",
  description: "Access Groups",
  module: "base",
  order: "name",
  fields: {
    name: { type: "char", string: "Name", required: true },
    full_name: { type: "char", string: "Group Name", compute: (_db, rec) => String(rec.name) },
    implied_ids: { type: "many2many", string: "Inherits", relation: "res.groups" },
    users: {
      type: "many2many",
      string: "Users",
      relation: "res.users",
      compute: (db, rec) =>
        db
          .records("res.users")
          .filter((u) => (u.groups_id as number[]).includes(rec.id))
          .map((u) => u.id),
    },
    share: { type: "boolean", string: "Share Group", default: () => false },
    comment: { type: "text", string: "Comment" },
  },
  access: { read: "everyone", write: ["base.group_erp_manager"], create: ["base.group_erp_manager"], unlink: ["base.group_erp_manager"] },
});

const irModelData = model({
  name: "ir.model.data",
  description: "Model Data",
  module: "base",
  order: "module, model, name",
  fields: {
    name: { type: "char", string: "External Identifier", required: true },
    module: { type: "char", string: "Module", required: true },
    model: { type: "char", string: "Model Name", required: true },
    res_id: { type: "integer", string: "Record ID" },
    complete_name: { type: "char", string: "Complete ID", compute: (_db, rec) => `${String(rec.module)}.${String(rec.name)}` },
    noupdate: { type: "boolean", string: "Non Updatable", default: () => false },
  },
  access: { read: "everyone", write: ["base.group_system"], create: ["base.group_system"], unlink: ["base.group_system"] },
  constrain: (env, recs) =>
    uniqueBy(env, "ir.model.data", recs, (r) => [r.module, r.name], 'duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"'),
  methods: {
    check_object_reference: {
      apiModel: true,
      params: ["module", "xml_id", "raise_on_access_error"],
      run: (env, _def, _ids, a) => {
        const xmlId = `${String(a.module)}.${String(a.xml_id)}`;
        const row = Object.values(env.db.table("ir.model.data")).find((r) => r.module === a.module && r.name === a.xml_id);
        if (!row) return env.db.ref(xmlId);
        return [row.model, row.res_id];
      },
    },
  },
});

const irConfigParameter = model({
  name: "ir.config_parameter",
  description: "System Parameter",
  module: "base",
  order: "key",
  fields: {
    key: { type: "char", string: "Key", required: true },
    value: { type: "text", string: "Value", required: true },
  },
  access: { read: ["base.group_system"], write: ["base.group_system"], create: ["base.group_system"], unlink: ["base.group_system"] },
  constrain: (env, recs) => uniqueBy(env, "ir.config_parameter", recs, (r) => r.key, "Key must be unique."),
  methods: {
    get_param: {
      apiModel: true,
      params: ["key", "default"],
      run: (env, def, _ids, a) => {
        env.db.checkAccess(env, def, "read");
        const row = Object.values(env.db.table("ir.config_parameter")).find((r) => r.key === a.key);
        return row?.value || ("default" in a ? a.default : false);
      },
    },
    set_param: {
      apiModel: true,
      params: ["key", "value"],
      run: (env, def, _ids, a) => {
        const [id] = env.db.search(env, def, [["key", "=", a.key]]);
        const old = id ? env.db.get("ir.config_parameter", id)!.value : false;
        if (a.value === false || a.value === null || a.value === undefined) {
          if (id) env.db.unlink(env, def, [id]);
        } else if (id) {
          if (old !== String(a.value)) env.db.write(env, def, [id], { value: String(a.value) });
        } else {
          env.db.create(env, def, [{ key: a.key, value: String(a.value) }]);
        }
        return old;
      },
    },
  },
});

const authOAuthProvider = model({
  name: "auth.oauth.provider",
  description: "OAuth2 provider",
  module: "auth_oauth",
  order: "sequence, name",
  fields: {
    name: { type: "char", string: "Provider name", required: true },
    client_id: { type: "char", string: "Client ID" },
    auth_endpoint: { type: "char", string: "Authorization URL", required: true },
    scope: { type: "char", string: "Scope", default: () => "openid profile email" },
    validation_endpoint: { type: "char", string: "UserInfo URL", required: true },
    data_endpoint: { type: "char", string: "Data Endpoint URL" },
    enabled: { type: "boolean", string: "Allowed", default: () => false },
    css_class: { type: "char", string: "CSS class", default: () => "fa fa-fw fa-sign-in text-primary" },
    body: { type: "char", string: "Login button label", required: true },
    sequence: { type: "integer", string: "Sequence", default: () => 10 },
  },
  access: { read: ["base.group_system"], write: ["base.group_system"], create: ["base.group_system"], unlink: ["base.group_system"] },
});

const resCountry = model({
  name: "res.country",
  description: "Country",
  module: "base",
  order: "name",
  fields: { name: { type: "char", string: "Country Name", required: true }, code: { type: "char", string: "Country Code" } },
  access: { read: "everyone", write: ["base.group_system"], create: ["base.group_system"], unlink: ["base.group_system"] },
  constrain: (env, recs) => uniqueBy(env, "res.country", recs, (r) => r.code, "The code of the country must be unique!"),
});

const resCountryState = model({
  name: "res.country.state",
  description: "Country state",
  module: "base",
  order: "code",
  fields: {
    name: { type: "char", string: "State Name", required: true },
    code: { type: "char", string: "State Code", required: true },
    country_id: { type: "many2one", string: "Country", relation: "res.country", required: true },
  },
  access: { read: "everyone", write: ["base.group_system"], create: ["base.group_system"], unlink: ["base.group_system"] },
});

const resPartnerCategory = model({
  name: "res.partner.category",
  description: "Partner Tags",
  module: "base",
  order: "name",
  fields: {
    name: { type: "char", string: "Name", required: true },
    color: { type: "integer", string: "Color" },
    active: { type: "boolean", string: "Active", default: () => true },
  },
  access: {
    read: "everyone",
    write: ["base.group_partner_manager"],
    create: ["base.group_partner_manager"],
    unlink: ["base.group_partner_manager"],
  },
});

export const MODELS: Record<string, ModelDef> = Object.fromEntries(
  [
    resPartner,
    resCompany,
    resUsers,
    resGroups,
    irModelData,
    irConfigParameter,
    authOAuthProvider,
    irModuleModule,
    irModuleModuleDependency,
    resCountry,
    resCountryState,
    resPartnerCategory,
    ...CRM_MODELS,
    mailBlacklist,
  ].map((m) => [m.name, m]),
);

// ------------------------------------------------------------------ modules

type ModuleDef = ModuleManifest & { onInstall?: (db: SimDatabase) => void };

const OCA = "Odoo Community Association (OCA)";

function addGroup(db: SimDatabase, xmlId: string, name: string, implied: string[] = [], share = false): number {
  const group = db.insert("res.groups", { name, implied_ids: implied.map((x) => db.ref(x)), share, comment: false });
  db.addXmlId(xmlId, "res.groups", group.id);
  return group.id;
}

function grant(db: SimDatabase, userXmlId: string, groupXmlId: string): void {
  const user = db.get("res.users", db.ref(userXmlId));
  if (user) user.groups_id = db.groupClosure([...(user.groups_id as number[]), db.ref(groupXmlId)]);
}

export const MODULES: Record<string, ModuleDef> = {
  base: { shortdesc: "Base", depends: [] },
  web: { shortdesc: "Web", depends: ["base"] },
  base_setup: { shortdesc: "Initial Setup Tools", depends: ["base", "web"] },
  mail: { shortdesc: "Discuss", depends: ["base", "base_setup"], application: true, onInstall: installMailData },
  auth_signup: { shortdesc: "Signup", depends: ["base_setup", "mail", "web"] },
  auth_oauth: {
    shortdesc: "OAuth2 Authentication",
    depends: ["base", "web", "base_setup", "auth_signup"],
    onInstall: (db) => {
      const provider = db.insert("auth.oauth.provider", {
        name: "Odoo.com Accounts",
        client_id: false,
        auth_endpoint: "https://accounts.odoo.com/oauth2/auth",
        scope: "userinfo",
        validation_endpoint: "https://accounts.odoo.com/oauth2/tokeninfo",
        data_endpoint: false,
        enabled: false,
        css_class: "fa fa-fw o_custom_icon",
        body: "Log in with Odoo.com",
        sequence: 10,
      });
      db.addXmlId("auth_oauth.provider_openerp", "auth.oauth.provider", provider.id);
    },
  },
  sales_team: {
    shortdesc: "Sales Teams",
    depends: ["base", "mail"],
    onInstall: (db) => {
      addGroup(db, "sales_team.group_sale_salesman", "User: Own Documents Only", ["base.group_user"]);
      addGroup(db, "sales_team.group_sale_salesman_all_leads", "User: All Documents", ["sales_team.group_sale_salesman"]);
      addGroup(db, "sales_team.group_sale_manager", "Administrator", ["sales_team.group_sale_salesman_all_leads"]);
      grant(db, "base.user_admin", "sales_team.group_sale_manager");
      // The template user every new user copies when groups_id is omitted (res_users.py, `_default_groups`).
      grant(db, "base.default_user", "sales_team.group_sale_manager");
    },
  },
  contacts: { shortdesc: "Contacts", depends: ["base", "mail"], application: true },
  crm: { shortdesc: "CRM", depends: ["base_setup", "sales_team", "mail", "contacts"], application: true, onInstall: installCrmData },
  // Odoo Enterprise's CRM additions; here only for the stored `won_status` on crm.lead.
  crm_enterprise: { shortdesc: "CRM Enterprise", depends: ["crm"] },
  sale: { shortdesc: "Sales", depends: ["sales_team", "mail"] },
  sale_management: { shortdesc: "Sales", depends: ["sale"], application: true },
  l10n_sg: { shortdesc: "Singapore - Accounting", depends: ["base"] },
  // Community modules of the OCA's repositories (partner-contact, crm), as their manifests name them.
  partner_firstname: { shortdesc: "Partner first name and last name", author: `Camptocamp, Tecnativa, ${OCA}`, depends: ["base_setup"] },
  crm_lead_code: { shortdesc: "Sequential Code for Leads / Opportunities", author: `Tecnativa, ${OCA}`, depends: ["crm"] },
  // Not ported to this Odoo version: its manifest says installable False.
  crm_phonecall: { shortdesc: "CRM Phone Calls", author: `Odoo S.A., Tecnativa, ${OCA}`, depends: ["crm", "calendar"], installable: false },
};

const COUNTRIES: Array<[string, string]> = [
  ["SG", "Singapore"],
  ["MY", "Malaysia"],
  ["ID", "Indonesia"],
  ["TH", "Thailand"],
  ["VN", "Vietnam"],
  ["PH", "Philippines"],
  ["HK", "Hong Kong"],
  ["CN", "China"],
  ["IN", "India"],
  ["JP", "Japan"],
  ["AU", "Australia"],
  ["GB", "United Kingdom"],
  ["US", "United States"],
];

/** What `_initialize_db` leaves behind: base + web installed, admin user, main company. */
export function seedBase(
  db: SimDatabase,
  options: { adminLogin: string; adminPassword: string; lang: string; countryCode: string | null; phone: string | null },
): void {
  const now = new Date().toISOString().slice(0, 19).replace("T", " ");
  const stamp = { create_date: now, write_date: now, create_uid: SUPERUSER_ID, write_uid: SUPERUSER_ID };

  seedModules(db, MODULES, stamp);
  for (const name of ["base", "web"]) Object.values(db.table("ir.module.module")).find((m) => m.name === name)!.state = "installed";
  const countryIds = new Map<string, number>();
  for (const [code, name] of COUNTRIES) {
    const c = db.insert("res.country", { name, code, ...stamp });
    db.addXmlId(`base.${code.toLowerCase()}`, "res.country", c.id);
    countryIds.set(code, c.id);
  }

  addGroup(db, "base.group_user", "Internal User");
  addGroup(db, "base.group_portal", "Portal", [], true);
  addGroup(db, "base.group_public", "Public", [], true);
  addGroup(db, "base.group_erp_manager", "Access Rights", ["base.group_user"]);
  addGroup(db, "base.group_system", "Settings", ["base.group_erp_manager"]);
  addGroup(db, "base.group_partner_manager", "Contact Creation");
  addGroup(db, "base.group_multi_company", "Multi-companies");
  addGroup(db, "base.group_no_one", "Technical Features");

  const country = options.countryCode ? (countryIds.get(options.countryCode.toUpperCase()) ?? false) : false;
  const email = options.adminLogin.includes("@") ? options.adminLogin : false;
  const partner = (xmlId: string, values: Record<string, unknown>) => {
    const p = db.insert("res.partner", { type: "contact", is_company: false, active: true, lang: options.lang, company_id: false, ...values, ...stamp });
    db.addXmlId(xmlId, "res.partner", p.id);
    return p.id;
  };
  const mainPartner = partner("base.main_partner", { name: "My Company", is_company: true, country_id: country, phone: options.phone ?? false, email });
  const rootPartner = partner("base.partner_root", { name: "OdooBot", email: "odoobot@example.com" });
  const adminPartner = partner("base.partner_admin", { name: "Administrator", email });
  const defaultPartner = partner("base.default_user_partner", { name: "Default User Template", active: false });
  const publicPartner = partner("base.public_partner", { name: "Public user", active: false });

  const company = db.insert("res.company", {
    name: "My Company",
    partner_id: mainPartner,
    email,
    phone: options.phone ?? false,
    website: false,
    vat: false,
    company_registry: false,
    country_id: country,
    active: true,
    sequence: 0,
    ...stamp,
  });
  db.addXmlId("base.main_company", "res.company", company.id);

  const g = (xmlId: string) => db.ref(xmlId);
  const user = (xmlId: string, values: Record<string, unknown>, groups: string[]) => {
    const u = db.insert("res.users", {
      company_id: company.id,
      company_ids: [company.id],
      active: true,
      login_date: false,
      lang: options.lang,
      ...values,
      groups_id: db.groupClosure(groups.map(g)),
      ...stamp,
    });
    db.addXmlId(xmlId, "res.users", u.id);
    return u.id;
  };
  user("base.user_root", { name: "OdooBot", login: "__system__", partner_id: rootPartner, email: "odoobot@example.com", active: false }, [
    "base.group_user",
    "base.group_system",
    "base.group_partner_manager",
  ]);
  const admin = user("base.user_admin", { name: "Administrator", login: options.adminLogin, partner_id: adminPartner, email }, [
    "base.group_user",
    "base.group_system",
    "base.group_partner_manager",
    "base.group_no_one",
  ]);
  db.setPassword(admin, options.adminPassword);
  user("base.default_user", { name: "Default User Template", login: "default", partner_id: defaultPartner, email: false, active: false }, [
    "base.group_user",
    "base.group_partner_manager",
  ]);
  user("base.public_user", { name: "Public user", login: "public", partner_id: publicPartner, email: false, active: false }, ["base.group_public"]);
  for (const p of [rootPartner, adminPartner]) db.get("res.partner", p)!.company_id = company.id;

  db.insert("ir.config_parameter", { key: "web.base.url", value: "http://localhost:8069", ...stamp });
  db.insert("ir.config_parameter", { key: "database.uuid", value: crypto.randomUUID(), ...stamp });
}
