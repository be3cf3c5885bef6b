import { provisioningSuite } from "./provisioning.shared";

provisioningSuite("db_per_tenant");
