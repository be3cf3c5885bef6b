import ts from "typescript";

/**
 * Imports go one way: a module may not import a module that imports it back,
 * directly or through others. Replaces eslint-plugin-import-x's no-cycle, which
 * parsed every module a second time and walked the graph again from each file
 * (a fifth of the lint's time); this one reads the module graph off the
 * TypeScript program the type-aware rules build anyway, resolved as tsc
 * resolves it, and finds its cycles once.
 *
 * Like import-x's rule (with ignoreExternal) it follows static and dynamic
 * imports and re-exports between our own modules, and not type-only ones
 * (`import type`, imports whose every specifier is a type, `export type`,
 * `typeof import(...)`), which the compiler erases.
 *
 * An import closes a cycle when the module it names reaches the importer back,
 * that is when both sit in one strongly connected component of the graph.
 */

/** @type {WeakMap<ts.Program, ReturnType<typeof analyse>>} */
const analysed = new WeakMap();

/**
 * The value imports of a file: [specifier node, imported file name].
 * @param {ts.SourceFile} file
 * @param {ts.TypeChecker} checker
 */
function valueImports(file, checker) {
  /** @type {Array<[ts.Node, string]>} */
  const imports = [];
  const add = (/** @type {ts.Node} */ node, /** @type {ts.Expression | undefined} */ specifier) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = checker.getSymbolAtLocation(specifier)?.declarations?.find(ts.isSourceFile);
    if (target && !target.fileName.includes("/node_modules/")) imports.push([node, target.fileName]);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause?.isTypeOnly ||
        (clause && !clause.name && bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly));
      if (!onlyTypes) add(statement, statement.moduleSpecifier);
    } else if (ts.isExportDeclaration(statement)) {
      const bindings = statement.exportClause;
      const onlyTypes =
        statement.isTypeOnly || (bindings && ts.isNamedExports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly));
      if (!onlyTypes) add(statement, statement.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(statement) && !statement.isTypeOnly && ts.isExternalModuleReference(statement.moduleReference)) {
      add(statement, statement.moduleReference.expression);
    }
  }
  if (file.text.includes("import(")) {
    const visit = (/** @type {ts.Node} */ node) => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0]);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(file, visit);
  }
  return imports;
}

/** @param {ts.Program} program */
function analyse(program) {
  const checker = program.getTypeChecker();
  /** @type {Map<string, Array<[ts.Node, string]>>} */
  const graph = new Map();
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.includes("/node_modules/")) graph.set(file.fileName, valueImports(file, checker));
  }

  // Tarjan's strongly connected components, iteratively: the graph is deep.
  /** @type {Map<string, number>} */
  const component = new Map();
  /** @type {Map<string, number>} */
  const index = new Map();
  /** @type {Map<string, number>} */
  const low = new Map();
  /** @type {string[]} */
  const stack = [];
  const onStack = new Set();
  let counter = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    /** @type {Array<[string, number]>} */
    const work = [[root, 0]];
    while (work.length > 0) {
      const frame = /** @type {[string, number]} */ (work[work.length - 1]);
      const [name, next] = frame;
      if (next === 0) {
        index.set(name, counter);
        low.set(name, counter);
        counter += 1;
        stack.push(name);
        onStack.add(name);
      }
      const edges = graph.get(name) ?? [];
      if (next < edges.length) {
        frame[1] = next + 1;
        const target = /** @type {[ts.Node, string]} */ (edges[next])[1];
        if (!graph.has(target)) continue;
        if (!index.has(target)) work.push([target, 0]);
        else if (onStack.has(target)) low.set(name, Math.min(/** @type {number} */ (low.get(name)), /** @type {number} */ (index.get(target))));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(/** @type {number} */ (low.get(parent[0])), /** @type {number} */ (low.get(name))));
      if (low.get(name) === index.get(name)) {
        let member;
        do {
          member = /** @type {string} */ (stack.pop());
          onStack.delete(member);
          component.set(member, /** @type {number} */ (index.get(name)));
        } while (member !== name);
      }
    }
  }
  return { graph, component };
}

/**
 * The shortest way back from `from` to `to` inside their component, for the
 * message.
 * @param {ReturnType<typeof analyse>} analysis
 * @param {string} from
 * @param {string} to
 */
function wayBack({ graph, component }, from, to) {
  /** @type {Map<string, string | null>} */
  const previous = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const name = /** @type {string} */ (queue.shift());
    if (name === to) break;
    for (const [, target] of graph.get(name) ?? []) {
      if (previous.has(target) || component.get(target) !== component.get(from)) continue;
      previous.set(target, name);
      queue.push(target);
    }
  }
  const path = [];
  for (let name = /** @type {string | null | undefined} */ (to); name; name = previous.get(name)) path.unshift(name);
  return path;
}

/** @type {import("eslint").Rule.RuleModule} */
export const noCycle = {
  meta: {
    type: "problem",
    docs: { description: "Forbid a module from importing a module that imports it back, directly or through others" },
    schema: [],
    messages: { cycle: "Dependency cycle: {{path}}" },
  },
  create(context) {
    const program = context.sourceCode.parserServices?.program;
    const file = program?.getSourceFile(context.physicalFilename);
    if (!program || !file) return {};
    let analysis = analysed.get(program);
    if (!analysis) {
      analysis = analyse(program);
      analysed.set(program, analysis);
    }
    const own = analysis.component.get(file.fileName);
    const cwd = context.cwd + "/";
    for (const [node, target] of analysis.graph.get(file.fileName) ?? []) {
      if (target === file.fileName || analysis.component.get(target) !== own) continue;
      const path = [file.fileName, ...wayBack(analysis, target, file.fileName)].map((name) => name.replace(cwd, ""));
      const start = file.getLineAndCharacterOfPosition(node.getStart(file));
      const end = file.getLineAndCharacterOfPosition(node.getEnd());
      context.report({
        loc: { start: { line: start.line + 1, column: start.character }, end: { line: end.line + 1, column: end.character } },
        messageId: "cycle",
        data: { path: path.join(" → ") },
      });
    }
    return {};
  },
};
