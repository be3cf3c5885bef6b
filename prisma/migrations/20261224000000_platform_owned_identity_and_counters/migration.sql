-- Sign-in state, identities, request counters and worker heartbeats are
-- written by the platform client alone; the application role keeps only the
-- reads tenant code makes.
--
-- The guards trust a session row's roles, so a session the app role could
-- write (a SQL injection in tenant code, say) could make itself platform
-- staff. A user deleted through the app role would take that person's
-- memberships and sessions in other workspaces with it (foreign-key cascades
-- do not ask row-level security), and a membership it inserted would show
-- another workspace's user to this one.
REVOKE ALL ON "sessions" FROM nexius_app;
REVOKE INSERT, UPDATE, DELETE ON "users", "tenant_users" FROM nexius_app;

-- The request counters name every workspace's users and addresses, and
-- filling them would lock everyone out; heartbeats decide whose jobs other
-- workers take over. Company jobs still read heartbeats.
REVOKE ALL ON "rate_limit_counters" FROM nexius_app;
REVOKE INSERT, UPDATE, DELETE ON "worker_heartbeats" FROM nexius_app;
