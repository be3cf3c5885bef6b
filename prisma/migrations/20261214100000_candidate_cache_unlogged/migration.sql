-- The candidate cache is derived from the registry and each tenant's ICP, so
-- it need not survive a crash: as an UNLOGGED table a first fill writes no WAL
-- (a 235,000-row fill wrote 46 MB of it, heap and primary key, about a third
-- of the fill's time). Crash recovery empties the table for every tenant while
-- icp_candidate_refreshes still records the basis; a refresh that finds the
-- table empty where its last refresh left candidates evaluates the registry
-- again (app/icp/candidates.server.ts). Streaming replicas and physical backups
-- carry no unlogged rows either: after a failover or a restore the next
-- refresh refills the set. Row-level security is unchanged.
ALTER TABLE "icp_candidate_companies" SET UNLOGGED;
