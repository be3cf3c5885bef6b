import { previousMonth } from "../app/billing/invoice";
import { draftInvoicesForMonth } from "../app/billing/invoices.server";
import { defineTask } from "../app/jobs/define-task.server";
import { taskContracts } from "../app/jobs/payloads";
import { log } from "../app/logger.server";
import { singaporeDate } from "../app/utils/singapore-time";

/** Cron, monthly: last month's drafts, for finance to review and an owner to issue. */
export default defineTask("draft_invoices", taskContracts.draft_invoices, async () => {
  const month = previousMonth(singaporeDate(new Date()));
  const result = await draftInvoicesForMonth(month);
  log().info({ invoices: { month, ...result } }, "monthly invoices drafted");
});
