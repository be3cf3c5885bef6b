-- The overdue activities per owner and the KPI facts of a period are read in
-- bulk (every overdue activity of the tenant, every owner-day of 90 days):
-- indexes that carry the columns those reads add up answer them from the
-- index alone, without a visit to each row.
CREATE INDEX "lake_activities_feed_owner_idx" ON "lake_activities"("tenant_id", "state", "at", "id") INCLUDE ("owner_id")
  WHERE "active" AND "deleted_at" IS NULL;
DROP INDEX "lake_activities_feed_idx";
CREATE INDEX "lake_kpi_daily_day_idx" ON "lake_kpi_daily"("tenant_id", "day")
  INCLUDE ("owner_id", "team_id", "won", "lost", "won_value", "cycle_days_total", "activities_done");
