import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { Badge, statusTone, type BadgeTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
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
  const started = uen.success
    ? await reEnrichCompany(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, uen.data, {
        includeCareers: form.data.includeCareers === "on",
        forceRecrawl: form.data.forceRecrawl === "on",
      })
    : null;
  invariantFound(started, "No such company in this workspace");
  return { ok: true as const, runId: started.runId, message: "Re-enrich started." };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.company.name ?? "Company"} · Nexius Leads` }];

const BUCKET_TONE: Record<string, BadgeTone> = { High: "green", Medium: "amber", Low: "gray" };
const EMAIL_TONE: Record<string, BadgeTone> = { verified: "green", catch_all: "amber", unknown: "amber", pending: "blue", invalid: "red", do_not_mail: "red" };

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
        <p className="mb-4 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">Personal data (names, emails, phone numbers) is masked for your role.</p>
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
                {score.runKind === "re_enrich" ? "Re-enrich" : "Run"} of {score.runDate} · rationale from {score.rationaleSource} · scored {formatWhen(score.scoredAt)}
              </p>
              <div className="mt-4 overflow-x-auto">
                <table className="min-w-full text-sm" aria-label="Score breakdown">
                  <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                      <th scope="col" className="py-2 pr-3">Signal</th>
                      <th scope="col" className="py-2 pr-3">Evidence</th>
                      <th scope="col" className="py-2 pr-3 text-right">Points</th>
                      <th scope="col" className="hidden py-2 sm:table-cell">
                        <span className="sr-only">Share of weight</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {score.breakdown.map((row) => (
                      <tr key={row.feature}>
                        <th scope="row" className="py-2 pr-3 text-left font-medium text-slate-800">
                          {row.label}
                        </th>
                        <td className="py-2 pr-3 text-slate-700">{row.reason ?? row.signal ?? "—"}</td>
                        <td className="py-2 pr-3 text-right tabular-nums whitespace-nowrap">
                          {row.points.toFixed(1)} <span className="text-slate-500">/ {row.weight.toFixed(0)}</span>
                        </td>
                        <td className="hidden w-32 py-2 sm:table-cell">
                          <div className="h-2 rounded bg-slate-100" aria-hidden>
                            <div className="h-2 rounded bg-brand-500" style={{ width: `${row.weight > 0 ? Math.min(100, (row.points / row.weight) * 100) : 0}%` }} />
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr className="border-t border-slate-200 font-semibold">
                      <th scope="row" className="py-2 pr-3 text-left" colSpan={2}>
                        Score
                      </th>
                      <td className="py-2 pr-3 text-right tabular-nums">{score.score.toFixed(1)}</td>
                      <td className="hidden sm:table-cell" />
                    </tr>
                  </tfoot>
                </table>
              </div>
            </>
          ) : (
            <p className="mt-2 text-sm text-slate-600">No finished run has scored this company yet.{canOperate ? " Re-enrich it to score it now." : ""}</p>
          )}
        </section>

        <div className="space-y-6">
          {canOperate ? (
            <section aria-labelledby="re-enrich" className="rounded-lg border border-slate-200 bg-white p-5">
              <h2 id="re-enrich" className="font-semibold">Re-enrich</h2>
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
            <h2 id="registry" className="font-semibold">Registry (ACRA)</h2>
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
          <h2 id="enriched" className="font-semibold">Enriched fields</h2>
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
                <table className="min-w-full text-sm">
                  <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                      <th scope="col" className="py-2 pr-3">Field</th>
                      <th scope="col" className="py-2 pr-3">Value</th>
                      <th scope="col" className="py-2 pr-3">Source</th>
                      <th scope="col" className="py-2">When</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {enrichment.fields.map((f) => (
                      <tr key={f.field}>
                        <th scope="row" className="py-2 pr-3 text-left align-top font-medium text-slate-800">
                          {f.label}
                        </th>
                        <td className="max-w-xl py-2 pr-3 align-top text-slate-700">{f.value ?? <span className="text-slate-400">not found</span>}</td>
                        <td className="py-2 pr-3 align-top font-mono text-xs text-slate-600">{f.provenance?.source ?? "—"}</td>
                        <td className="py-2 align-top whitespace-nowrap text-slate-600">{formatWhen(f.provenance?.at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : (
            <p className="mt-2 text-sm text-slate-600">Not enriched yet.</p>
          )}
        </section>

        <section aria-labelledby="contacts" className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-3">
          <h2 id="contacts" className="font-semibold">Contacts and emails</h2>
          {company.contacts.length === 0 && company.otherEmails.length === 0 ? (
            <div className="mt-3">
              <EmptyState title="No contacts found">The contact search found nobody at this company yet.</EmptyState>
            </div>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pr-3">Name</th>
                    <th scope="col" className="py-2 pr-3">Title</th>
                    <th scope="col" className="py-2 pr-3">Email</th>
                    <th scope="col" className="py-2 pr-3">Source</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {company.contacts.map((c) => (
                    <tr key={c.id} data-testid="contact-row">
                      <td className="py-2 pr-3 align-top font-medium text-slate-800">
                        {c.linkedinUrl ? (
                          <a href={c.linkedinUrl} target="_blank" rel="noreferrer" className="text-brand-700 hover:underline">
                            {c.name}
                          </a>
                        ) : (
                          c.name
                        )}
                        {c.location ? <div className="text-xs font-normal text-slate-500">{c.location}</div> : null}
                      </td>
                      <td className="py-2 pr-3 align-top text-slate-700">{c.title ?? "—"}</td>
                      <td className="py-2 pr-3 align-top">{c.emails.length ? <EmailList emails={c.emails} /> : <span className="text-slate-400">none found</span>}</td>
                      <td className="py-2 pr-3 align-top font-mono text-xs text-slate-600">{c.source}</td>
                    </tr>
                  ))}
                  {company.otherEmails.length ? (
                    <tr>
                      <td className="py-2 pr-3 align-top text-slate-500" colSpan={2}>
                        Company addresses
                      </td>
                      <td className="py-2 pr-3 align-top">
                        <EmailList emails={company.otherEmails} />
                      </td>
                      <td className="py-2 pr-3 align-top font-mono text-xs text-slate-600">{[...new Set(company.otherEmails.map((e) => e.source))].join(", ")}</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section aria-labelledby="sources" className="rounded-lg border border-slate-200 bg-white p-5 lg:col-span-3">
          <h2 id="sources" className="font-semibold">Crawl sources</h2>
          {company.sources.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">No pages were read for this company.</p>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pr-3">Page</th>
                    <th scope="col" className="py-2 pr-3">Kind</th>
                    <th scope="col" className="py-2 pr-3">Source</th>
                    <th scope="col" className="py-2 pr-3">Content hash</th>
                    <th scope="col" className="py-2">Fetched</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {company.sources.map((p) => (
                    <tr key={p.url}>
                      <td className="max-w-md truncate py-2 pr-3">
                        <span className="block truncate text-slate-800" title={p.url}>
                          {p.title ?? p.url}
                        </span>
                        <span className="block truncate text-xs text-slate-500">{p.url}</span>
                      </td>
                      <td className="py-2 pr-3 text-slate-700">{p.kind}</td>
                      <td className="py-2 pr-3">
                        <Badge tone={p.source === "tavily" ? "blue" : "gray"}>{p.source}</Badge>
                        {p.status ? <span className="ml-1 text-xs text-slate-500">HTTP {p.status}</span> : null}
                      </td>
                      <td className="py-2 pr-3 font-mono text-xs text-slate-600">
                        <span title={p.sha256}>{p.sha256.slice(0, 12)}…</span>
                      </td>
                      <td className="py-2 whitespace-nowrap text-slate-600">{formatWhen(p.fetchedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
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
