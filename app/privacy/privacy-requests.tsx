import { type SerializeFrom } from "@remix-run/node";
import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Field } from "~/components/forms";
import { Badge, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Notice, Section } from "~/dashboard/section";
import { formatWhenWithSeconds } from "~/utils/date-format";
import { ERASURE_STEP_LABELS, ERASURE_STEPS, erasurePercent } from "./erasure-steps";
import { type PrivacyPageData } from "./privacy-page.server";

/**
 * The data-subject requests page's body, the same for a workspace admin and
 * a platform operator (only the paths differ): search, what was found, the
 * archive download, the erasure with its progress, and the past erasures
 * with their receipts.
 */
type Data = SerializeFrom<PrivacyPageData>;
type Records = NonNullable<Data["records"]>;
export type PrivacyPaths = { page: string; archive: (q: string) => string; receipt: (id: string) => string };

const COUNT_LABELS: Record<string, string> = {
  contacts: "Contacts",
  emails: "Email addresses",
  verifications: "Verifications",
  crawlSnippets: "Crawled pages",
  chatMessages: "Chat messages",
  exports: "Exports",
  lakeContacts: "Data-lake contacts",
  lakeActivities: "Data-lake activities",
  lakeRawRecords: "Data-lake raw versions",
  odooPartners: "Odoo partners",
};

export function PrivacyRequests({ data, paths, actionError }: { data: Data; paths: PrivacyPaths; actionError: string | null }) {
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === paths.page && navigation.location.search.includes("q=");
  return (
    <div className="space-y-6">
      <Section id="privacy-search" title="Find a person">
        <Form method="get" className="flex flex-wrap items-end gap-3" role="search" aria-label="Find a person">
          <Field
            className="min-w-[18rem] flex-1"
            label="Email, full name or LinkedIn URL"
            help="Everything the workspace holds about them is listed: lead contacts, addresses, crawled pages, chat, exports, the data lake and Odoo."
            errors={data.error ? [data.error] : undefined}
            inputProps={{ name: "q", defaultValue: data.q, type: "search", autoComplete: "off", required: true, maxLength: 254 }}
          />
          <Button type="submit" disabled={searching}>
            {searching ? "Searching…" : "Search"}
          </Button>
        </Form>
        {searching ? (
          <p role="status" className="mt-3 text-sm text-slate-600">
            Searching the workspace and its Odoo…
          </p>
        ) : null}
      </Section>
      {data.erasure ? <ErasureProgress erasure={data.erasure} paths={paths} /> : null}
      {actionError ? <Notice ok={false}>{actionError}</Notice> : null}
      {data.records && data.counts ? <Findings q={data.q} records={data.records} counts={data.counts} paths={paths} /> : null}
      <PastErasures erasures={data.erasures} paths={paths} />
    </div>
  );
}

function Findings({ q, records, counts, paths }: { q: string; records: Records; counts: Record<string, number>; paths: PrivacyPaths }) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const odoo = records.odoo;
  const suppressed = records.suppressions.length ? (
    <p className="mt-3 text-sm text-slate-600">On the suppression list (no run collects them again): {records.suppressions.map((s) => s.value).join(", ")}.</p>
  ) : null;
  if (total === 0) {
    return (
      <EmptyState title={`Nothing found for ${q}`}>
        The workspace holds no record of this person{odoo.status === "ok" ? ", and neither does its Odoo" : ""}.
        {odoo.status === "unreachable" ? ` ${odoo.message}` : null}
        {suppressed}
      </EmptyState>
    );
  }
  return (
    <>
      <Section
        id="privacy-found"
        title={`What the workspace holds about ${q}`}
        actions={
          <a className="text-sm font-medium text-brand-700 underline" href={paths.archive(q)} download>
            Download archive (JSON + CSV)
          </a>
        }
      >
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" aria-label="Records found">
          {Object.entries(counts).map(([key, value]) => (
            <div key={key} className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
              <dt className="text-xs font-medium text-slate-500">{COUNT_LABELS[key] ?? key}</dt>
              <dd className="text-lg font-semibold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
        {odoo.status === "unreachable" ? <p className="mt-3 text-sm text-amber-700">{odoo.message}</p> : null}
        {odoo.status === "not_connected" ? <p className="mt-3 text-sm text-slate-600">The workspace has no Odoo connection yet.</p> : null}
        {suppressed}
        <div className="mt-4 space-y-4 overflow-x-auto">
          <RecordTable label="Contacts" rows={records.contacts} columns={contactColumns} />
          <RecordTable label="Email addresses" rows={records.emails} columns={emailColumns} />
          <RecordTable label="Verifications" rows={records.verifications} columns={verificationColumns} />
          <RecordTable label="Crawled pages" rows={records.crawlSnippets} columns={snippetColumns} />
          <RecordTable label="Chat messages" rows={records.chatMessages} columns={chatColumns} />
          <RecordTable label="Exports" rows={records.exports} columns={exportColumns} />
          <RecordTable label="Data-lake contacts" rows={records.lakeContacts} columns={lakeContactColumns} />
          <RecordTable label="Data-lake activities" rows={records.lakeActivities} columns={lakeActivityColumns} />
          <RecordTable label="Data-lake raw versions" rows={records.lakeRawRecords} columns={rawColumns} />
          {odoo.status === "ok" ? (
            <RecordTable
              label="Odoo partners"
              rows={odoo.partners.map((p) => ({ ...p, blacklisted: !!p.email && odoo.blacklisted.includes(p.email.toLowerCase()) }))}
              columns={partnerColumns}
            />
          ) : null}
        </div>
      </Section>
      <Section id="privacy-erase" title="Erase this person">
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="erase" />
          <input type="hidden" name="q" value={q} />
          <p className="text-sm text-slate-600">
            Deletes or anonymises every record above, adds the address to the suppression list so no run collects it again, and in Odoo archives and anonymises
            the partner and adds the address to the mail blacklist. A receipt is kept in the audit log.
          </p>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="confirm" value="erase" required />I confirm this deletion request for {q}
          </label>
          <Button type="submit" variant="danger">
            Erase this person&apos;s data
          </Button>
        </Form>
      </Section>
    </>
  );
}

function RecordTable<Row>({ label, rows, columns }: { label: string; rows: readonly Row[]; columns: DataColumn<Row>[] }) {
  if (rows.length === 0) return null;
  return (
    <div>
      <h3 className="mb-1 text-sm font-semibold text-slate-800">{label}</h3>
      <DataTable label={label} columns={columns} rows={rows} rowKey={(_row, i) => String(i)} density="compact" />
    </div>
  );
}

const when = (value: string | Date | null) => (value ? formatWhenWithSeconds(value) : "—");
const text = (value: string | null | false | undefined) => (value ? value : "—");

const contactColumns: DataColumn<Records["contacts"][number]>[] = [
  { header: "Name", rowHeader: true, cell: (r) => r.fullName },
  { header: "Title", cell: (r) => text(r.title) },
  { header: "Company (UEN)", cell: (r) => `${text(r.companyCurrent)} (${r.uen})` },
  { header: "LinkedIn", cell: (r) => r.linkedinUrl },
  { header: "Source", cell: (r) => r.source },
  { header: "Found", cell: (r) => when(r.createdAt) },
];
const emailColumns: DataColumn<Records["emails"][number]>[] = [
  { header: "Address", rowHeader: true, cell: (r) => r.email },
  { header: "UEN", cell: (r) => r.uen },
  { header: "Source", cell: (r) => r.source },
  { header: "Verification", cell: (r) => r.verificationStatus },
];
const verificationColumns: DataColumn<Records["verifications"][number]>[] = [
  { header: "Address", rowHeader: true, cell: (r) => r.email },
  { header: "Status", cell: (r) => `${r.status}${r.subStatus ? ` (${r.subStatus})` : ""}` },
  { header: "Checked", cell: (r) => when(r.checkedAt) },
];
const snippetColumns: DataColumn<Records["crawlSnippets"][number]>[] = [
  { header: "Page", rowHeader: true, cell: (r) => r.url },
  { header: "Mention", cell: (r) => r.snippet },
  { header: "Fetched", cell: (r) => when(r.fetchedAt) },
];
const chatColumns: DataColumn<Records["chatMessages"][number]>[] = [
  { header: "Thread owner", rowHeader: true, cell: (r) => text(r.ownerEmail) },
  { header: "Role", cell: (r) => r.role },
  { header: "Message", cell: (r) => r.text },
  { header: "When", cell: (r) => when(r.createdAt) },
];
const exportColumns: DataColumn<Records["exports"][number]>[] = [
  { header: "When", rowHeader: true, cell: (r) => when(r.at) },
  { header: "By", cell: (r) => text(r.by) },
  { header: "File", cell: (r) => text(r.file) },
  { header: "Run", cell: (r) => r.runId },
];
const lakeContactColumns: DataColumn<Records["lakeContacts"][number]>[] = [
  { header: "Name", rowHeader: true, cell: (r) => r.name },
  { header: "Email", cell: (r) => text(r.email) },
  { header: "Phone", cell: (r) => text(r.phone) },
  { header: "Job title", cell: (r) => text(r.jobTitle) },
  { header: "Company", cell: (r) => text(r.companyName) },
];
const lakeActivityColumns: DataColumn<Records["lakeActivities"][number]>[] = [
  { header: "Activity", rowHeader: true, cell: (r) => r.activityType },
  { header: "Summary", cell: (r) => text(r.summary) },
  { header: "State", cell: (r) => r.state },
  { header: "When", cell: (r) => when(r.at) },
];
const rawColumns: DataColumn<Records["lakeRawRecords"][number]>[] = [
  { header: "Source", rowHeader: true, cell: (r) => `${r.source} ${r.entity} ${r.sourceId}` },
  { header: "Fetched", cell: (r) => when(r.fetchedAt) },
];
type PartnerRow = Extract<Records["odoo"], { status: "ok" }>["partners"][number] & { blacklisted: boolean };
const partnerColumns: DataColumn<PartnerRow>[] = [
  { header: "Partner", rowHeader: true, cell: (r) => `${text(r.name)} (#${r.id})` },
  { header: "Email", cell: (r) => text(r.email) },
  { header: "Job position", cell: (r) => text(r.function) },
  { header: "Company", cell: (r) => (r.parent_id ? r.parent_id[1] : "—") },
  { header: "State", cell: (r) => `${r.active ? "active" : "archived"}${r.blacklisted ? ", blacklisted" : ""}` },
];

type Erasure = Data["erasures"][number];

function ErasureProgress({ erasure, paths }: { erasure: Erasure; paths: PrivacyPaths }) {
  const revalidator = useRevalidator();
  const working = erasure.status === "queued" || erasure.status === "running";
  // The job runs in the worker; the page asks again until it has finished.
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [working, revalidator]);
  const done = erasure.stepsDone.length;
  return (
    <Section id="privacy-erasure" title={`Erasure of ${erasure.query}`} actions={<Badge tone={statusTone(erasure.status)}>{erasure.status}</Badge>}>
      <div
        role="progressbar"
        aria-label="Erasure progress"
        aria-valuemin={0}
        aria-valuemax={ERASURE_STEPS.length}
        aria-valuenow={done}
        className="h-2 w-full overflow-hidden rounded bg-slate-100"
      >
        <div className="h-full bg-brand-600" style={{ width: `${erasurePercent(erasure.stepsDone)}%` }} />
      </div>
      <ol className="mt-3 space-y-1 text-sm" aria-label="Erasure steps">
        {ERASURE_STEPS.map((step) => (
          <li key={step} className={erasure.stepsDone.includes(step) ? "text-slate-900" : "text-slate-500"}>
            {erasure.stepsDone.includes(step) ? "✓" : "…"} {ERASURE_STEP_LABELS[step]}
          </li>
        ))}
      </ol>
      {erasure.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          The last attempt stopped at {erasure.error}; the job tries again and resumes there.
        </p>
      ) : null}
      {erasure.status === "succeeded" ? (
        <p className="mt-3 text-sm">
          Finished {when(erasure.finishedAt)}.{" "}
          <a className="font-medium text-brand-700 underline" href={paths.receipt(erasure.id)} download>
            Download the receipt
          </a>
        </p>
      ) : null}
    </Section>
  );
}

const erasureColumns = (paths: PrivacyPaths): DataColumn<Erasure>[] => [
  { header: "Requested", rowHeader: true, cell: (r) => when(r.requestedAt) },
  { header: "Person", cell: (r) => r.query },
  { header: "By", cell: (r) => text(r.requestedByEmail) },
  { header: "Status", cell: (r) => <Badge tone={statusTone(r.status)}>{r.status}</Badge> },
  {
    header: "Receipt",
    cell: (r) =>
      r.status === "succeeded" ? (
        <a className="text-brand-700 underline" href={paths.receipt(r.id)} download>
          receipt
        </a>
      ) : (
        "—"
      ),
  },
];

function PastErasures({ erasures, paths }: { erasures: Erasure[]; paths: PrivacyPaths }) {
  return (
    <Section id="privacy-erasures" title="Recent erasures">
      <DataTable label="Recent erasures" columns={erasureColumns(paths)} rows={erasures} rowKey={(r) => r.id} empty="No erasure has been requested yet." />
    </Section>
  );
}
