import { type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const steps = [
  { title: "Company registry", body: "Every Singapore entity from ACRA, refreshed nightly and filtered by your ICP." },
  { title: "Enrichment waterfall", body: "Website crawl, search fallback, AI extraction, LinkedIn contacts, verified emails." },
  { title: "Scores with reasons", body: "High, Medium and Low buckets, each with the rationale behind the score." },
  { title: "Straight into Odoo", body: "Companies and contacts created or updated in your Odoo, idempotently." },
];

export default function Index() {
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-16">
      <h1 className="text-4xl font-bold tracking-tight text-slate-900">A ranked shortlist of companies, every morning.</h1>
      <p className="mt-4 max-w-2xl text-lg text-slate-600">
        Nexius Leads turns the company registry into scored, explained, contactable leads for your sales team, and keeps your Odoo CRM in step.
      </p>
      <div className="mt-8 flex gap-3">
        <Link to="/app" className="rounded-md bg-brand-600 px-5 py-2.5 text-sm font-semibold text-white hover:bg-brand-700">
          Open your workspace
        </Link>
        <Link to="/admin" className="rounded-md border border-slate-300 bg-white px-5 py-2.5 text-sm font-semibold text-slate-700 hover:bg-slate-50">
          Platform admin
        </Link>
      </div>
      <ol className="mt-14 grid gap-4 sm:grid-cols-2">
        {steps.map((step, i) => (
          <li key={step.title} className="rounded-lg border border-slate-200 bg-white p-5">
            <p className="text-xs font-semibold uppercase tracking-wide text-brand-600">Step {i + 1}</p>
            <h2 className="mt-1 font-semibold">{step.title}</h2>
            <p className="mt-1 text-sm text-slate-600">{step.body}</p>
          </li>
        ))}
      </ol>
    </main>
  );
}

export const meta: MetaFunction = () => [{ title: "Nexius Leads — sales intelligence for Odoo teams" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
