import { parseWithZod } from "@conform-to/zod/v4";
import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { previewCandidates } from "~/icp/icp.server";
import { previewResult, type PreviewResult } from "~/icp/preview-view";
import { IcpRulesForm } from "~/icp/rules-form";

/**
 * The ICP editor's live preview: the form's current (unsaved) values as a
 * query string in, how many registry companies they match and a sample of 20
 * out — or the field errors that stop them from being rules at all.
 */
export async function loader({ request }: LoaderFunctionArgs): Promise<PreviewResult> {
  const viewer = await requireTenantUser(request);
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: IcpRulesForm, disableAutoCoercion: true });
  if (submission.status !== "success") return { ok: false, errors: submission.error ?? {} };
  return previewResult(await previewCandidates(viewer.tenant.id, submission.value, { sampleSize: 20 }));
}
