/**
 * The ICP a new workspace starts with: live Singapore companies in software
 * and IT services, run nightly at 02:00 Singapore time. Users refine it in the
 * ICP editor or the chat.
 */
export function defaultIcpRules() {
  return {
    industries: ["software"],
    statuses: ["live"],
    schedule: { enabled: true, hourSgt: 2 },
    dailyCap: 50,
    freeMailPolicy: "exclude",
  };
}
