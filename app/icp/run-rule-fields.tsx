import { RuleCheckbox, RuleSection, RuleSelect, RuleTextField, type RuleSectionsProps } from "./rule-inputs";
import { FREE_MAIL_POLICIES } from "./rules";

const FREE_MAIL_LABELS: Record<(typeof FREE_MAIL_POLICIES)[number], string> = {
  exclude: "Exclude free-mail addresses (gmail.com, …)",
  allow_low_confidence: "Allow them, marked low confidence",
  allow: "Allow them",
};

/** The ICP rules that apply once companies are enriched, and those of the runs themselves: schedule, daily cap, score thresholds. */
export function RunRuleSections({ fields, errors }: RuleSectionsProps) {
  return (
    <>
      <RuleSection title="After enrichment" hint="The registry has no headcount: the employee range filters companies once their websites are read.">
        <div className="grid gap-4 sm:grid-cols-2">
          <RuleTextField field={fields.employeesMin} label="Employees at least" type="number" inputMode="numeric" errors={errors.employeesMin} />
          <RuleTextField field={fields.employeesMax} label="Employees at most" type="number" inputMode="numeric" errors={errors.employeesMax} />
        </div>
        <RuleTextField field={fields.contactTitles} label="Contact titles" errors={errors.contactTitles} placeholder="Founder, CEO, Head of Sales" />
        <RuleSelect field={fields.freeMail} label="Free-mail addresses" errors={errors.freeMail}>
          <option value="">Platform default</option>
          {FREE_MAIL_POLICIES.map((p) => (
            <option key={p} value={p}>
              {FREE_MAIL_LABELS[p]}
            </option>
          ))}
        </RuleSelect>
      </RuleSection>

      <RuleSection title="Runs and scoring">
        <div className="grid gap-4 sm:grid-cols-2">
          <RuleCheckbox
            field={fields.nightlyEnabled}
            label="Run nightly"
            className="flex items-center gap-2 self-end pb-2 text-sm font-medium text-slate-700"
          />
          <RuleSelect field={fields.nightlyHour} label="At (Singapore time)" errors={errors.nightlyHour}>
            <option value="">Platform default</option>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={String(h)}>
                {String(h).padStart(2, "0")}:00
              </option>
            ))}
          </RuleSelect>
          <RuleTextField field={fields.dailyCap} label="Companies per day (cap)" type="number" inputMode="numeric" errors={errors.dailyCap} />
          <RuleTextField
            field={fields.candidateFloor}
            label="Alert below this many candidates"
            type="number"
            inputMode="numeric"
            errors={errors.candidateFloor}
          />
          <RuleTextField field={fields.scoreHigh} label="High from score" type="number" inputMode="decimal" errors={errors.scoreHigh} />
          <RuleTextField field={fields.scoreMedium} label="Medium from score" type="number" inputMode="decimal" errors={errors.scoreMedium} />
        </div>
      </RuleSection>
    </>
  );
}
