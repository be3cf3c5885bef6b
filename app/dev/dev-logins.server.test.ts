import { describe, expect, it } from "vitest";
import { DEV_APP_ROLE, devAppDatabaseUrl } from "./dev-logins.server";

describe("devAppDatabaseUrl", () => {
  it("keeps the owner's host and database and swaps in the application role's login", () => {
    const url = new URL(devAppDatabaseUrl("postgresql://postgres:secret@db.internal:5432/nexius?sslmode=disable"));
    expect({ user: url.username, password: url.password }).toEqual(DEV_APP_ROLE);
    expect(`${url.host}${url.pathname}${url.search}`).toBe("db.internal:5432/nexius?sslmode=disable");
  });
});
