import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Button } from "~/components/ui/button";
import { PROVISIONING_PHASES, type ProvisioningPhase } from "~/tenants/lifecycle";
import { provisioningStatus, requestProvisioning } from "~/tenants/provisioning.server";
import { formatLatencyMs } from "~/utils/date-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request, { allowSetup: true });
  const status = await provisioningStatus(viewer.tenant.id);
  if (!status || status.status === "ready") throw redirect("/app");
  return { tenant: viewer.tenant, status, phases: PROVISIONING_PHASES, canRetry: RETRY_ROLES.some((role) => viewer.roles.includes(role)) };
}

/** Retrying provisioning works on the shared Odoo: the workspace's admin or platform staff only. */
const RETRY_ROLES = ["admin", "platform_owner", "platform_operator"] as const;

const SetupAction = z.discriminatedUnion("intent", [z.object({ intent: z.literal("retry") })]);

export async function action({ request }: ActionFunctionArgs) {
  const viewer = requireRole(request, await requireTenantUser(request, { allowSetup: true }), RETRY_ROLES);
  const parsed = SetupAction.safeParse(Object.fromEntries(await request.formData()));
  if (parsed.success) {
    await requestProvisioning(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, { mode: "retry" });
  }
  return redirect("/app/setup");
}

const LABELS: Record<ProvisioningPhase, string> = {
  starting: "Creating your workspace",
  creating_odoo: "Creating your Odoo",
  configuring_oidc: "Connecting Odoo to Nexius SSO",
  seeding: "Checking the connection and adding your company",
  ready: "Ready",
};

export default function Setup() {
  const { tenant, status, phases, canRetry } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const failed = status.status === "error";

  // Live progress: re-read the status every second until it is ready (the loader then redirects) or failed.
  useEffect(() => {
    if (failed) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [failed, revalidator]);

  const current = phases.indexOf(status.phase);
  return (
    <main className="mx-auto w-full max-w-xl flex-1 px-6 py-16">
      <h1 className="text-2xl font-bold tracking-tight">{failed ? "Setup stopped" : "Setting up your workspace…"}</h1>
      <p className="mt-2 text-slate-600">{tenant.name} gets its own Odoo, connected to your sign-in. This usually takes a few seconds.</p>
      <ol className="mt-8 space-y-3" aria-live="polite">
        {phases.map((phase, index) => {
          const timing = status.timings[phase];
          const state = index < current || status.status === "ready" ? "done" : index === current ? (failed ? "failed" : "active") : "waiting";
          return (
            <li key={phase} className="flex items-center gap-3" data-phase={phase} data-state={state}>
              <span
                aria-hidden
                className={`grid h-6 w-6 place-items-center rounded-full text-xs font-bold ${
                  state === "done"
                    ? "bg-emerald-600 text-white"
                    : state === "active"
                      ? "animate-pulse bg-brand-600 text-white"
                      : state === "failed"
                        ? "bg-red-600 text-white"
                        : "bg-slate-200 text-slate-500"
                }`}
              >
                {state === "done" ? "✓" : state === "failed" ? "!" : index + 1}
              </span>
              <span className={state === "waiting" ? "text-slate-500" : "font-medium text-slate-900"}>{LABELS[phase]}</span>
              <span className="sr-only">{state}</span>
              <span className="ml-auto text-xs text-slate-500">{state === "done" && timing?.ms !== undefined ? formatLatencyMs(timing.ms) : ""}</span>
            </li>
          );
        })}
      </ol>
      {failed ? (
        <div role="alert" className="mt-8 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p>{status.error}</p>
          {canRetry ? (
            <Form method="post" className="mt-4">
              <input type="hidden" name="intent" value="retry" />
              <Button type="submit" disabled={navigation.state !== "idle"}>
                {navigation.state !== "idle" ? "Retrying…" : "Retry"}
              </Button>
            </Form>
          ) : (
            <p className="mt-4">Your workspace admin can retry the setup.</p>
          )}
        </div>
      ) : null}
    </main>
  );
}

export const meta: MetaFunction = () => [{ title: "Setting up your workspace · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
