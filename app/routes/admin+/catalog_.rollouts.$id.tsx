import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { requirePlatformUser } from "~/auth/guards.server";
import { TENANT_OPERATIONS_ROLES } from "~/auth/roles";
import { bundleModules } from "~/catalog/module-apply.server";
import { rollbackRollout, rolloutDetail } from "~/catalog/rollouts.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Badge, type BadgeTone, statusTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { DataTable, type DataColumn } from "~/components/ui/data-table";
import { Page } from "~/components/ui/page";
import { invariantFound } from "~/http.server";
import { formatWhenWithSeconds } from "~/utils/date-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const id = z.uuid().safeParse(params.id);
  const rollout = id.success ? await rolloutDetail(id.data) : null;
  invariantFound(rollout, "No such rollout");
  const [modules, previousModules] = await Promise.all([
    bundleModules(rollout.bundleCode, rollout.version),
    rollout.previousVersion ? bundleModules(rollout.bundleCode, rollout.previousVersion) : null,
  ]);
  return { rollout, modules: modules ?? [], previousModules };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requirePlatformUser(request, TENANT_OPERATIONS_ROLES);
  const id = z.uuid().safeParse(params.id);
  invariantFound(id.success ? id.data : null, "No such rollout");
  const result = await rollbackRollout(id.data!);
  return result.ok
    ? { ok: true, message: "Rollback started: the previous version goes back to the tenants this rollout changed." }
    : { ok: false, message: result.reason };
}

const STATE_TONES: Record<string, BadgeTone> = { installed: "green", removed: "gray", failed: "red", pending: "amber" };

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rollout"]["tenants"][number];

const columns: DataColumn<Row>[] = [
  {
    header: "Tenant",
    cell: (t) =>
      t.tenant ? (
        <Link to={`/admin/tenants/${t.tenantId}`} className="font-medium text-brand-700 hover:underline">
          {t.tenant.name}
        </Link>
      ) : (
        "deleted tenant"
      ),
  },
  { header: "Wave", cell: (t) => (t.wave === 0 ? "Canary" : `Batch ${t.wave}`) },
  { header: "State", cell: (t) => <Badge tone={STATE_TONES[t.state] ?? "gray"}>{t.state}</Badge> },
  {
    header: "Operation",
    cell: (t) => {
      const op = t.rollbackOperationId ?? t.operationId;
      return op ? (
        <Link to={`/admin/tenants/${t.tenantId}?tab=logs&operation=${op}`} className="text-brand-700 hover:underline">
          {t.rollbackOperationId ? "rollback log" : "log"}
        </Link>
      ) : (
        "—"
      );
    },
  },
  { header: "Error", cellClassName: "text-red-800", cell: (t) => t.error ?? "" },
];

export default function Rollout() {
  const { rollout, modules, previousModules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const moving = rollout.status === "running" || rollout.status === "rolling_back";
  // While tenants are being changed, follow along every 3 s.
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 3000);
    return () => clearInterval(timer);
  }, [moving, revalidator]);
  const canRollBack = (rollout.status === "stopped" || rollout.status === "succeeded") && rollout.previousVersion !== null;
  const counts = Object.fromEntries(["pending", "installed", "removed", "failed"].map((s) => [s, rollout.tenants.filter((t) => t.state === s).length]));
  return (
    <Page
      title={`Rollout of ${rollout.bundleCode} v${rollout.version}`}
      description={
        <span className="flex items-center gap-2">
          <Badge tone={statusTone(rollout.status)}>{rollout.status.replace("_", " ")}</Badge>
          <span>
            started {formatWhenWithSeconds(rollout.createdAt)} by {rollout.actorEmail ?? "system"}, batches of {rollout.batchSize}
          </span>
        </span>
      }
      actions={
        canRollBack ? (
          <Form method="post">
            <Button type="submit" variant="danger" disabled={navigation.state === "submitting"}>
              Roll back to v{rollout.previousVersion}
            </Button>
          </Form>
        ) : null
      }
    >
      <p className="mb-4 text-sm">
        <Link to="/admin/catalog" className="text-brand-700 hover:underline">
          ← Modules and bundles
        </Link>
      </p>
      {result ? (
        <p
          role="status"
          className={`mb-6 rounded-md border p-3 text-sm ${result.ok ? "border-emerald-200 bg-emerald-50" : "border-red-200 bg-red-50 text-red-900"}`}
        >
          {result.message}
        </p>
      ) : null}
      <dl className="mb-6 grid grid-cols-2 gap-y-2 rounded-lg border border-slate-200 bg-white p-5 text-sm sm:grid-cols-4">
        {Object.entries(counts).map(([state, n]) => (
          <div key={state}>
            <dt className="capitalize text-slate-500">{state}</dt>
            <dd className="text-lg font-semibold" data-testid={`count-${state}`}>
              {n}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mb-4 text-sm text-slate-600">
        Modules of v{rollout.version}: <span className="font-mono text-xs">{modules.join(", ")}</span>
        {previousModules ? (
          <>
            {" "}
            · v{rollout.previousVersion}: <span className="font-mono text-xs">{previousModules.join(", ")}</span>
          </>
        ) : null}
      </p>
      <DataTable columns={columns} rows={rollout.tenants} rowKey={(t) => t.tenantId} caption="Tenants of the rollout" />
    </Page>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Rollout of ${data?.rollout.bundleCode ?? "a bundle"} · Platform admin` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
