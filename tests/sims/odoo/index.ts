export { MODULE_FAULTS_PATH, startOdooSimulator, SimState } from "./server";
export type { FaultKind, FaultSpec, ModuleInstallFault, OdooSimulator, OdooSimulatorOptions, RecordedCall, SimDatabaseOptions } from "./server";
export { SimDatabase } from "./orm";
export { cleanWebsite } from "./models";
export { companiesWithoutCrm, linkDemoSalespeople, seedDemoCrm } from "./demo-crm";
export type { DemoCrmOptions, DemoCrmSummary, DemoSalesperson } from "./demo-crm";
