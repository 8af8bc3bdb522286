// Who is working, asked for plain operations: it cannot be skipped, and the name is trimmed.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { polyfillDom } from "../test/dom";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { setLanguage } from "../lib/i18n/index.svelte";
import OperatorDialog from "./OperatorDialog.svelte";

beforeAll(() => {
  setLanguage("en");
  polyfillDom();
});
afterEach(cleanup);

describe("operator dialog", () => {
  it("continues only with a name, and gives it trimmed", async () => {
    const chosen: string[] = [];
    render(OperatorDialog, { operation: "Demo", onchoose: (n: string) => chosen.push(n) });
    const button = screen.getByTestId("operator-continue") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.getByTestId("operator-dialog")).toBeTruthy();
    await fireEvent.input(screen.getByTestId("operator-input"), { target: { value: "  Ana  " } });
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    expect(chosen).toEqual(["Ana"]);
  });
});
