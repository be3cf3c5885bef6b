import { devBypassSuite } from "./dev-bypass.shared";

// Set explicitly, but production never honours it.
devBypassSuite({ ALLOW_DEV_BYPASS: "1", NODE_ENV: "production" }, false);
