import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { api, ApiError, toApiError } from "./api";
import type { HouseholdInput } from "./bindings/HouseholdInput";

afterEach(() => clearMocks());

describe("api (the IPC module)", () => {
  it("sends each command under its backend name with camelCase argument keys", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "search_households") return { total: 1, items: [] };
      if (cmd === "add_need") return { id: "n1" };
      return null;
    });
    const page = await api.searchHouseholds("rue", 50, 100);
    expect(page.total).toBe(1);
    await api.addNeed("h1", {
      category: "water", item_id: null, quantity: 6, unit: "L", urgency: "high", requested_at: null, wanted_by: null, notes: "", notes_for_driver: false,
    });
    await api.moveHousehold("h1", 43.7, 7.4);
    expect(calls).toEqual([
      { cmd: "search_households", args: { query: "rue", limit: 50, offset: 100 } },
      {
        cmd: "add_need",
        args: {
          householdId: "h1",
          input: { category: "water", item_id: null, quantity: 6, unit: "L", urgency: "high", requested_at: null, wanted_by: null, notes: "", notes_for_driver: false },
        },
      },
      { cmd: "move_household", args: { id: "h1", lat: 43.7, lon: 7.4 } },
    ]);
  });

  it("passes the household input through unchanged (snake_case fields, as the Rust struct)", async () => {
    let received: unknown;
    mockIPC((cmd, args) => {
      received = args;
      return { id: "x" };
    });
    const input: HouseholdInput = {
      name: "A", phones: ["+377 1"], address: "", lat: 1, lon: 2, location_source: "pin", adults: 1, children: 0,
      seniors: 0, vulnerabilities: ["oxygen"], languages: ["fr"], access_notes: "", status: "active", notes: "", notes_for_driver: true, landmark: "",
      consent: { status: "given", date: "2026-11-25", scope: "all", basis: "consent" },
    };
    await api.createHousehold(input);
    expect(received).toEqual({ input });
  });

  it("sends the planning commands with JSON-safe arguments (the seed as a number)", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return null;
    });
    const request = {
      day: "2026-03-02", day_start: "2026-03-01T23:00:00.000Z", urgencies: [], categories: [], area: null, shift_ids: null,
      site_ids: ["s1"], household_ids: null, seconds: 10, seed: 7n,
    };
    await api.planCreate(request);
    await api.planReoptimise("p1", 20, 9);
    await api.planRecordOutcome("p1", "s1", "nobody_home");
    await api.planSetLayout("p1", { runs: [{ run_id: "r1", locked: true, stops: [{ stop_id: "s1", locked: false }] }], removed: ["s2"] });
    expect(calls).toEqual([
      { cmd: "plan_create", args: { request: { ...request, seed: 7 } } },
      { cmd: "plan_reoptimise", args: { id: "p1", seconds: 20, seed: 9 } },
      { cmd: "plan_record_outcome", args: { id: "p1", stopId: "s1", outcome: "nobody_home", delivered: null } },
      { cmd: "plan_set_layout", args: { id: "p1", layout: { runs: [{ run_id: "r1", locked: true, stops: [{ stop_id: "s1", locked: false }] }], removed: ["s2"] } } },
    ]);
    expect(() => JSON.stringify(calls)).not.toThrow();
  });

  it("turns a backend {code, message, fields} rejection into an ApiError", async () => {
    mockIPC(() => {
      throw { code: "validation", message: "invalid input: lat is out of range", fields: [{ field: "lat", rule: "out_of_range" }] };
    });
    const err = await api.getHousehold("x").catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("validation");
    expect(err.fields).toEqual([{ field: "lat", rule: "out_of_range" }]);
  });

  it("turns anything else thrown into an internal ApiError", () => {
    const err = toApiError("boom");
    expect(err.code).toBe("internal");
    expect(err.message).toBe("boom");
    expect(toApiError(err)).toBe(err);
  });
});
