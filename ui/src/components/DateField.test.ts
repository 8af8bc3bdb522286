// A typed date in the UI language's order; a text that is not a date is passed on as typed
// (the core refuses it, the field shows why) — never turned into "no date".
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { setLanguage } from "../lib/i18n/index.svelte";
import DateField from "./DateField.svelte";

beforeAll(() => setLanguage("en"));
afterEach(cleanup);

describe("date field", () => {
  it("gives ISO for a date and the typed text for a non-date, and says so", async () => {
    const seen: string[] = [];
    render(DateField, { value: "", testid: "d", onchange: (v: string) => seen.push(v) });
    const field = screen.getByTestId("d") as HTMLInputElement;
    await fireEvent.input(field, { target: { value: "2026-12-05" } });
    await fireEvent.change(field);
    await fireEvent.input(field, { target: { value: "31/02/2026" } });
    await fireEvent.change(field);
    expect(seen).toEqual(["2026-12-05", "31/02/2026"]);
    expect(screen.getByRole("alert").textContent).toContain("Not a date");
  });
});
