/**
 * A Python exception as Odoo's `serialize_exception` reports it: `name` is
 * `module.Class`, `message` is `str(exc)`, `arguments` is `exc.args`.
 */
export class PyException extends Error {
  constructor(
    readonly pyName: string,
    message: string,
    readonly args: unknown[] = [message],
  ) {
    super(message);
  }
}

export const userError = (message: string) => new PyException("odoo.exceptions.UserError", message);
export const accessDenied = (message = "Access Denied") => new PyException("odoo.exceptions.AccessDenied", message);
export const accessError = (message: string) => new PyException("odoo.exceptions.AccessError", message);
export const validationError = (message: string) => new PyException("odoo.exceptions.ValidationError", message);
export const missingError = (message: string) => new PyException("odoo.exceptions.MissingError", message);
export const databaseExists = (name: string) => new PyException("odoo.service.db.DatabaseExists", `database ${pyRepr(name)} already exists!`);
export const valueError = (message: string) => new PyException("builtins.ValueError", message);
export const typeError = (message: string) => new PyException("builtins.TypeError", message);
export const attributeError = (message: string) => new PyException("builtins.AttributeError", message);
export const nameError = (message: string) => new PyException("builtins.NameError", message);
export const plainException = (message: string) => new PyException("builtins.Exception", message);
/** `str(KeyError(x))` is the repr of x, quotes included. */
export const keyError = (key: string) => new PyException("builtins.KeyError", pyRepr(key), [key]);
export const operationalError = (message: string) => new PyException("psycopg2.OperationalError", message);
/** What CREATE DATABASE … TEMPLATE raises through psycopg2 (duplicate_database does not catch them). */
export const duplicateDatabaseError = (name: string) => new PyException("psycopg2.errors.DuplicateDatabase", `database "${name}" already exists\n`);
export const invalidCatalogName = (message: string) => new PyException("psycopg2.errors.InvalidCatalogName", message);

export function pyRepr(value: string): string {
  return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
}

/** `The operation cannot be completed: …` — how Odoo 17 reports an IntegrityError. */
export const integrityError = (detail: string) => validationError(`The operation cannot be completed: ${detail}`);
