import { INDUSTRIES } from "./industries";
import { POSTAL_DISTRICTS, REGIONS } from "./postal";
import { pickedValues, RuleCheckbox, RuleCheckboxList, RuleSection, RuleTextField, type RuleSectionsProps } from "./rule-inputs";
import { COMMON_STATUSES } from "./rules-form";

type WordListPair = ReadonlyArray<readonly ["ssicInclude" | "ssicExclude" | "nameInclude" | "nameExclude", string, string]>;

/** The include/exclude pairs of typed lists, as [field, label, placeholder]. */
const WORD_LISTS = {
  ssic: [
    ["ssicInclude", "Include", "62, 5820"],
    ["ssicExclude", "Exclude", "64"],
  ],
  names: [
    ["nameInclude", "Name contains", "tech, digital"],
    ["nameExclude", "Name does not contain", "holdings"],
  ],
} as const satisfies Record<string, WordListPair>;

const INDUSTRY_OPTIONS = INDUSTRIES.map((i) => ({ value: i.key, label: i.label }));
const REGION_OPTIONS = REGIONS.map((r) => ({ value: r, label: r }));
const DISTRICT_OPTIONS = POSTAL_DISTRICTS.map((d) => ({ value: String(d.district), label: `D${String(d.district).padStart(2, "0")} ${d.name}` }));

/** The ICP rules that pick companies from the registry: industries, SSIC codes, registry filters, location and names. */
export function RegistryRuleSections({ fields, errors }: RuleSectionsProps) {
  // A saved status outside the common ones stays on the list so it can be unticked.
  const statuses = [...new Set([...COMMON_STATUSES, ...pickedValues(fields.statuses.initialValue)])];
  return (
    <>
      <RuleSection title="Industries" hint="Words from the industry vocabulary; each stands for SSIC 2020 code prefixes.">
        <RuleCheckboxList field={fields.industries} legend="Target industries" options={INDUSTRY_OPTIONS} errors={errors.industries} />
        <RuleCheckboxList field={fields.excludedIndustries} legend="Excluded industries" options={INDUSTRY_OPTIONS} errors={errors.excludedIndustries} />
      </RuleSection>

      <RuleSection title="SSIC codes" hint="Codes or prefixes of 1–5 digits, separated by commas.">
        <IncludeExcludeFields lists={WORD_LISTS.ssic} fields={fields} errors={errors} />
        <RuleCheckbox field={fields.includeSecondarySsic} label="Also match the secondary SSIC code" className="mt-3 flex items-center gap-2 text-sm" />
      </RuleSection>

      <RuleSection title="Registry filters">
        <RuleCheckboxList field={fields.statuses} legend="Statuses" options={statuses.map((s) => ({ value: s, label: s }))} errors={errors.statuses} compact />
        <RuleTextField
          field={fields.entityTypes}
          label="Entity types"
          errors={errors.entityTypes}
          placeholder="Local Company, Limited Liability Partnership"
          hint="Leave empty for any type."
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <RuleTextField field={fields.incorporatedFrom} label="Incorporated from" type="date" errors={errors.incorporatedFrom} />
          <RuleTextField field={fields.incorporatedTo} label="Incorporated until" type="date" errors={errors.incorporatedTo} />
          <RuleTextField field={fields.ageMin} label="Age at least (years)" type="number" inputMode="decimal" errors={errors.ageMin} />
          <RuleTextField field={fields.ageMax} label="Age at most (years)" type="number" inputMode="decimal" errors={errors.ageMax} />
        </div>
      </RuleSection>

      <RuleSection title="Location">
        <RuleCheckboxList field={fields.regions} legend="Regions" options={REGION_OPTIONS} errors={errors.regions} compact />
        <RuleCheckboxList field={fields.postalDistricts} legend="Postal districts" options={DISTRICT_OPTIONS} errors={errors.postalDistricts} />
      </RuleSection>

      <RuleSection title="Company names" hint="Words a company's registered name must (not) contain.">
        <IncludeExcludeFields lists={WORD_LISTS.names} fields={fields} errors={errors} />
      </RuleSection>
    </>
  );
}

/** A typed list of what to match beside the list of what to leave out. */
function IncludeExcludeFields({ lists, fields, errors }: RuleSectionsProps & { lists: WordListPair }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {lists.map(([name, label, placeholder]) => (
        <RuleTextField key={name} field={fields[name]} label={label} errors={errors[name]} placeholder={placeholder} />
      ))}
    </div>
  );
}
