import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { type ReactNode } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { QuotaExceededError } from "~/billing/quotas";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, statusTone, type BadgeTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { Page } from "~/components/ui/page";
import { invariantFound } from "~/http.server";
import { seesPersonalData } from "~/privacy/mask";
import { companyProfile, reEnrichCompany, type CompanyEmail } from "~/shortlist/company.server";
import { RunProgress } from "~/shortlist/run-progress";
import { formatWhen } from "~/utils/date-format";

const Uen = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{5,20}$/);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const uen = Uen.safeParse(params.uen);
  const company = uen.success ? await companyProfile(viewer.tenant.id, uen.data, { masked: !seesPersonalData(viewer.roles) }) : null;
  invariantFound(company, "No such company in this workspace");
  return { company, canOperate: canOperate(viewer.roles) };
}

const ReEnrichForm = z.object({
  intent: z.literal("re_enrich"),
  includeCareers: z.literal("on").optional(),
  forceRecrawl: z.literal("on").optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireTenantUser(request);
  requireRole(request, viewer, ["ops", "admin"]);
  const uen = Uen.safeParse(params.uen);
  const form = ReEnrichForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { ok: false as const, runId: null, message: "Choose the re-enrich options and try again." };
  let started;
  try {
    started = uen.success
      ? await reEnrichCompany(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, uen.data, {
          includeCareers: form.data.includeCareers === "on",
          forceRecrawl: form.data.forceRecrawl === "on",
        })
      : null;
  } catch (error) {
    if (error instanceof QuotaExceededError) return data({ ok: false as const, runId: null, message: error.message }, { status: 402 });
    throw error;
  }
  invariantFound(started, "No such company in this workspace");
  return { ok: true as const, runId: started.runId, message: "Re-enrich started." };
}

const BUCKET_TONE: Record<string, BadgeTone> = { High: "green", Medium: "amber", Low: "gray" };
const EMAIL_TONE: Record<string, BadgeTone> = { verified: "green", catch_all: "amber", unknown: "amber", pending: "blue", invalid: "red", do_not_mail: "red" };

type Profile = SerializeFrom<typeof loader>["company"];
type BreakdownRow = NonNullable<Profile["score"]>["breakdown"][number];
type FieldRow = NonNullable<Profile["enrichment"]>["fields"][number];
/** A person found at the company, or the line of the company's own addresses that belong to nobody. */
type ContactRow = Profile["contacts"][number] | { companyAddresses: Profile["otherEmails"] };

const breakdownColumns: DataColumn<BreakdownRow>[] = [
  { header: "Signal", rowHeader: true, cellClassName: "font-medium text-slate-800", cell: (row) => row.label },
  { header: "Evidence", cellClassName: "text-slate-700", cell: (row) => row.reason ?? row.signal ?? "—" },
  {
    header: "Points",
    align: "right",
    cellClassName: "whitespace-nowrap",
    cell: (row) => (
      <>
        {row.points.toFixed(1)} <span className="text-slate-500">/ {row.weight.toFixed(0)}</span>
      </>
    ),
  },
  {
    header: <span className="sr-only">Share of weight</span>,
    className: "hidden sm:table-cell",
    cellClassName: "w-32",
    cell: (row) => (
      <div className="h-2 rounded bg-slate-100" aria-hidden>
        <div className="h-2 rounded bg-brand-500" style={{ width: `${row.weight > 0 ? Math.min(100, (row.points / row.weight) * 100) : 0}%` }} />
      </div>
    ),
  },
];

const fieldColumns: DataColumn<FieldRow>[] = [
  { header: "Field", rowHeader: true, cellClassName: "align-top font-medium text-slate-800", cell: (f) => f.label },
  { header: "Value", cellClassName: "max-w-xl align-top text-slate-700", cell: (f) => f.value ?? <span className="text-slate-400">not found</span> },
  { header: "Source", cellClassName: "align-top font-mono text-xs text-slate-600", cell: (f) => f.provenance?.source ?? "—" },
  { header: "When", cellClassName: "align-top whitespace-nowrap text-slate-600", cell: (f) => formatWhen(f.provenance?.at) },
];

const contactColumns: DataColumn<ContactRow>[] = [
  {
    header: "Name",
    cellClassName: "align-top font-medium text-slate-800",
    cell: (c) =>
      "companyAddresses" in c ? (
        <span className="font-normal text-slate-500">Company addresses</span>
      ) : (
        <>
          {c.linkedinUrl ? (
            <a href={c.linkedinUrl} target="_blank" rel="noreferrer" className="text-brand-700 hover:underline">
              {c.name}
            </a>
          ) : (
            c.name
          )}
          {c.location ? <div className="text-xs font-normal text-slate-500">{c.location}</div> : null}
        </>
      ),
  },
  { header: "Title", cellClassName: "align-top text-slate-700", cell: (c) => ("companyAddresses" in c ? null : (c.title ?? "—")) },
  {
    header: "Email",
    cellClassName: "align-top",
    cell: (c) => {
      const emails = "companyAddresses" in c ? c.companyAddresses : c.emails;
      return emails.length ? <EmailList emails={emails} /> : <span className="text-slate-400">none found</span>;
    },
  },
  {
    header: "Source",
    cellClassName: "align-top font-mono text-xs text-slate-600",
    cell: (c) => ("companyAddresses" in c ? [...new Set(c.companyAddresses.map((e) => e.source))].join(", ") : c.source),
  },
];

const sourceColumns: DataColumn<Profile["sources"][number]>[] = [
  {
    header: "Page",
    cellClassName: "max-w-md truncate",
    cell: (p) => (
      <>
        <span className="block truncate text-slate-800" title={p.url}>
          {p.title ?? p.url}
        </span>
        <span className="block truncate text-xs text-slate-500">{p.url}</span>
      </>
    ),
  },
  { header: "Kind", cellClassName: "text-slate-700", cell: (p) => p.kind },
  {
    header: "Source",
    cell: (p) => (
      <>
        <Badge tone={p.source === "tavily" ? "blue" : "gray"}>{p.source}</Badge>
        {p.status ? <span className="ml-1 text-xs text-slate-500">HTTP {p.status}</span> : null}
      </>
    ),
  },
  {
    header: "Content hash",
    cellClassName: "font-mono text-xs text-slate-600",
    cell: (p) => <span title={p.sha256}>{p.sha256.slice(0, 12)}…</span>,
  },
  { header: "Fetched", cellClassName: "whitespace-nowrap text-slate-600", cell: (p) => formatWhen(p.fetchedAt) },
];

export default function Company() {
  const { company, canOperate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const starting = navigation.state === "submitting" && navigation.formData?.get("intent") === "re_enrich";
  const progressRun = result?.runId ?? company.reEnrichRun?.id ?? null;
  const { score, registry, enrichment } = company;

  return (
    <Page
      title={company.name}
      description={
        <span className="flex flex-wrap items-center gap-2">
          <span>UEN {company.uen}</span>
          {score ? (
            <>
              <Badge tone={BUCKET_TONE[score.bucket] ?? "gray"}>{score.bucket}</Badge>
              <span className="font-medium text-slate-900">score {score.score.toFixed(1)}</span>
            </>
          ) : (
            <Badge>not scored yet</Badge>
          )}
          {company.odoo?.url ? (
            <a href={company.odoo.url} target="_blank" rel="noreferrer" className="text-brand-700 underline">
              Open in Odoo (partner #{company.odoo.partnerId})
            </a>
          ) : company.odoo ? (
            <span>In Odoo as partner #{company.odoo.partnerId}</span>
          ) : null}
        </span>
      }
    >
      <p className="mb-4 text-sm">
        <Link to="/app/shortlist" className="text-brand-700 hover:underline">
          ← Shortlist
        </Link>
      </p>
      {company.masked ? (
        <p className="mb-4 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">
          Personal data (names, emails, phone numbers) is masked for your role.
        </p>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="why" className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-2">
          <h2 id="why" className="font-semibold">
            {score ? `Why ${score.bucket}` : "Score"}
          </h2>
          {score ? (
            <>
              <p className="mt-2 text-slate-800" data-testid="rationale">
                {score.rationale}
              </p>
              <p className="mt-1 text-xs text-slate-500">
                {score.runKind === "re_enrich" ? "Re-enrich" : "Run"} of {score.runDate} · rationale from {score.rationaleSource} · scored{" "}
                {formatWhen(score.scoredAt)}
              </p>
              <div className="mt-4 overflow-x-auto">
                <DataTable
                  columns={breakdownColumns}
                  rows={score.breakdown}
                  rowKey={(row) => row.feature}
                  label="Score breakdown"
                  footer={[{ content: "Score", span: 2 }, { content: score.score.toFixed(1) }, {}]}
                />
              </div>
            </>
          ) : (
            <p className="mt-2 text-sm text-slate-600">No finished run has scored this company yet.{canOperate ? " Re-enrich it to score it now." : ""}</p>
          )}
        </section>

        <div className="space-y-6">
          {canOperate ? (
            <section aria-labelledby="re-enrich" className="rounded-lg border border-slate-200 bg-white p-5">
              <h2 id="re-enrich" className="font-semibold">
                Re-enrich
              </h2>
              <p className="mt-1 text-sm text-slate-600">Crawl, extract, verify and score this company again, now.</p>
              <Form method="post" className="mt-3 space-y-2">
                <input type="hidden" name="intent" value="re_enrich" />
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="includeCareers" className="h-4 w-4 rounded border-slate-300" /> Include careers page
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="forceRecrawl" className="h-4 w-4 rounded border-slate-300" /> Force re-crawl
                </label>
                <Button type="submit" disabled={starting}>
                  {starting ? "Starting…" : "Re-enrich"}
                </Button>
              </Form>
              {result && !result.ok ? (
                <p role="alert" className="mt-2 text-sm text-red-700">
                  {result.message}
                </p>
              ) : null}
              {progressRun ? (
                <div className="mt-3">
                  <RunProgress key={progressRun} runId={progressRun} onFinished={() => revalidator.revalidate()} />
                </div>
              ) : null}
            </section>
          ) : null}

          <section aria-labelledby="registry" className="rounded-lg border border-slate-200 bg-white p-5">
            <h2 id="registry" className="font-semibold">
              Registry (ACRA)
            </h2>
            {registry ? (
              <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                <Fact term="UEN">{company.uen}</Fact>
                <Fact term="Status">{registry.status}</Fact>
                <Fact term="Type">{[registry.entityType, registry.companyType].filter(Boolean).join(" · ") || "—"}</Fact>
                <Fact term="Incorporated">{registry.incorporatedOn ?? "—"}</Fact>
                <Fact term="Address">{registry.address ?? "—"}</Fact>
                <Fact term="SSIC">
                  {registry.ssic.length
                    ? registry.ssic.map((s) => (
                        <span key={s.code} className="block">
                          {s.code} {s.description ? `· ${s.description}` : ""}
                        </span>
                      ))
                    : "—"}
                </Fact>
              </dl>
            ) : (
              <p className="mt-2 text-sm text-slate-600">This UEN is not in the loaded registry.</p>
            )}
          </section>
        </div>

        <section aria-labelledby="enriched" className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-3">
          <h2 id="enriched" className="font-semibold">
            Enriched fields
          </h2>
          {enrichment ? (
            <>
              <p className="mt-1 text-xs text-slate-500">
                Enriched {formatWhen(enrichment.enrichedAt)} · crawl {enrichment.crawlStatus ?? "—"}
                {enrichment.crawlReason ? ` (${enrichment.crawlReason})` : ""} · contacts {enrichment.contactsStatus ?? "—"}
                {enrichment.contentSha256 ? (
                  <>
                    {" "}
                    · content <code title={enrichment.contentSha256}>{enrichment.contentSha256.slice(0, 12)}</code>
                  </>
                ) : null}
              </p>
              <div className="mt-3 overflow-x-auto">
                <DataTable columns={fieldColumns} rows={enrichment.fields} rowKey={(f) => f.field} caption="Enriched fields" />
              </div>
            </>
          ) : (
            <p className="mt-2 text-sm text-slate-600">Not enriched yet.</p>
          )}
        </section>

        <section aria-labelledby="contacts" className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-3">
          <h2 id="contacts" className="font-semibold">
            Contacts and emails
          </h2>
          {company.contacts.length === 0 && company.otherEmails.length === 0 ? (
            <div className="mt-3">
              <EmptyState title="No contacts found">The contact search found nobody at this company yet.</EmptyState>
            </div>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <DataTable
                columns={contactColumns}
                rows={[...company.contacts, ...(company.otherEmails.length ? [{ companyAddresses: company.otherEmails }] : [])]}
                rowKey={(row) => ("companyAddresses" in row ? "company-addresses" : row.id)}
                rowProps={(row) => ("companyAddresses" in row ? {} : { "data-testid": "contact-row" })}
                caption="Contacts and emails"
              />
            </div>
          )}
        </section>

        <section aria-labelledby="sources" className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-3">
          <h2 id="sources" className="font-semibold">
            Crawl sources
          </h2>
          {company.sources.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">No pages were read for this company.</p>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <DataTable columns={sourceColumns} rows={company.sources} rowKey={(p) => p.url} caption="Crawl sources" />
            </div>
          )}
        </section>
      </div>
    </Page>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{term}</dt>
      <dd className="text-slate-800">{children}</dd>
    </>
  );
}

function EmailList({ emails }: { emails: CompanyEmail[] }) {
  return (
    <ul className="space-y-1">
      {emails.map((e, index) => (
        <li key={`${index}:${e.email}`} className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-xs text-slate-800">{e.email}</span>
          <Badge tone={EMAIL_TONE[e.status] ?? statusTone(e.status)}>{e.status.replace(/_/g, " ")}</Badge>
        </li>
      ))}
    </ul>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.company.name ?? "Company"} · Nexius Leads` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
