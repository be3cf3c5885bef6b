import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireTenantUser } from "~/auth/guards.server";
import { previewCandidates } from "~/icp/icp.server";
import { previewResult, type PreviewResult } from "~/icp/preview-view";
import { InvalidIcpRulesError } from "~/icp/rules";
import { formToRulesInput, formValuesOf, issuesToFieldErrors } from "~/icp/rules-form";

/**
 * The ICP editor's live preview: the form's current (unsaved) values as a
 * query string in, how many registry companies they match and a sample of 20
 * out — or the field errors that stop them from being rules at all.
 */
export async function loader({ request }: LoaderFunctionArgs): Promise<PreviewResult> {
  const viewer = await requireTenantUser(request);
  const { input, errors } = formToRulesInput(formValuesOf(new URL(request.url).searchParams));
  if (Object.keys(errors).length) return { ok: false, errors };
  try {
    return previewResult(await previewCandidates(viewer.tenant.id, input, { sampleSize: 20 }));
  } catch (error) {
    if (error instanceof InvalidIcpRulesError) return { ok: false, errors: issuesToFieldErrors(error.issues) };
    throw error;
  }
}
