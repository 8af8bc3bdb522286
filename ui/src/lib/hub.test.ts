// A conflict's values as people read them: JSON text without its quotes and brackets.
import { beforeAll, describe, expect, it } from "vitest";
import { setLanguage } from "./i18n/index.svelte";
import { shortDevice, shortId, showValue } from "./hub";

beforeAll(() => setLanguage("en"));

describe("hub values", () => {
  it("shows JSON values as plain text", () => {
    expect(showValue("\"3 Rue Basse\"")).toBe("3 Rue Basse");
    expect(showValue("\"\"")).toBe("(empty)");
    expect(showValue("null")).toBe("(no value)");
    expect(showValue("")).toBe("(no value)");
    expect(showValue("3")).toBe("3");
    expect(showValue("true")).toBe("yes");
    expect(showValue("[\"fr\",\"ar\"]")).toBe("fr, ar");
    expect(showValue("{\"a\":1}")).toBe("{\"a\":1}");
    expect(showValue("not json")).toBe("not json");
  });

  it("shortens ids the way the rest of the window does", () => {
    expect(shortId("0190aaaa-0000-7000-8000-0000deadbeef")).toBe("deadbeef");
    expect(shortDevice("MFZWI3D-BONSGYC-ABCDEFG")).toBe("MFZWI3D");
  });
});
