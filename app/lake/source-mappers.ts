import { createM365Mapper } from "./m365/mapper";
import { odooMapper } from "./odoo/mapper";
import { type LakeSource, type SourceMapper } from "./pipeline";

/** Each source's mapper: pure, so replays and entity splits can map stored raw payloads without the source. */
export const SOURCE_MAPPERS: Partial<Record<LakeSource, SourceMapper>> = {
  odoo: odooMapper,
  m365: createM365Mapper(),
};
