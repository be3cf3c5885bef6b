import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Skeleton } from "~/components/charts/skeleton";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { type PushPlanView } from "./odoo-push.server";
import { type RunActionResult } from "./run-action-result";
import { Notice, Stat } from "./section";

/** The Odoo push dry-run of a run waiting for approval: what would change in Odoo, and the Approve button. */
export function PushPlanSkeleton() {
  return (
    <div aria-busy className="space-y-3">
      <p className="text-sm text-slate-600">Asking Odoo what the push would change…</p>
      <Skeleton className="h-16 w-full" />
      <Skeleton className="h-32 w-full" />
    </div>
  );
}

const EXCLUSION_TEXT: Record<string, string> = {
  bucket: "not High or Medium",
  suppressed_uen: "suppressed UEN",
  suppressed_domain: "suppressed domain",
  not_in_registry: "not in the registry",
  invalid: "incomplete data",
};

type Value = string | number | boolean | null;
type PartnerChange = {
  who: string;
  first: boolean;
  field: string;
  before: Value;
  after: Value;
};

const show = (v: Value) => (v === null ? "—" : String(v));

/** Each changed field of an existing partner, one row each; the partner is named on its first row only. */
function partnerChanges(plan: Extract<PushPlanView, { ok: true }>): PartnerChange[] {
  const partners = [
    ...plan.companyUpdates.map((u) => ({ who: u.uen, changes: u.changes })),
    ...plan.contactUpdates.map((u) => ({
      who: `${u.key} (${u.uen})`,
      changes: u.changes,
    })),
  ];
  return partners.flatMap((u) =>
    u.changes.map((change, i) => ({
      who: u.who,
      first: i === 0,
      field: change.field,
      before: change.before,
      after: change.after,
    })),
  );
}

const CHANGE_COLUMNS: DataColumn<PartnerChange>[] = [
  {
    header: "Partner",
    cell: (c) => (c.first ? c.who : ""),
    rowHeader: true,
    cellClassName: "font-mono text-xs !font-normal",
  },
  { header: "Field", cell: (c) => c.field },
  {
    header: "Now in Odoo",
    cell: (c) => <del>{show(c.before)}</del>,
    cellClassName: "text-red-800",
  },
  {
    header: "After the push",
    cell: (c) => <ins className="no-underline">{show(c.after)}</ins>,
    cellClassName: "text-emerald-800",
  },
];

export function PushPlanPanel({ plan }: { plan: PushPlanView }) {
  const result = useActionData<RunActionResult>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "approve-push";
  const outcome = result?.intent === "approve-push" ? result : undefined;
  if (!plan.ok) return <Notice ok={false}>{plan.message}</Notice>;
  const c = plan.counts;
  const nothing = c.companiesCreate + c.companiesUpdate + c.contactsCreate + c.contactsUpdate === 0;
  return (
    <div className="space-y-5" data-testid="push-plan">
      {outcome ? <Notice ok={outcome.ok}>{outcome.message}</Notice> : null}
      <p className="text-sm text-slate-600">
        {plan.approved
          ? "This run's push was approved. Below is what pushing it again would change in Odoo now (a dry run)."
          : "This workspace pushes leads to Odoo only after an operator approves. This is a dry run: nothing has been written to Odoo yet."}
      </p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Companies to create" value={c.companiesCreate} />
        <Stat label="Companies to update" value={c.companiesUpdate} hint={`${c.companiesUnchanged + c.companiesSkipped} already up to date`} />
        <Stat label="Contacts to create" value={c.contactsCreate} />
        <Stat label="Contacts to update" value={c.contactsUpdate} hint={`${c.contactsUnchanged} unchanged`} />
      </dl>
      {Object.keys(plan.excluded).length || plan.droppedContacts ? (
        <p className="text-sm text-slate-700">
          Left out:{" "}
          {Object.entries(plan.excluded)
            .map(([reason, n]) => `${n} ${EXCLUSION_TEXT[reason] ?? reason}`)
            .join(", ")}
          {plan.droppedContacts ? `${Object.keys(plan.excluded).length ? ", " : ""}${plan.droppedContacts} contacts with a suppressed address` : ""}. Emails
          withheld: {plan.withheldEmails.unverified ?? 0} unverified, {plan.withheldEmails.suppressed ?? 0} suppressed, {plan.withheldEmails.invalid ?? 0}{" "}
          invalid.
        </p>
      ) : null}
      {plan.warnings.length ? (
        <ul className="list-disc rounded-md border border-amber-200 bg-amber-50 p-3 pl-8 text-sm text-amber-900">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {plan.companyCreates.length ? (
        <details open={plan.companyCreates.length <= 10}>
          <summary className="cursor-pointer text-sm font-semibold text-slate-900">New companies ({c.companiesCreate})</summary>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {plan.companyCreates.map((company) => (
              <li key={company.uen} className="py-2">
                <span className="font-medium text-emerald-800">+ {company.name}</span> <span className="font-mono text-xs text-slate-500">{company.uen}</span>
                <span className="block text-xs text-slate-600">{company.fields.map((f) => `${f.field}: ${show(f.value)}`).join(" · ")}</span>
              </li>
            ))}
          </ul>
          {c.companiesCreate > plan.companyCreates.length ? (
            <p className="text-xs text-slate-500">…and {c.companiesCreate - plan.companyCreates.length} more.</p>
          ) : null}
        </details>
      ) : null}
      {plan.companyUpdates.length || plan.contactUpdates.length ? (
        <details open>
          <summary className="cursor-pointer text-sm font-semibold text-slate-900">Changes to existing partners</summary>
          <div className="relative mt-2 overflow-x-auto">
            <DataTable density="compact" columns={CHANGE_COLUMNS} rows={partnerChanges(plan)} rowKey={(c) => `${c.who}-${c.field}`} />
          </div>
        </details>
      ) : null}
      {plan.contactCreates.length ? (
        <details>
          <summary className="cursor-pointer text-sm font-semibold text-slate-900">New contacts ({c.contactsCreate})</summary>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {plan.contactCreates.map((contact) => (
              <li key={`${contact.uen}-${contact.name}-${contact.email}`} className="py-1.5">
                + {contact.name}
                {contact.function ? `, ${contact.function}` : ""} {contact.email ? <span className="text-slate-600">&lt;{contact.email}&gt;</span> : null}{" "}
                <span className="font-mono text-xs text-slate-500">{contact.uen}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <Form method="post" className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="intent" value="approve-push" />
        <Button type="submit" disabled={busy || nothing}>
          {busy ? "Pushing to Odoo…" : plan.approved ? "Push again" : "Approve and push to Odoo"}
        </Button>
        <span className="text-sm text-slate-600">
          {plan.approved
            ? "Already approved; pushing again sends only what changed."
            : nothing
              ? "Nothing to push: Odoo already matches this run."
              : "Approving is recorded in the audit log."}
        </span>
      </Form>
    </div>
  );
}
