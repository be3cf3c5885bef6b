import { getFormProps, getInputProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type ReactNode } from "react";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { Page } from "~/components/ui/page";
import { catalogueErrors, createTenant, discardDraft, loadDraft, saveDraft, wizardChoices } from "~/tenants/tenant-creation.server";
import {
  type AnswerStep,
  nextStep,
  ODOO_MODE_LABELS,
  ODOO_MODES,
  previousStep,
  reachableStep,
  REGIONS,
  SIZE_PROFILES,
  SSO_MODE_LABELS,
  SSO_MODES,
  STEP_SCHEMAS,
  WIZARD_STEPS,
  type WizardAnswers,
  type WizardStep,
} from "~/tenants/tenant-wizard";

/**
 * The create-tenant wizard (platform owners only). Each step's answers are
 * checked when the owner goes on, then kept in a draft row per owner on the
 * server: a reload, a second tab or a sign-in again resumes where they were,
 * which a cookie could not promise across devices, and the draft is gone once
 * the tenant exists. The review creates the tenant and its `create` operation.
 */
const OWNER = ["platform_owner"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePlatformUser(request, OWNER);
  const draft = await loadDraft(viewer.sub);
  const answers = draft?.answers ?? {};
  const step = reachableStep(new URL(request.url).searchParams.get("step") ?? draft?.step ?? null, answers);
  return { step, answers, ...(await wizardChoices()) };
}

const WizardAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("next"), step: z.enum(WIZARD_STEPS) }),
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.literal("discard") }),
]);

type ActionResult = { result?: SubmissionResult<string[]>; message?: string; fieldErrors?: Record<string, string[]> };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const viewer = await requirePlatformUser(request, OWNER);
  const formData = await request.formData();
  const intent = WizardAction.safeParse({ intent: formData.get("intent"), step: formData.get("step") ?? undefined });
  if (!intent.success) return { message: "Unknown action" };
  const draft = (await loadDraft(viewer.sub)) ?? { step: "identity" as WizardStep, answers: {} as WizardAnswers };
  switch (intent.data.intent) {
    case "next": {
      const step = intent.data.step;
      if (step === "review") return redirect("/admin/tenants/new?step=review");
      const submission = parseWithZod(formData, { schema: STEP_SCHEMAS[step as AnswerStep] });
      if (submission.status !== "success") return { result: submission.reply() };
      const fieldErrors = await catalogueErrors(submission.value as WizardAnswers);
      if (Object.keys(fieldErrors).length > 0) return { result: submission.reply({ fieldErrors }) };
      const following = nextStep(step);
      await saveDraft(viewer.sub, following, { ...draft.answers, ...(submission.value as WizardAnswers) });
      return redirect(`/admin/tenants/new?step=${following}`);
    }
    case "create": {
      const created = await createTenant(draft.answers, { sub: viewer.sub, email: viewer.email }, "ui");
      if (!created.ok) return { message: created.reason, fieldErrors: created.fieldErrors };
      await discardDraft(viewer.sub);
      return redirect(`/admin/tenants/${created.tenantId}?operation=${created.operationId}`);
    }
    case "discard":
      await discardDraft(viewer.sub);
      return redirect("/admin/tenants");
  }
}

const STEP_TITLES: Record<WizardStep, string> = {
  identity: "Identity",
  plan: "Plan",
  bundle: "Bundle",
  infra: "Infrastructure",
  sso: "Sign-in",
  review: "Review",
};

export default function NewTenantWizard() {
  const { step } = useLoaderData<typeof loader>();
  const index = WIZARD_STEPS.indexOf(step);
  return (
    <Page title="Create tenant" description={`Step ${index + 1} of ${WIZARD_STEPS.length}: ${STEP_TITLES[step]}`}>
      <p className="mb-4 text-sm">
        <Link to="/admin/tenants" className="text-brand-700 hover:underline">
          ← All tenants
        </Link>
      </p>
      <ol aria-label="Wizard steps" className="mb-6 flex flex-wrap gap-2 text-sm">
        {WIZARD_STEPS.map((s, i) => (
          <li
            key={s}
            aria-current={s === step ? "step" : undefined}
            className={`rounded-full px-3 py-1 ${s === step ? "bg-brand-600 text-white" : i < index ? "bg-brand-50 text-brand-700" : "bg-slate-100 text-slate-500"}`}
          >
            {i + 1}. {STEP_TITLES[s]}
          </li>
        ))}
      </ol>
      <section className="max-w-2xl rounded-lg border border-slate-200 bg-white p-6">
        {step === "review" ? <Review /> : <StepForm key={step} step={step} />}
      </section>
    </Page>
  );
}

/** One step's form: its fields, Back (keeps what was saved) and Next (checks, saves, goes on). */
function StepForm({ step }: { step: Exclude<WizardStep, "review"> }) {
  const { answers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `tenant-wizard-${step}`,
    lastResult: navigation.state === "idle" ? actionData?.result : undefined,
    defaultValue: answers,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: STEP_SCHEMAS[step] }),
  });
  const previous = previousStep(step);
  const fieldErrors = (name: keyof WizardAnswers) => fields[name].errors;
  const text = (name: "name" | "slug" | "agency_group") => getInputProps(fields[name], { type: "text" });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-5">
      <input type="hidden" name="step" value={step} />
      {step === "identity" ? (
        <>
          <Field label="Name" inputProps={{ ...text("name"), autoFocus: true }} errors={fieldErrors("name")} />
          <Field
            label="Slug"
            inputProps={text("slug")}
            errors={fieldErrors("slug")}
            help="Lower-case letters, digits and dashes; it names the workspace's Odoo database and cannot change later."
          />
          <Field label="Agency group (optional)" inputProps={text("agency_group")} errors={fieldErrors("agency_group")} />
        </>
      ) : step === "plan" ? (
        <PlanChoices errors={fieldErrors("plan")} />
      ) : step === "bundle" ? (
        <BundleChoices errors={fieldErrors("bundle")} />
      ) : step === "infra" ? (
        <>
          <Choices name="region" legend="Region" options={REGIONS.map((r) => ({ value: r, label: r }))} errors={fieldErrors("region")} />
          <Choices
            name="odoo_mode"
            legend="Odoo"
            options={ODOO_MODES.map((m) => ({ value: m, label: ODOO_MODE_LABELS[m] }))}
            errors={fieldErrors("odoo_mode")}
          />
          <Choices
            name="size_profile"
            legend="Size profile"
            options={SIZE_PROFILES.map((s) => ({ value: s, label: s }))}
            errors={fieldErrors("size_profile")}
          />
        </>
      ) : (
        <Choices
          name="sso_mode"
          legend="How its users sign in"
          options={SSO_MODES.map((m) => ({ value: m, label: SSO_MODE_LABELS[m] }))}
          errors={fieldErrors("sso_mode")}
          help="Its own provider is set up on the tenant's SSO tab once the tenant exists; until then the platform's sign-in applies."
        />
      )}
      <ErrorList errors={form.errors} />
      <WizardButtons previous={previous} busy={navigation.state !== "idle"} />
    </Form>
  );
}

function WizardButtons({ previous, busy, submit = "Next" }: { previous: WizardStep | null; busy: boolean; submit?: string }) {
  return (
    <div className="flex items-center justify-between gap-3 border-t border-slate-100 pt-4">
      {previous ? (
        <Link to={`?step=${previous}`} className="rounded-md border border-slate-300 px-3.5 py-2 text-sm font-medium text-slate-700">
          Back
        </Link>
      ) : (
        <span />
      )}
      <Button type="submit" name="intent" value={submit === "Next" ? "next" : "create"} disabled={busy}>
        {busy ? "Working…" : submit}
      </Button>
    </div>
  );
}

/** A radio group: arrow keys move between its options, as a native group does. */
function Choices({
  name,
  legend,
  options,
  errors,
  help,
}: {
  name: string;
  legend: string;
  options: Array<{ value: string; label: ReactNode; detail?: ReactNode }>;
  errors?: string[];
  help?: string;
}) {
  const { answers } = useLoaderData<typeof loader>();
  const current = answers[name as keyof WizardAnswers];
  const errorId = `${name}-error`;
  return (
    <fieldset aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      {help ? <p className="mt-1 text-xs text-slate-500">{help}</p> : null}
      <div className="mt-2 space-y-2">
        {options.map((option) => (
          <label key={option.value} className="flex cursor-pointer gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-600">
            <input type="radio" name={name} value={option.value} defaultChecked={current === option.value} className="mt-0.5" />
            <span>
              <span className="font-medium">{option.label}</span>
              {option.detail ? <span className="block text-slate-600">{option.detail}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <ErrorList id={errorId} errors={errors} />
    </fieldset>
  );
}

function PlanChoices({ errors }: { errors?: string[] }) {
  const { plans } = useLoaderData<typeof loader>();
  return <Choices name="plan" legend="Plan" errors={errors} options={plans.map((p) => ({ value: p.code, label: p.name, detail: p.description }))} />;
}

function BundleChoices({ errors }: { errors?: string[] }) {
  const { bundles } = useLoaderData<typeof loader>();
  return (
    <Choices
      name="bundle"
      legend="Module bundle"
      errors={errors}
      options={bundles.map((b) => ({ value: b.code, label: `${b.name} (${b.type})`, detail: `${b.description} Modules: ${b.modules.join(", ")}` }))}
    />
  );
}

function Review() {
  const { answers, plans, bundles } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const rows: Array<[string, ReactNode, WizardStep]> = [
    ["Name", answers.name, "identity"],
    ["Slug", answers.slug, "identity"],
    ["Agency group", answers.agency_group || "—", "identity"],
    ["Plan", plans.find((p) => p.code === answers.plan)?.name ?? answers.plan, "plan"],
    ["Bundle", bundles.find((b) => b.code === answers.bundle)?.name ?? answers.bundle, "bundle"],
    ["Region", answers.region, "infra"],
    ["Odoo", answers.odoo_mode ? ODOO_MODE_LABELS[answers.odoo_mode as keyof typeof ODOO_MODE_LABELS] : "", "infra"],
    ["Size profile", answers.size_profile, "infra"],
    ["Sign-in", answers.sso_mode ? SSO_MODE_LABELS[answers.sso_mode as keyof typeof SSO_MODE_LABELS] : "", "sso"],
  ];
  return (
    <Form method="post" className="space-y-5">
      <dl className="grid grid-cols-[auto_1fr_auto] gap-x-6 gap-y-2 text-sm">
        {rows.map(([label, value, step]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd>{value}</dd>
            <dd>
              <Link to={`?step=${step}`} className="text-brand-700 hover:underline" aria-label={`Change ${label.toLowerCase()}`}>
                Change
              </Link>
            </dd>
          </div>
        ))}
      </dl>
      {actionData?.message ? (
        <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900">
          <p>{actionData.message}</p>
          <ErrorList errors={Object.entries(actionData.fieldErrors ?? {}).map(([field, errors]) => `${field}: ${(errors as string[]).join(", ")}`)} />
        </div>
      ) : null}
      <p className="text-sm text-slate-600">
        Creating the tenant provisions its Odoo ({answers.odoo_mode === "db_per_tenant" ? "a database of its own" : "a company in the shared database"}), its
        integration user and sign-in, then opens it; its page shows each step as it runs.
      </p>
      <WizardButtons previous="sso" busy={navigation.state !== "idle"} submit="Create tenant" />
      <div className="text-right">
        <button type="submit" name="intent" value="discard" formNoValidate className="text-sm text-slate-500 underline">
          Discard this draft
        </button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction = () => [{ title: "Create tenant · Platform admin" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
