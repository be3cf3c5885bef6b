import { provisioningSuite } from "./provisioning.shared";

provisioningSuite("company_per_tenant");
