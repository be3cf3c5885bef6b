import { devBypassSuite } from "./dev-bypass.shared";

// ALLOW_DEV_BYPASS unset: off by default, also outside production.
devBypassSuite({ ALLOW_DEV_BYPASS: undefined }, false);
