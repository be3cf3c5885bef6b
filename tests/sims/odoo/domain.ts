import { valueError } from "./errors";

export type Leaf = [string, string, unknown];
export type DomainItem = Leaf | "&" | "|" | "!";
type Tree = { op: "&" | "|"; left: Tree; right: Tree } | { op: "!"; arg: Tree } | { op: "leaf"; leaf: Leaf } | { op: "true" };

const OPERATORS = new Set(["=", "!=", "<>", "in", "not in", "like", "not like", "ilike", "not ilike", "=like", "=ilike", "<", ">", "<=", ">="]);

/** Reads an Odoo prefix-notation domain (implicit `&` between top-level terms). */
export function parseDomain(domain: unknown): Tree {
  if (domain === null || domain === undefined || domain === false) return { op: "true" };
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${JSON.stringify(domain)}`);
  const items = domain as unknown[];
  let pos = 0;
  const next = (): Tree => {
    if (pos >= items.length) throw valueError(`Domain ${JSON.stringify(domain)} is syntactically not correct.`);
    const item = items[pos++];
    if (item === "&" || item === "|") return { op: item, left: next(), right: next() };
    if (item === "!") return { op: "!", arg: next() };
    if (Array.isArray(item) && item.length === 3 && typeof item[0] === "string" && typeof item[1] === "string") {
      const op = item[1].toLowerCase();
      if (!OPERATORS.has(op)) throw valueError(`Invalid leaf ${JSON.stringify(item)}`);
      return { op: "leaf", leaf: [item[0], op, item[2]] };
    }
    // Odoo's TRUE_LEAF / FALSE_LEAF
    if (Array.isArray(item) && item.length === 3 && item[0] === 1 && item[2] === 1) return { op: "true" };
    throw valueError(`Invalid leaf ${JSON.stringify(item)}`);
  };
  const terms: Tree[] = [];
  while (pos < items.length) terms.push(next());
  if (terms.length === 0) return { op: "true" };
  return terms.reduceRight((acc, t) => ({ op: "&", left: t, right: acc }));
}

export function domainLeaves(tree: Tree): Leaf[] {
  switch (tree.op) {
    case "leaf":
      return [tree.leaf];
    case "!":
      return domainLeaves(tree.arg);
    case "true":
      return [];
    default:
      return [...domainLeaves(tree.left), ...domainLeaves(tree.right)];
  }
}

/** `fieldValue(name)` gives the stored value: many2one id or false, x2many id list, scalar or false. */
export function evaluate(tree: Tree, fieldValue: (name: string) => unknown): boolean {
  switch (tree.op) {
    case "true":
      return true;
    case "&":
      return evaluate(tree.left, fieldValue) && evaluate(tree.right, fieldValue);
    case "|":
      return evaluate(tree.left, fieldValue) || evaluate(tree.right, fieldValue);
    case "!":
      return !evaluate(tree.arg, fieldValue);
    case "leaf":
      return matchLeaf(tree.leaf, fieldValue(tree.leaf[0]));
  }
}

function isEmpty(v: unknown): boolean {
  return v === false || v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

function likeRegex(pattern: string, anchored: boolean, insensitive: boolean): RegExp {
  let body = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) body += escapeRegex(pattern[++i]!);
    else if (c === "%") body += ".*";
    else if (c === "_") body += ".";
    else body += escapeRegex(c);
  }
  return new RegExp(anchored ? `^${body}$` : body, insensitive ? "is" : "s");
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function matchLeaf([, operator, value]: Leaf, actual: unknown): boolean {
  const many = Array.isArray(actual);
  const values: unknown[] = many ? (actual as unknown[]) : [actual];
  switch (operator) {
    case "=":
      if (value === false || value === null) return isEmpty(actual);
      return values.some((v) => v === value);
    case "!=":
    case "<>":
      if (value === false || value === null) return !isEmpty(actual);
      return !values.some((v) => v === value);
    case "in":
    case "not in": {
      const list = Array.isArray(value) ? value : [value];
      const hasFalse = list.some((v) => v === false || v === null);
      const hit = (isEmpty(actual) && hasFalse) || values.some((v) => !isEmpty(v) && list.includes(v));
      return operator === "in" ? hit : !hit;
    }
    case "like":
    case "ilike":
    case "not like":
    case "not ilike": {
      const positive = !operator.startsWith("not");
      if (isEmpty(actual)) return !positive && !isEmpty(value);
      const re = likeRegex(`%${String(value)}%`, true, operator.endsWith("ilike"));
      const hit = values.some((v) => re.test(String(v)));
      return positive ? hit : !hit;
    }
    case "=like":
    case "=ilike": {
      if (isEmpty(actual)) return false;
      const re = likeRegex(String(value), true, operator === "=ilike");
      return values.some((v) => re.test(String(v)));
    }
    case "<":
    case ">":
    case "<=":
    case ">=": {
      if (isEmpty(actual) || value === false || value === null) return false;
      return values.some((v) => compare(v, value, operator));
    }
  }
  return false;
}

function compare(a: unknown, b: unknown, op: string): boolean {
  const x = a as number | string;
  const y = b as number | string;
  if (op === "<") return x < y;
  if (op === ">") return x > y;
  if (op === "<=") return x <= y;
  return x >= y;
}
