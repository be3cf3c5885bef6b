import { describe, expect, it } from "vitest";
import { planStatement, tenantScopeStatement, transactionSettingSql, type PipelineState } from "./tenant-scope-pipeline.server";

const idle: PipelineState = { kind: "idle" };
const scope = tenantScopeStatement({ tenantId: "t" });
const query = { text: 'SELECT "id" FROM "audit_log" LIMIT $1', values: [50] };

function run(statements: Array<{ text: string; values?: unknown[] }>) {
  let state = idle;
  return statements.map((statement) => {
    const step = planStatement(state, statement);
    state = step.next;
    return step;
  });
}

describe("planStatement", () => {
  it("holds BEGIN and the tenant setting back and sends them in front of the first statement", () => {
    const [begin, setting, first, second] = run([{ text: "BEGIN" }, scope, query, query]);
    expect(begin).toMatchObject({ action: "answer", command: "BEGIN" });
    expect(setting).toMatchObject({ action: "answer" });
    expect(first).toEqual({ action: "send", prelude: [{ text: "BEGIN" }, scope], next: idle });
    expect(second).toEqual({ action: "send", prelude: [], next: idle });
  });

  it("keeps SET TRANSACTION right after BEGIN, before the setting's snapshot", () => {
    const isolation = { text: "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE" };
    const steps = run([{ text: "BEGIN" }, isolation, scope, query]);
    expect(steps[3]).toMatchObject({ action: "send", prelude: [{ text: "BEGIN" }, isolation, scope] });
  });

  it("holds a further application setting back with the tenant's, and sends it as it is once a statement ran", () => {
    const lakeScope = { text: transactionSettingSql("app.lake_owner_ids"), values: ["*"] };
    const steps = run([{ text: "BEGIN" }, scope, lakeScope, query, lakeScope]);
    expect(steps[2]).toMatchObject({ action: "answer", command: "SELECT" });
    expect(steps[3]).toEqual({ action: "send", prelude: [{ text: "BEGIN" }, scope, lakeScope], next: idle });
    expect(steps[4]).toEqual({ action: "send", prelude: [], next: idle });
    expect(() => transactionSettingSql("statement_timeout")).toThrow(/not an application setting/);
  });

  it("answers COMMIT itself when nothing reached the server", () => {
    const steps = run([{ text: "BEGIN" }, scope, { text: "COMMIT" }]);
    expect(steps[2]).toEqual({ action: "answer", command: "COMMIT", next: idle });
  });

  it("sends a statement that merely resembles the setting as it is", () => {
    const lookalike = { text: `${scope.text} `, values: ["t"] };
    expect(planStatement(idle, scope)).toEqual({ action: "send", prelude: [], next: idle });
    const steps = run([{ text: "BEGIN" }, lookalike]);
    expect(steps[1]).toEqual({ action: "send", prelude: [{ text: "BEGIN" }], next: idle });
  });

  it("holds back the tenant setting whichever of the optional settings it carries", () => {
    const full = tenantScopeStatement({ tenantId: "t", actorSub: "sub", actorEmail: "a@example.com", requestId: "req", statementTimeout: "5000" });
    const steps = run([{ text: "BEGIN" }, full, query]);
    expect(steps[1]).toMatchObject({ action: "answer", command: "SELECT" });
    expect(steps[2]).toEqual({ action: "send", prelude: [{ text: "BEGIN" }, full], next: idle });
  });
});

describe("tenantScopeStatement", () => {
  it("sets only the tenant when nothing else has a value", () => {
    expect(tenantScopeStatement({ tenantId: "t", actorSub: "", actorEmail: null, requestId: undefined, statementTimeout: null })).toEqual({
      text: "SELECT set_config('app.tenant_id', $1, true)",
      values: ["t"],
    });
  });

  it("numbers the settings that have a value in a fixed order", () => {
    expect(tenantScopeStatement({ tenantId: "t", actorEmail: "a@example.com", statementTimeout: "5000" })).toEqual({
      text: "SELECT set_config('app.tenant_id', $1, true), set_config('app.actor_email', $2, true), set_config('statement_timeout', $3, true)",
      values: ["t", "a@example.com", "5000"],
    });
    expect(tenantScopeStatement({ tenantId: "t", actorSub: "sub", actorEmail: "a@example.com", requestId: "req", statementTimeout: "0" }).text).toBe(
      "SELECT set_config('app.tenant_id', $1, true), set_config('app.actor_sub', $2, true), set_config('app.actor_email', $3, true), " +
        "set_config('app.request_id', $4, true), set_config('statement_timeout', $5, true)",
    );
  });
});
