import { Form, useNavigation } from "@remix-run/react";
import { SelectField, TextareaField } from "~/components/forms";
import { Button } from "~/components/ui/button";
import { mayMoveTo, STATUS_LABELS, type SupportStatus } from "./support-requests";

/**
 * An operator's form under a support request: the next status and the reply.
 * Posts to the operators' queue (/admin/support-requests), which checks the
 * role; from a tenant's detail page it comes back there (`back`).
 */
export function SupportHandling({
  request,
  tenantId,
  back,
  errors,
}: {
  request: { id: string; status: string; reply: string | null };
  tenantId: string;
  back?: "tenant";
  errors?: Record<string, string[] | undefined>;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("requestId") === request.id;
  const next = (["in_progress", "resolved"] as const).filter((s) => mayMoveTo(request.status, s));
  if (next.length === 0) return null;
  return (
    // On the queue the form posts to the page itself, so its filters stay.
    <Form
      method="post"
      action={back ? "/admin/support-requests" : undefined}
      className="mt-3 space-y-2 border-t border-slate-100 pt-3"
      aria-label={`Handle request ${request.id}`}
    >
      <input type="hidden" name="requestId" value={request.id} />
      <input type="hidden" name="tenantId" value={tenantId} />
      {back ? <input type="hidden" name="back" value={back} /> : null}
      <SelectField label="New status" selectProps={{ name: "status", defaultValue: next[next.length - 1] }} errors={errors?.status}>
        {next.map((s: SupportStatus) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <TextareaField
        label="Reply to the tenant"
        help="The tenant's admin reads it in their portal; required to resolve."
        textareaProps={{ name: "reply", rows: 3, defaultValue: request.reply ?? "" }}
        errors={errors?.reply}
      />
      <Button type="submit" disabled={busy}>
        {busy ? "Saving…" : "Update request"}
      </Button>
    </Form>
  );
}
