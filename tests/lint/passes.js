/**
 * `npm run lint` runs ESLint as two processes at once, beside Prettier: one
 * runs the rules that read TypeScript's program, the other every other rule
 * on a plain parse. Building the program, and the type checking those rules
 * set off, is most of ESLint's time and does not split: two processes that
 * each lint half the files would each build the whole program and check most
 * of it again. What does split is everything else, which the second process
 * does on the other core while the first checks types.
 *
 * Which rules read the program is each rule's own word for it
 * (`meta.docs.requiresTypeChecking`), so a rule added later runs in the
 * right pass. A pass skips the other pass's rules through ESLint's
 * `ruleFilter`, not by turning them off, so a disable comment for one of
 * them is not reported as unused. An editor or a plain `npx eslint` runs
 * every rule in one process.
 */

/** @typedef {import("eslint").Linter.Config} Config */
/** @typedef {"program" | "syntax"} LintPass */

/** @type {readonly LintPass[]} */
export const LINT_PASSES = ["program", "syntax"];

/**
 * The ESLint options for one pass.
 * @param {LintPass} pass
 * @param {Config[]} config the whole config (eslint.config.js)
 * @returns {import("eslint").ESLint.Options}
 */
export function passOptions(pass, config) {
  const readsProgram = programRules(config);
  /** @type {import("eslint").ESLint.Options} */
  const options = {
    cache: true,
    cacheLocation: `node_modules/.cache/eslint/${pass}/`,
    ruleFilter: ({ ruleId }) => readsProgram.has(ruleId) === (pass === "program"),
  };
  if (pass === "syntax") options.overrideConfig = { files: ["**/*.ts?(x)"], languageOptions: { parserOptions: { projectService: false, project: false } } };
  return options;
}

/**
 * Every rule the config's plugins define that reads the program, by its
 * configured name (`plugin/rule`).
 * @param {Config[]} config
 */
export function programRules(config) {
  /** @type {Set<string>} */
  const rules = new Set();
  for (const entry of config) {
    for (const [prefix, plugin] of Object.entries(entry.plugins ?? {})) {
      for (const [name, rule] of Object.entries(plugin.rules ?? {})) {
        const docs = /** @type {{ requiresTypeChecking?: boolean } | undefined} */ (typeof rule === "object" ? rule.meta?.docs : undefined);
        if (docs?.requiresTypeChecking) rules.add(`${prefix}/${name}`);
      }
    }
  }
  return rules;
}
