import { describe, expect, it } from "vitest";
import { strength } from "./passphrase";

describe("passphrase strength hint", () => {
  it("grades by length, variety and words", () => {
    expect(strength("short")).toBe("too_short");
    expect(strength("aaaaaaaaaaaa")).toBe("weak");
    expect(strength("sunflower")).toBe("weak");
    expect(strength("sunflower-river")).toBe("fair");
    expect(strength("Sunflower river 42!")).toBe("strong");
    expect(strength("correct horse battery staple")).toBe("strong");
  });
});
