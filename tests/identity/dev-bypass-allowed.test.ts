import { devBypassSuite } from "./dev-bypass.shared";

// The one case it works: ALLOW_DEV_BYPASS=1 outside production.
devBypassSuite({ ALLOW_DEV_BYPASS: "1", NODE_ENV: "test" }, true);
