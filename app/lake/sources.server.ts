import { assertPlanFeature } from "~/billing/entitlements.server";
import { assertWithinPlan } from "../billing/usage-counters.server";
import { secretRing } from "../crypto/keys.server";
import { open, seal } from "../crypto/secret-box.server";
import { db, type TenantTx } from "../db.server";
import { env } from "../env.server";
import { graphClientConfig } from "./m365/config.server";
import { createM365Connector } from "./m365/connector.server";
import { createGraphClient, type GraphClientConfig } from "./m365/graph-client.server";
import { lakeMailboxHoldings } from "./m365/mailbox-holdings.server";
import { OdooLakeNotConnectedError, openOdooLakeConnector } from "./odoo/connector.server";
import { type LakeSource, type SourceMapper } from "./pipeline";
import { SOURCE_MAPPERS } from "./source-mappers";
import { type SourceKit } from "./sync-runner.server";

/**
 * The sources the lake can sync: for each, how to build its connector for a
 * tenant (from that tenant's stored credentials) and its mapper. Adding a
 * source (Salesforce, HubSpot) means adding an entry here.
 */
type SourceEntry = { kit(tenantId: string): Promise<SourceKit>; mapper: SourceMapper };

const SOURCES: Partial<Record<LakeSource, SourceEntry>> = {
  odoo: {
    mapper: SOURCE_MAPPERS.odoo!,
    async kit(tenantId) {
      try {
        return { connector: await openOdooLakeConnector(tenantId), mapper: SOURCE_MAPPERS.odoo! };
      } catch (error) {
        if (error instanceof OdooLakeNotConnectedError) throw new SourceNotConnectedError("odoo", error.message);
        throw error;
      }
    },
  },
  m365: {
    mapper: SOURCE_MAPPERS.m365!,
    async kit(tenantId) {
      const client = createGraphClient(await m365GraphConfig(tenantId));
      return { connector: createM365Connector(client, lakeMailboxHoldings(tenantId)), mapper: SOURCE_MAPPERS.m365! };
    },
  },
};

export class SourceUnavailableError extends Error {
  constructor(source: LakeSource) {
    super(`The ${source} source cannot be synced on this platform yet`);
    this.name = "SourceUnavailableError";
  }
}

export class SourceNotConnectedError extends Error {
  constructor(source: LakeSource, reason: string) {
    super(`The ${source} source is not connected: ${reason}`);
    this.name = "SourceNotConnectedError";
  }
}

export async function sourceKit(tenantId: string, source: LakeSource): Promise<SourceKit> {
  const entry = SOURCES[source];
  if (!entry) throw new SourceUnavailableError(source);
  return entry.kit(tenantId);
}

export function sourceMappers(): Partial<Record<LakeSource, SourceMapper>> {
  return Object.fromEntries(Object.entries(SOURCES).map(([source, entry]) => [source, entry.mapper]));
}

/** The Graph client settings of a tenant's connected directory (its own app registration's secret opened), or SourceNotConnectedError. */
export async function m365GraphConfig(tenantId: string): Promise<GraphClientConfig> {
  const row = await db.$withTenant(tenantId, (tx) => tx.lakeSource.findUnique({ where: { tenantId_source: { tenantId, source: "m365" } } }));
  if (!row?.directoryId) throw new SourceNotConnectedError("m365", "no Microsoft 365 directory is connected");
  const clientSecret =
    row.secretCipher && row.secretKeyId
      ? open(secretRing(), { cipher: Buffer.from(row.secretCipher), keyId: row.secretKeyId }, m365SecretContext(tenantId))
      : null;
  const config = graphClientConfig(env(), { directoryId: row.directoryId, clientId: row.clientId, clientSecret });
  if (!config) throw new SourceNotConnectedError("m365", "no Microsoft Entra app registration is configured (MS_CLIENT_ID and MS_CLIENT_SECRET)");
  return config;
}

/** AAD context of a tenant's sealed Entra client secret. */
export function m365SecretContext(tenantId: string): string {
  return `lake-m365:${tenantId}`;
}

/**
 * Connects a tenant's Microsoft 365 directory, as its admin consented to.
 * With `appRegistration` the tenant brings its own Entra app (its secret is
 * sealed at rest); without it, an app registration already stored is kept,
 * so consenting again does not drop it. The connection counts as unchecked
 * until `checkM365Connection` tests it.
 */
export async function connectM365(
  tenantId: string,
  input: { directoryId: string; connectedBy: string | null; appRegistration?: { clientId: string; clientSecret: string } },
): Promise<void> {
  const app = input.appRegistration;
  const sealed = app ? seal(secretRing(), app.clientSecret, m365SecretContext(tenantId)) : null;
  const data = {
    directoryId: input.directoryId,
    ...(app && sealed ? { clientId: app.clientId, secretCipher: new Uint8Array(sealed.cipher), secretKeyId: sealed.keyId } : {}),
    status: "connected",
    statusDetail: null,
    connectedAt: new Date(),
    connectedBy: input.connectedBy,
    checkedAt: null,
    updatedAt: new Date(),
  };
  await db.$withTenant(tenantId, async (tx) => {
    await assertLakeSourceFree(tx, tenantId, "m365");
    await tx.lakeSource.upsert({ where: { tenantId_source: { tenantId, source: "m365" } }, create: { tenantId, source: "m365", ...data }, update: data });
  });
}

/**
 * Connecting a source the workspace does not sync yet takes one of the
 * plan's data-lake sources: throws QuotaExceededError (402) when none is left,
 * and Microsoft 365 needs a plan that includes it (FeatureNotInPlanError, 403)
 * (reconnecting one already counted takes nothing). The workspace's own Odoo
 * is registered by the platform, counts, and is never refused.
 */
export async function assertLakeSourceFree(tx: TenantTx, tenantId: string, source: LakeSource): Promise<void> {
  if (source === "m365") await assertPlanFeature(tx, tenantId, "lake_m365");
  const current = await tx.lakeSource.findFirst({ where: { tenantId, source }, select: { status: true } });
  if (current && current.status !== "not_connected") return;
  await assertWithinPlan(tx, tenantId, "lakeSources");
}
