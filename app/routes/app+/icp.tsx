import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { requireRole, requireTenantUser } from "~/auth/guards.server";
import { canOperate } from "~/auth/roles";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Page } from "~/components/ui/page";
import { latestCandidateRefresh } from "~/icp/candidates.server";
import { HistoryPanel } from "~/icp/history-panel";
import { currentIcpRules, icpHistory, previewCandidates, saveIcpRules } from "~/icp/icp.server";
import { PreviewPanel } from "~/icp/preview-panel";
import { previewResult, type PreviewResult } from "~/icp/preview-view";
import { defaultIcpRules } from "~/icp/rules";
import { IcpRulesEditor } from "~/icp/rules-editor";
import { IcpRulesForm, rulesToFormValues } from "~/icp/rules-form";
import { changeText } from "~/icp/rules-text";
import { formatWhen } from "~/utils/date-format";

/**
 * The ICP editor: every rule as a form (ops and admins edit, viewers read),
 * a live preview of what the unsaved rules match, and the version history
 * with what each version changed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireTenantUser(request);
  const tenantId = viewer.tenant.id;
  const current = await currentIcpRules(tenantId);
  const rules = current?.rules ?? defaultIcpRules();
  const [history, preview, refresh] = await Promise.all([
    icpHistory(tenantId, { limit: 30 }),
    previewCandidates(tenantId, rules, { sampleSize: 20 }),
    latestCandidateRefresh(tenantId),
  ]);
  return {
    version: current?.version ?? null,
    savedBy: current ? (current.authorEmail ?? current.authorSub) : null,
    savedAt: current?.createdAt.toISOString() ?? null,
    values: rulesToFormValues(rules),
    preview: previewResult(preview),
    refresh: refresh
      ? {
          status: refresh.status,
          candidateCount: refresh.candidateCount,
          finishedAt: refresh.finishedAt?.toISOString() ?? null,
          icpVersion: refresh.icpVersion,
        }
      : null,
    history: history.map((h) => ({
      version: h.version,
      author: h.authorEmail ?? h.authorSub ?? "system",
      createdAt: h.createdAt.toISOString(),
      changes: h.changes.map((c) => ({
        path: c.path,
        kind: c.kind,
        text: changeText(c),
      })),
    })),
    canEdit: canOperate(viewer.roles),
  };
}

/** A save answers with Conform's reply: the refused fields and the typed values, or a reset to the saved version. */
export type SaveResult =
  { ok: true; changed: boolean; version: number; submission: SubmissionResult<string[]> } | { ok: false; submission: SubmissionResult<string[]> };

export async function action({ request }: ActionFunctionArgs): Promise<SaveResult> {
  const viewer = requireRole(request, await requireTenantUser(request), ["ops", "admin"]);
  const formData = await request.formData();
  if (formData.get("intent") !== "save") throw new Response("Unknown action", { status: 400 });
  const submission = parseWithZod(formData, { schema: IcpRulesForm, disableAutoCoercion: true });
  if (submission.status !== "success") return { ok: false, submission: submission.reply() };
  const saved = await saveIcpRules(viewer.tenant.id, { sub: viewer.sub, email: viewer.email }, submission.value);
  return { ok: true, changed: saved.changed, version: saved.version.version, submission: submission.reply({ resetForm: true }) };
}

export default function IcpEditor() {
  const { version, savedBy, savedAt, values: saved, preview: initialPreview, refresh, history, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  const previewer = useFetcher<PreviewResult>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [dirty, setDirty] = useState(false);

  const failed = result && !result.ok ? result : null;
  const refused = Object.values(failed?.submission.error ?? {}).filter(Boolean).length;
  const livePreview = previewer.data;
  // While the form is invalid, keep showing what the last valid rules matched.
  const [lastValid, setLastValid] = useState<Extract<PreviewResult, { ok: true }> | null>(null);
  useEffect(() => {
    if (livePreview?.ok) setLastValid(livePreview);
  }, [livePreview]);
  const preview = livePreview?.ok ? livePreview : (lastValid ?? (initialPreview.ok ? initialPreview : null));
  const previewing = previewer.state !== "idle";

  useEffect(() => {
    if (result?.ok) setDirty(false);
  }, [result]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onChange = (event: FormEvent<HTMLFormElement>) => {
    if (!canEdit) return;
    const form = event.currentTarget;
    setDirty(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const data = new FormData(form);
      data.delete("intent");
      previewer.load(`/app/icp/preview?${new URLSearchParams(data as unknown as Record<string, string>).toString()}`);
    }, 400);
  };

  return (
    <Page
      title="Ideal customer profile"
      description={version ? `Version ${version}, saved by ${savedBy} on ${formatWhen(savedAt)}` : "The default rules; nobody has changed them yet."}
    >
      {!canEdit ? (
        <p className="mb-4 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700" role="note">
          Read-only: your role can see the ICP but not change it. Ask an ops or admin user of your workspace.
        </p>
      ) : null}
      {result?.ok ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
          {result.changed ? `Saved version ${result.version}. The candidate list is being refreshed.` : "Nothing changed, so no new version was saved."}
        </p>
      ) : null}
      {failed ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          Not saved: {refused === 1 ? "one field needs" : `${refused} fields need`} attention. Your input is kept below.
        </p>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr),minmax(0,2fr)]">
        <IcpRulesEditor
          key={version ?? 0}
          values={saved}
          lastResult={result?.submission}
          previewErrors={livePreview ? (livePreview.ok ? {} : livePreview.errors) : null}
          canEdit={canEdit}
          saving={saving}
          dirty={dirty}
          version={version}
          onChange={onChange}
        />

        <div className="space-y-6">
          <PreviewPanel preview={preview} previewing={previewing} invalid={Boolean(livePreview && !livePreview.ok)} refresh={refresh} />
          <HistoryPanel history={history} />
        </div>
      </div>
    </Page>
  );
}

export const meta: MetaFunction = () => [{ title: "ICP · Nexius Leads" }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
