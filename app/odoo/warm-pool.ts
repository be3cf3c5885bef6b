/** The states of a warm pool copy (odoo_warm_databases.state). Safe to import in the browser. */
export const WARM_STATES = ["creating", "ready", "claimed", "failed"] as const;
export type WarmState = (typeof WARM_STATES)[number];
