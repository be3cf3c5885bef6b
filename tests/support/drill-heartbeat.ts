/**
 * The heartbeat of the workers in the crash drills: a fresh worker releases
 * a killed one's jobs after three of its own beats, so at a quarter second
 * the recovery under test starts within a second instead of thirty.
 */
export const DRILL_HEARTBEAT_MS = 250;
