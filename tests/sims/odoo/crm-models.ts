import { userError } from "./errors";
import { envCompany, model, type FieldDef, type ModelDef } from "./model-kit";
import { type Env, type Rec, type SimDatabase } from "./orm";

/**
 * The CRM side of Odoo 17/18 that the data lake reads: leads and
 * opportunities with their stages, tags and lost reasons (addons/crm),
 * sales teams and their members (addons/sales_team), activities and the
 * messages that done activities leave (addons/mail). Field names, types and
 * defaults follow Odoo's source files named on each model; only stored
 * fields the lake or the tests touch are modelled.
 */

const SALESMAN = "sales_team.group_sale_salesman";
const ALL_LEADS = "sales_team.group_sale_salesman_all_leads";
const SALES_MANAGER = "sales_team.group_sale_manager";
const SETTINGS = "base.group_system";

/** One answer per call: a rule checked on every record of a large table must not redo the user's lookups each time. */
function perCall<T>(compute: (env: Env) => T): (env: Env) => T {
  const answers = new WeakMap<Env, T>();
  return (env) => {
    if (!answers.has(env)) answers.set(env, compute(env));
    return answers.get(env)!;
  };
}

const allowedCompanies = perCall((env) => new Set(env.db.allowedCompanies(env)));
const seesAllLeads = perCall((env) => env.db.hasGroup(env.uid, ALL_LEADS));

/** Multi-company ir.rule shared by leads and teams: records of no company or of an allowed one. */
function companyRule(env: Env, rec: Rec): boolean {
  return !rec.company_id || allowedCompanies(env).has(rec.company_id as number);
}

const installedModels = perCall(() => new Map<string, ModelDef | undefined>());

/** Activities and messages are readable exactly when the document they hang on is (mail's `_check_access` falls back on it). */
function documentReadable(env: Env, modelName: unknown, resId: unknown): boolean {
  if (typeof modelName !== "string" || !modelName) return true;
  const known = installedModels(env);
  if (!known.has(modelName)) known.set(modelName, env.db.modelDef(modelName));
  const def = known.get(modelName);
  const doc = def ? env.db.get(modelName, resId as number) : undefined;
  return Boolean(doc && (!def!.recordRule || def!.recordRule(env, doc)));
}

function stamp(env: Env): Record<string, unknown> {
  return { create_date: env.now, write_date: env.now, create_uid: env.uid, write_uid: env.uid };
}

// ------------------------------------------------------------------ crm.stage, crm.tag, crm.lost.reason

/** addons/crm/models/crm_stage.py (17.0/18.0). */
const crmStage = model({
  name: "crm.stage",
  description: "CRM Stages",
  module: "crm",
  order: "sequence, name, id",
  fields: {
    name: { type: "char", string: "Stage Name", required: true },
    sequence: { type: "integer", string: "Sequence", default: () => 1 },
    is_won: { type: "boolean", string: "Is Won Stage?", default: () => false },
    requirements: { type: "text", string: "Requirements" },
    team_id: { type: "many2one", string: "Sales Team", relation: "crm.team" },
    fold: { type: "boolean", string: "Folded in Pipeline", default: () => false },
  },
  access: { read: "everyone", write: [SALES_MANAGER], create: [SALES_MANAGER], unlink: [SALES_MANAGER] },
  // crm.stage.write: leads in a stage that becomes won get probability 100 (a stored field, so their write_date moves too).
  afterWrite: (env, rec, vals) => {
    if (!vals.is_won) return;
    for (const lead of Object.values(env.db.table("crm.lead"))) {
      if (lead.stage_id === rec.id) Object.assign(lead, { probability: 100, write_date: env.now, write_uid: env.uid });
    }
  },
});

/** addons/sales_team/models/crm_tag.py (crm.tag lives in sales_team since 16.0). */
const crmTag = model({
  name: "crm.tag",
  description: "CRM Tag",
  module: "sales_team",
  order: "name",
  fields: {
    name: { type: "char", string: "Tag Name", required: true },
    color: { type: "integer", string: "Color" },
  },
  access: { read: "everyone", write: [SALESMAN], create: [SALESMAN], unlink: [SALES_MANAGER] },
});

/** addons/crm/models/crm_lost_reason.py. */
const crmLostReason = model({
  name: "crm.lost.reason",
  description: "Opp. Lost Reason",
  module: "crm",
  order: "name",
  fields: {
    name: { type: "char", string: "Description", required: true },
    active: { type: "boolean", string: "Active", default: () => true },
  },
  access: { read: [SALESMAN], write: [SALES_MANAGER], create: [SALES_MANAGER], unlink: [SALES_MANAGER] },
});

// ------------------------------------------------------------------ crm.team, crm.team.member

/** Members of a team: the users of its active memberships (crm.team `_compute_member_ids`). */
function teamMembers(db: SimDatabase, teamId: number): number[] {
  return Object.values(db.table("crm.team.member"))
    .filter((m) => m.crm_team_id === teamId && m.active)
    .map((m) => m.user_id as number)
    .sort((a, b) => a - b);
}

/**
 * res.users.sale_team_id is a stored compute over the user's active
 * memberships (first by create date), so recomputing it moves the user's
 * write_date like any stored field (addons/sales_team/models/res_users.py).
 */
function recomputeSaleTeam(env: Env, userIds: Iterable<number>): void {
  const memberships = Object.values(env.db.table("crm.team.member")).sort((a, b) => String(a.create_date).localeCompare(String(b.create_date)) || a.id - b.id);
  for (const uid of new Set(userIds)) {
    const user = env.db.get("res.users", uid);
    if (!user) continue;
    const team = memberships.find((m) => m.user_id === uid && m.active)?.crm_team_id ?? false;
    if (user.sale_team_id === team) continue;
    Object.assign(user, { sale_team_id: team, write_date: env.now, write_uid: env.uid });
  }
}

/** crm.team `_inverse_member_ids`: new members get a membership, removed ones have theirs archived. */
function setTeamMembers(env: Env, team: Rec, commands: unknown): void {
  let wanted = new Set(teamMembers(env.db, team.id));
  for (const cmd of Array.isArray(commands) ? commands : []) {
    const [code, id, ids] = cmd as [number, number, number[]];
    if (code === 6) wanted = new Set(ids);
    else if (code === 4) wanted.add(id);
    else if (code === 3) wanted.delete(id);
    else if (code === 5) wanted = new Set();
  }
  const memberships = Object.values(env.db.table("crm.team.member")).filter((m) => m.crm_team_id === team.id);
  for (const m of memberships) {
    const active = wanted.has(m.user_id as number);
    if (m.active !== active) Object.assign(m, { active, write_date: env.now, write_uid: env.uid });
  }
  for (const uid of wanted) {
    if (!memberships.some((m) => m.user_id === uid)) env.db.insert("crm.team.member", { crm_team_id: team.id, user_id: uid, active: true, ...stamp(env) });
  }
  recomputeSaleTeam(env, [...wanted, ...memberships.map((m) => m.user_id as number)]);
}

/**
 * addons/sales_team/models/crm_team.py. `member_ids` is computed from the
 * memberships and not stored: a membership change does not move the team's
 * write_date.
 */
const crmTeam = model({
  name: "crm.team",
  description: "Sales Team",
  module: "sales_team",
  order: "sequence asc, create_date desc, id desc",
  fields: {
    name: { type: "char", string: "Sales Team", required: true },
    sequence: { type: "integer", string: "Sequence", default: () => 10 },
    active: { type: "boolean", string: "Active", default: () => true },
    company_id: { type: "many2one", string: "Company", relation: "res.company", default: (env) => envCompany(env) },
    user_id: { type: "many2one", string: "Team Leader", relation: "res.users" },
    member_ids: { type: "many2many", string: "Salespersons", relation: "res.users", compute: (db, rec) => teamMembers(db, rec.id) },
    crm_team_member_ids: { type: "one2many", string: "Sales Team Members", relation: "crm.team.member", inverse: "crm_team_id" },
  },
  access: { read: "everyone", write: [SALES_MANAGER], create: [SALES_MANAGER], unlink: [SALES_MANAGER] },
  afterCreate: (env, rec, vals) => {
    if ("member_ids" in vals) setTeamMembers(env, rec, vals.member_ids);
  },
  afterWrite: (env, rec, vals) => {
    if ("member_ids" in vals) setTeamMembers(env, rec, vals.member_ids);
  },
  beforeUnlink: (env, recs) => {
    // crm.team.member.crm_team_id is ondelete='cascade'
    const members = env.db.table("crm.team.member");
    const users = Object.values(members).filter((m) => recs.some((t) => t.id === m.crm_team_id));
    for (const m of users) delete members[m.id];
    recomputeSaleTeam(
      env,
      users.map((m) => m.user_id as number),
    );
  },
  recordRule: companyRule,
});

/** addons/sales_team/models/crm_team_member.py. */
const crmTeamMember = model({
  name: "crm.team.member",
  description: "Sales Team Member",
  module: "sales_team",
  order: "create_date asc, id",
  fields: {
    crm_team_id: { type: "many2one", string: "Sales Team", relation: "crm.team", required: true },
    user_id: { type: "many2one", string: "Salesperson", relation: "res.users", required: true },
    active: { type: "boolean", string: "Active", default: () => true },
  },
  access: { read: "everyone", write: [SALES_MANAGER], create: [SALES_MANAGER], unlink: [SALES_MANAGER] },
  afterCreate: (env, rec) => recomputeSaleTeam(env, [rec.user_id as number]),
  afterWrite: (env, rec, _vals, before) => recomputeSaleTeam(env, [rec.user_id as number, before.user_id as number]),
  beforeUnlink: (env, recs) => {
    const members = env.db.table("crm.team.member");
    for (const m of recs) delete members[m.id];
    recomputeSaleTeam(
      env,
      recs.map((m) => m.user_id as number),
    );
  },
  recordRule: (env, rec) => {
    const team = env.db.get("crm.team", rec.crm_team_id as number);
    return !team || companyRule(env, team);
  },
  displayName: (db, rec) => String(db.get("res.users", rec.user_id as number)?.name ?? rec.id),
});

// ------------------------------------------------------------------ crm.lead

function firstStage(db: SimDatabase, filter: (stage: Rec) => boolean): Rec | undefined {
  return Object.values(db.table("crm.stage"))
    .filter(filter)
    .sort((a, b) => (a.sequence as number) - (b.sequence as number) || a.id - b.id)[0];
}

/**
 * crm.lead.write and its archive/unarchive overrides: a new stage stamps
 * date_last_stage_update (a stored compute on stage_id); a won stage means
 * probability 100; archiving (lost) means probability 0; closing either way
 * stamps date_closed, and a restored lead forgets its lost reason.
 */
function leadSideEffects(env: Env, vals: Record<string, unknown>, rec: Rec | undefined): void {
  const stage = typeof vals.stage_id === "number" ? env.db.get("crm.stage", vals.stage_id) : undefined;
  if ("stage_id" in vals && vals.stage_id !== rec?.stage_id) vals.date_last_stage_update = env.now;
  if (stage?.is_won && !("probability" in vals)) vals.probability = 100;
  if (vals.active === false && rec?.active !== false && !("probability" in vals)) vals.probability = 0;
  if (vals.active === true && rec?.active === false) {
    vals.lost_reason_id ??= false;
    if (!("probability" in vals)) vals.probability = 10;
  }
  const probability = typeof vals.probability === "number" ? vals.probability : undefined;
  if ((probability ?? 0) >= 100 || vals.active === false) vals.date_closed = env.now;
  else if ((probability ?? 0) > 0) vals.date_closed = false;
  else if (stage && !stage.is_won && probability === undefined) vals.date_closed = false;
}

/** addons/crm/models/crm_lead.py (17.0/18.0); `won_status` comes from the enterprise module crm_enterprise. */
const crmLeadFields: Record<string, FieldDef> = {
  name: { type: "char", string: "Opportunity", required: true },
  type: { type: "selection", string: "Type", selection: ["lead", "opportunity"], required: true, default: () => "opportunity" },
  priority: { type: "selection", string: "Priority", selection: ["0", "1", "2", "3"], default: () => "0" },
  stage_id: { type: "many2one", string: "Stage", relation: "crm.stage", default: (env) => firstStage(env.db, (s) => !s.fold)?.id ?? false },
  team_id: { type: "many2one", string: "Sales Team", relation: "crm.team" },
  user_id: { type: "many2one", string: "Salesperson", relation: "res.users", default: (env) => env.uid },
  company_id: { type: "many2one", string: "Company", relation: "res.company", default: (env) => envCompany(env) },
  partner_id: { type: "many2one", string: "Customer", relation: "res.partner" },
  contact_name: { type: "char", string: "Contact Name" },
  partner_name: { type: "char", string: "Company Name" },
  function: { type: "char", string: "Job Position" },
  email_from: { type: "char", string: "Email" },
  phone: { type: "char", string: "Phone" },
  website: { type: "char", string: "Website" },
  country_id: { type: "many2one", string: "Country", relation: "res.country" },
  description: { type: "html", string: "Notes" },
  expected_revenue: { type: "monetary", string: "Expected Revenue" },
  probability: { type: "float", string: "Probability", default: () => 10 },
  date_deadline: { type: "date", string: "Expected Closing" },
  date_closed: { type: "datetime", string: "Closed Date" },
  // stored compute on stage_id: stamped when the lead is created and whenever its stage changes (leadSideEffects)
  date_last_stage_update: { type: "datetime", string: "Last Stage Update", default: (env) => env.now },
  active: { type: "boolean", string: "Active", default: () => true },
  lost_reason_id: { type: "many2one", string: "Lost Reason", relation: "crm.lost.reason" },
  tag_ids: { type: "many2many", string: "Tags", relation: "crm.tag" },
  won_status: {
    type: "selection",
    string: "Is Won",
    selection: ["won", "lost", "pending"],
    module: "crm_enterprise",
    // crm_enterprise `_compute_won_status`, stored, depends on active and probability
    compute: (_db, rec) => (rec.active && rec.probability === 100 ? "won" : !rec.active && rec.probability === 0 ? "lost" : "pending"),
  },
};

function leadAction(run: (env: Env, ids: number[], args: Record<string, unknown>) => Record<string, unknown>, params: string[] = []) {
  return {
    apiModel: false,
    params,
    run: (env: Env, def: ModelDef, ids: number[], args: Record<string, unknown>) => env.db.write(env, def, ids, run(env, ids, args)),
  };
}

const crmLead = model({
  name: "crm.lead",
  description: "Lead/Opportunity",
  module: "crm",
  order: "priority desc, id desc",
  fields: crmLeadFields,
  access: { read: [SALESMAN], write: [SALESMAN], create: [SALESMAN], unlink: [SALESMAN] },
  prepare: leadSideEffects,
  constrain: (_env, recs) => {
    for (const rec of recs) {
      const p = rec.probability as number;
      if (p < 0 || p > 100) throw userError("The probability of closing the deal should be between 0% and 100%!");
    }
  },
  // mail.activity.mixin and mail.thread: a deleted lead takes its activities and messages with it.
  beforeUnlink: (env, recs) => {
    const ids = new Set(recs.map((r) => r.id));
    for (const [table, modelField] of [
      ["mail.activity", "res_model"],
      ["mail.message", "model"],
    ] as const) {
      const rows = env.db.table(table);
      for (const row of Object.values(rows)) if (row[modelField] === "crm.lead" && ids.has(row.res_id as number)) delete rows[row.id];
    }
  },
  // crm.crm_lead_company_rule, and crm_rule_personal_lead for salespeople who see their own documents only
  recordRule: (env, rec) => companyRule(env, rec) && (seesAllLeads(env) || !rec.user_id || rec.user_id === env.uid),
  methods: {
    action_set_won: leadAction((env) => {
      const won = firstStage(env.db, (s) => Boolean(s.is_won));
      return won ? { stage_id: won.id, probability: 100 } : { probability: 100 };
    }),
    action_set_lost: leadAction((_env, _ids, args) => ({ active: false, probability: 0, lost_reason_id: args.lost_reason_id ?? false }), ["lost_reason_id"]),
  },
});

// ------------------------------------------------------------------ mail

/** addons/mail/models/mail_activity_type.py (17.0). */
const mailActivityType = model({
  name: "mail.activity.type",
  description: "Activity Type",
  module: "mail",
  order: "sequence, id",
  fields: {
    name: { type: "char", string: "Name", required: true },
    summary: { type: "char", string: "Default Summary" },
    sequence: { type: "integer", string: "Sequence", default: () => 10 },
    active: { type: "boolean", string: "Active", default: () => true },
    delay_count: { type: "integer", string: "Schedule" },
    icon: { type: "char", string: "Icon" },
    res_model: { type: "char", string: "Model" },
    category: { type: "selection", string: "Action", selection: ["default", "upload_file", "phonecall"], default: () => "default" },
    keep_done: { type: "boolean", string: "Keep Done", default: () => false },
  },
  access: { read: "everyone", write: [SETTINGS], create: [SETTINGS], unlink: [SETTINGS] },
});

/** addons/mail/models/mail_message_subtype.py. */
const mailMessageSubtype = model({
  name: "mail.message.subtype",
  description: "Message subtypes",
  module: "mail",
  order: "sequence, id",
  fields: {
    name: { type: "char", string: "Message Type", required: true },
    internal: { type: "boolean", string: "Internal Only", default: () => false },
    sequence: { type: "integer", string: "Sequence", default: () => 1 },
  },
  access: { read: "everyone", write: [SETTINGS], create: [SETTINGS], unlink: [SETTINGS] },
});

/** What a done activity leaves in the chatter (mail.activity `_action_done` → `message_post_with_source`). */
function postDoneMessage(env: Env, activity: Rec, feedback: unknown): void {
  const author = env.db.get("res.users", env.uid)?.partner_id ?? false;
  const type = activity.activity_type_id ? env.db.get("mail.activity.type", activity.activity_type_id as number) : undefined;
  const summary = activity.summary ? `<p>${String(activity.summary)}</p>` : "";
  env.db.insert("mail.message", {
    subject: false,
    date: env.now,
    body: `<div>${summary}${typeof feedback === "string" && feedback ? `<p>${feedback}</p>` : ""}</div>`,
    model: activity.res_model,
    res_id: activity.res_id,
    record_name: activity.res_name ?? false,
    message_type: "notification",
    subtype_id: env.db.xmlId("mail.mt_activities") ?? false,
    mail_activity_type_id: activity.activity_type_id ?? false,
    author_id: author,
    is_internal: false,
    ...stamp(env),
  });
  if (type?.keep_done) Object.assign(activity, { active: false, date_done: env.now.slice(0, 10), write_date: env.now, write_uid: env.uid });
  else delete env.db.table("mail.activity")[activity.id];
}

/**
 * addons/mail/models/mail_activity.py (17.0). The simulator has no
 * `ir.model`, so `res_model` (a stored related of `res_model_id` in Odoo) is
 * written directly.
 */
const mailActivity = model({
  name: "mail.activity",
  description: "Activity",
  module: "mail",
  order: "date_deadline asc, id asc",
  fields: {
    res_model: { type: "char", string: "Related Document Model", required: true },
    res_id: { type: "many2one_reference", string: "Related Document ID", required: true },
    res_name: {
      type: "char",
      string: "Document Name",
      compute: (db, rec) => {
        const doc = db.get(String(rec.res_model), rec.res_id as number);
        return doc ? db.displayName(String(rec.res_model), doc) : false;
      },
    },
    // `_default_activity_type`: To-Do
    activity_type_id: {
      type: "many2one",
      string: "Activity Type",
      relation: "mail.activity.type",
      default: (env) => env.db.xmlId("mail.mail_activity_data_todo") ?? false,
    },
    summary: { type: "char", string: "Summary" },
    note: { type: "html", string: "Note" },
    date_deadline: { type: "date", string: "Due Date", required: true, default: (env) => env.now.slice(0, 10) },
    date_done: { type: "date", string: "Done Date" },
    user_id: { type: "many2one", string: "Assigned to", relation: "res.users", required: true, default: (env) => env.uid },
    active: { type: "boolean", string: "Active", default: () => true },
    automated: { type: "boolean", string: "Automated activity", default: () => false },
  },
  access: { read: "everyone", write: "everyone", create: "everyone", unlink: "everyone" },
  recordRule: (env, rec) => documentReadable(env, rec.res_model, rec.res_id),
  methods: {
    action_feedback: {
      apiModel: false,
      params: ["feedback", "attachment_ids"],
      run: (env, def, ids, args) => {
        env.db.checkAccess(env, def, "write");
        for (const id of ids) {
          const activity = env.db.get("mail.activity", id);
          if (activity) postDoneMessage(env, activity, args.feedback);
        }
        return false;
      },
    },
  },
});

/** addons/mail/models/mail_message.py (17.0/18.0). */
const mailMessage = model({
  name: "mail.message",
  description: "Message",
  module: "mail",
  order: "id desc",
  fields: {
    subject: { type: "char", string: "Subject" },
    date: { type: "datetime", string: "Date", default: (env) => env.now },
    body: { type: "html", string: "Contents" },
    model: { type: "char", string: "Related Document Model" },
    res_id: { type: "many2one_reference", string: "Related Document ID" },
    record_name: { type: "char", string: "Message Record Name" },
    message_type: {
      type: "selection",
      string: "Type",
      selection: ["email", "comment", "notification", "user_notification"],
      required: true,
      default: () => "email",
    },
    subtype_id: { type: "many2one", string: "Subtype", relation: "mail.message.subtype" },
    mail_activity_type_id: { type: "many2one", string: "Mail Activity Type", relation: "mail.activity.type" },
    author_id: { type: "many2one", string: "Author", relation: "res.partner" },
    is_internal: { type: "boolean", string: "Employee Only", default: () => false },
  },
  access: { read: "everyone", write: [SETTINGS], create: "everyone", unlink: [SETTINGS] },
  recordRule: (env, rec) => documentReadable(env, rec.model, rec.res_id),
});

export const CRM_MODELS: ModelDef[] = [
  crmStage,
  crmTag,
  crmLostReason,
  crmTeam,
  crmTeamMember,
  crmLead,
  mailActivityType,
  mailMessageSubtype,
  mailActivity,
  mailMessage,
];

// ------------------------------------------------------------------ module data

function dataRecord(db: SimDatabase, xmlId: string, modelName: string, values: Record<string, unknown>): number {
  const now = new Date().toISOString().slice(0, 19).replace("T", " ");
  const rec = db.insert(modelName, { create_date: now, write_date: now, create_uid: 1, write_uid: 1, ...values });
  db.addXmlId(xmlId, modelName, rec.id);
  return rec.id;
}

/** addons/mail/data/mail_activity_type_data.xml and mail_message_subtype_data.xml. */
export function installMailData(db: SimDatabase): void {
  const types: Array<[string, string, string, string]> = [
    ["mail_activity_data_email", "Email", "fa-envelope", "default"],
    ["mail_activity_data_call", "Call", "fa-phone", "phonecall"],
    ["mail_activity_data_meeting", "Meeting", "fa-users", "default"],
    ["mail_activity_data_todo", "To-Do", "fa-check", "default"],
    ["mail_activity_data_upload_document", "Upload Document", "fa-upload", "upload_file"],
  ];
  types.forEach(([xml, name, icon, category], i) =>
    dataRecord(db, `mail.${xml}`, "mail.activity.type", {
      name,
      icon,
      category,
      sequence: i + 1,
      active: true,
      summary: false,
      delay_count: 0,
      res_model: false,
      keep_done: false,
    }),
  );
  dataRecord(db, "mail.mt_comment", "mail.message.subtype", { name: "Discussions", internal: false, sequence: 0 });
  dataRecord(db, "mail.mt_note", "mail.message.subtype", { name: "Note", internal: true, sequence: 100 });
  dataRecord(db, "mail.mt_activities", "mail.message.subtype", { name: "Activities", internal: true, sequence: 90 });
}

/** addons/crm/data/crm_stage_data.xml and crm_lost_reason_data.xml. */
export function installCrmData(db: SimDatabase): void {
  const stages: Array<[string, string, number, boolean]> = [
    ["stage_lead1", "New", 1, false],
    ["stage_lead2", "Qualified", 2, false],
    ["stage_lead3", "Proposition", 3, false],
    ["stage_lead4", "Won", 70, true],
  ];
  for (const [xml, name, sequence, won] of stages) {
    dataRecord(db, `crm.${xml}`, "crm.stage", { name, sequence, is_won: won, fold: won, team_id: false, requirements: false });
  }
  ["Too expensive", "We don't have people/skills", "Not enough stock"].forEach((name, i) =>
    dataRecord(db, `crm.lost_reason_${i + 1}`, "crm.lost.reason", { name, active: true }),
  );
}
