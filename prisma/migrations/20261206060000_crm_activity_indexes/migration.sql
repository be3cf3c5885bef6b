-- The Activities page reads the feed of one state (done newest first,
-- planned by due date) over millions of activities: these partial indexes
-- hold only the rows a page can show, in the page's order, for the whole
-- tenant and for one owner (a rep, or a filter on one owner).
CREATE INDEX "lake_activities_feed_idx" ON "lake_activities"("tenant_id", "state", "at", "id") WHERE "active" AND "deleted_at" IS NULL;
CREATE INDEX "lake_activities_owner_feed_idx" ON "lake_activities"("tenant_id", "owner_id", "state", "at", "id") WHERE "active" AND "deleted_at" IS NULL;

-- The type picker lists the distinct activity types by skipping through this index.
CREATE INDEX "lake_activities_tenant_id_activity_type_idx" ON "lake_activities"("tenant_id", "activity_type");

-- The Performance page's stage conversion reads the deals opened in a period.
CREATE INDEX "lake_opportunities_tenant_id_opened_at_idx" ON "lake_opportunities"("tenant_id", "opened_at");
