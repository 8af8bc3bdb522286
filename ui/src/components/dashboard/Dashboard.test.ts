// The dashboard against a mocked backend: a day's report in its cards (the numbers in the
// elements end-to-end tests read), the empty states, the reasons in words, a critical need's
// row opening its household, another day asked for, the report saved in the language chosen,
// and a failing backend said so. jsdom has no canvas: the chart says it cannot be drawn.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Report } from "../../lib/bindings/Report";
import { localDate, shortDay } from "../../lib/dashboard";
import { setLanguage } from "../../lib/i18n/index.svelte";
import { polyfillDom } from "../../test/dom";
import Header from "../Header.svelte";
import Dashboard from "./Dashboard.svelte";
import { emptyReport, report as fixture } from "./fixture";

beforeAll(() => {
  setLanguage("en");
  polyfillDom();
  // jsdom's canvas has no 2D context (and says so on the console): the chart must cope.
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});

afterEach(() => {
  cleanup();
  clearMocks();
});

type Call = { cmd: string; args: Record<string, unknown> };

function backend(answer: (day: string) => Report | Error = (day) => fixture(day), pick: string | null = "/tmp/out/report") {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === "report") {
      const r = answer((a.request as { day: string }).day);
      if (r instanceof Error) throw { code: "internal", message: r.message, fields: [] };
      return r;
    }
    if (cmd === "e2e_pick_file") return pick;
    if (cmd === "save_report") {
      if (String(a.path).includes("full")) throw { code: "io", message: "disk full", fields: [] };
      return null;
    }
    return null;
  });
  return calls;
}

function mount() {
  const props = { name: "Flood Relief", onhousehold: vi.fn(), onareas: vi.fn(), onfocus: vi.fn(), onclose: vi.fn() };
  return { props, ...render(Dashboard, { props }) };
}

const text = (testid: string) => screen.getByTestId(testid).textContent?.trim();

describe("dashboard", () => {
  it("asks for today's report and shows its numbers", async () => {
    const calls = backend();
    const { props } = mount();
    await waitFor(() => expect(screen.getByTestId("dash-today-delivered")).toBeTruthy());

    const today = localDate();
    const asked = calls.find((c) => c.cmd === "report")!.args.request as { day: string; day_start: string };
    expect(asked.day).toBe(today);
    const [y, m, d] = today.split("-").map(Number);
    expect(asked.day_start).toBe(new Date(y, m - 1, d).toISOString());
    expect((screen.getByTestId("dash-date") as HTMLInputElement).dataset.value).toBe(today);

    const expected = { today: [5, 4, 1, 2, 1, 0], week: [7, 6, 1, 2, 1, 0], total: [28, 31, 3, 9, 2, 1] };
    const keys = ["households_reached", "delivered", "partly", "nobody_home", "refused", "unsafe"];
    for (const [period, values] of Object.entries(expected)) {
      expect(keys.map((k) => text(`dash-${period}-${k}`))).toEqual(values.map(String));
    }
    expect(text("dash-open-total")).toBe("17");
    expect(["critical", "high", "normal", "low"].map((u) => text(`dash-open-${u}`))).toEqual(["3", "5", "6", "3"]);
    expect(["under_1_day", "days_1_to_3", "days_3_to_7", "over_7_days"].map((a) => text(`dash-age-${a}`))).toEqual(["4", "6", "5", "2"]);
    expect(text("dash-drivers")).toBe("4");
    expect(screen.queryByTestId("dash-deliveries-empty")).toBeNull();

    // Stock: the short item highlighted, "—" where nothing was issued.
    const stock = screen.getAllByTestId("dash-stock");
    expect(stock.map((r) => r.dataset.item)).toEqual(["it-water", "it-rice", "it-tarp"]);
    expect(stock.map((r) => within(r).getByTestId("dash-cover").textContent)).toEqual(["1.6", "20", "—"]);
    expect(stock.map((r) => r.classList.contains("low"))).toEqual([true, false, false]);

    // Areas, shaded on the map.
    expect(screen.getAllByTestId("dash-area").map((r) => r.dataset.key)).toEqual(["place:Port", "place:Hill"]);
    expect(screen.queryByTestId("dash-areas-grid")).toBeNull();
    expect(props.onareas).toHaveBeenLastCalledWith(fixture(today).areas);
    await fireEvent.click(within(screen.getAllByTestId("dash-area")[0]).getByRole("button"));
    expect(props.onfocus).toHaveBeenCalledWith({ bounds: [7.42, 43.73, 7.43, 43.74] });

    // The chart's canvas is there; without a 2D context it says so.
    expect(screen.getByTestId("dash-chart").tagName).toBe("CANVAS");
    expect(screen.getByTestId("dash-chart-unavailable")).toBeTruthy();

    // Volunteers: the last week's runs, most recent first; shifts ahead with and without a vehicle.
    expect(screen.getAllByTestId("dash-hours").map((c) => c.textContent)).toEqual(["6.5", "3", "0", "0", "0", "0", "0"]);
    expect(screen.getAllByTestId("dash-shifts-day")).toHaveLength(3);
    expect(text("dash-vehicles")).toBe("Vehicles on shift tomorrow: 2 — 1 with a cooler, 0 with high clearance.");
  });

  it("words why each critical need waits, and a row opens its household", async () => {
    backend();
    const { props } = mount();
    await waitFor(() => expect(screen.getAllByTestId("dash-oldest")).toHaveLength(3));
    const rows = screen.getAllByTestId("dash-oldest");
    expect(rows.map((r) => r.dataset.household)).toEqual(["hh-1", "hh-2", "hh-3"]);
    expect(rows.map((r) => within(r).getByTestId("dash-oldest-reason").textContent)).toEqual([
      "Needs a cooler; no vehicle on shift has one",
      "A visit handed nothing over (nobody home, refused…)",
      "A reason the app has no words for",
    ]);
    expect(rows[0].textContent).toContain("Medicine");
    expect(rows[0].textContent).toContain("2 boxes");
    expect(rows[0].textContent).toContain("Ana Secreta");
    expect(rows[0].textContent).toContain("8 days");
    expect(rows[1].textContent).toContain("1 day");
    expect(rows[2].textContent).toContain("under a day");
    await fireEvent.click(rows[1]);
    expect(props.onhousehold).toHaveBeenCalledWith("hh-2");
    expect(props.onclose).not.toHaveBeenCalled();
  });

  it("says what is empty on an operation with nothing recorded", async () => {
    backend((day) => emptyReport(day));
    mount();
    await waitFor(() => expect(screen.getByTestId("dash-deliveries-empty").textContent).toBe("No deliveries recorded yet."));
    expect(text("dash-total-delivered")).toBe("0");
    expect(text("dash-open-total")).toBe("0");
    for (const id of ["dash-needs-empty", "dash-oldest-empty", "dash-areas-empty", "dash-areas-grid", "dash-stock-empty", "dash-drivers-empty", "dash-runs-empty", "dash-shifts-empty"]) {
      expect(screen.getByTestId(id)).toBeTruthy();
    }
    expect(screen.queryAllByTestId("dash-oldest")).toHaveLength(0);
    expect(text("dash-vehicles")).toBe("No vehicle is on a shift tomorrow.");
  });

  it("asks for another day when one is typed, and says when the figures cannot be made", async () => {
    const calls = backend((day) => (day === "2026-11-30" ? new Error("no figures") : fixture(day)));
    const { props } = mount();
    await waitFor(() => expect(screen.getByTestId("dash-today-delivered")).toBeTruthy());
    const date = screen.getByTestId("dash-date");
    await fireEvent.input(date, { target: { value: "2026-12-01" } });
    await fireEvent.change(date);
    await waitFor(() => expect(calls.filter((c) => c.cmd === "report").map((c) => (c.args.request as { day: string }).day)).toContain("2026-12-01"));
    // Not today: the first column is the day itself.
    await waitFor(() => expect(screen.getByTestId("dash-deliveries").querySelector("thead th.n")?.textContent).toBe(shortDay("2026-12-01")));

    await fireEvent.input(date, { target: { value: "2026-11-30" } });
    await fireEvent.click(screen.getByTestId("dash-refresh"));
    await waitFor(() => expect(text("dash-error")).toBe("Something went wrong: no figures"));
    expect(screen.queryByTestId("dash-today-delivered")).toBeNull();
    expect(props.onareas).toHaveBeenLastCalledWith(null);

    // A date that is not one is not sent.
    const before = calls.length;
    await fireEvent.input(date, { target: { value: "31/31/2026" } });
    await fireEvent.click(screen.getByTestId("dash-refresh"));
    expect(text("dash-error")).toBe("Type a date to see its figures.");
    expect(calls.length).toBe(before);
  });

  it("shows the loading state until the report arrives", async () => {
    let release: (r: Report) => void = () => {};
    mockIPC((cmd) => (cmd === "report" ? new Promise<Report>((r) => (release = r)) : null));
    mount();
    expect(text("dash-loading")).toBe("Loading the figures…");
    release(fixture(localDate()));
    await waitFor(() => expect(screen.queryByTestId("dash-loading")).toBeNull());
    expect(text("dash-open-total")).toBe("17");
  });

  it("saves the situation report in the language chosen, and the figures as CSV and JSON", async () => {
    const calls = backend();
    mount();
    await waitFor(() => expect(screen.getByTestId("dash-today-delivered")).toBeTruthy());
    const language = screen.getByTestId("dash-pdf-language") as HTMLSelectElement;
    expect(language.value).toBe("en");
    await fireEvent.change(language, { target: { value: "fr" } });
    await fireEvent.click(screen.getByTestId("dash-save-pdf"));
    await waitFor(() => expect(text("dash-saved")).toBe("Saved to /tmp/out/report.pdf"));
    await fireEvent.click(screen.getByTestId("dash-save-csv"));
    await waitFor(() => expect(text("dash-saved")).toBe("Saved to /tmp/out/report.csv"));
    await fireEvent.click(screen.getByTestId("dash-save-json"));
    await waitFor(() => expect(text("dash-saved")).toBe("Saved to /tmp/out/report.json"));
    const saves = calls.filter((c) => c.cmd === "save_report").map((c) => c.args);
    const today = localDate();
    expect(saves.map((s) => [s.format, s.language, s.path, (s.request as { day: string }).day])).toEqual([
      ["pdf", "fr", "/tmp/out/report.pdf", today],
      ["csv", "fr", "/tmp/out/report.csv", today],
      ["json", "fr", "/tmp/out/report.json", today],
    ]);
  });

  it("says why a report could not be saved", async () => {
    backend(undefined, "/full/disk/report.pdf");
    mount();
    await waitFor(() => expect(screen.getByTestId("dash-today-delivered")).toBeTruthy());
    await fireEvent.click(screen.getByTestId("dash-save-pdf"));
    await waitFor(() => expect(screen.getByTestId("dash-save-error").querySelector("span")?.textContent).toBe("The file could not be read or written: disk full"));
    expect(screen.queryByTestId("dash-saved")).toBeNull();
  });

  it("defaults the report's language to the UI's", async () => {
    setLanguage("es");
    try {
      backend();
      mount();
      expect((screen.getByTestId("dash-pdf-language") as HTMLSelectElement).value).toBe("es");
      expect(screen.getByTestId("dash-save-pdf").textContent).toBe("Informe de situación (PDF)…");
      await waitFor(() => expect(screen.getAllByTestId("dash-oldest")).toHaveLength(3));
      expect(screen.getAllByTestId("dash-oldest-reason")[1].textContent).toBe("Una visita no entregó nada (no había nadie, rechazado…)");
    } finally {
      setLanguage("en");
    }
  });
});

describe("the header's dashboard button", () => {
  it("says whether the dashboard is open and toggles it", async () => {
    const ondashboard = vi.fn();
    const op = { id: "op", name: "Flood Relief", is_demo: false, demo_date: null, path: "/ops/f.aidmap", read_only: true, encrypted: false, schema_version: 1, households: 0, open_needs: 0, audit_break: null };
    const props = { op, placing: false, onplace: vi.fn(), onnew: vi.fn(), onsettings: vi.fn(), operator: "Coordinator", onlock: vi.fn(), planning: false, onplanning: vi.fn(), dashboard: true, ondashboard };
    render(Header, { props });
    const button = screen.getByTestId("dashboard-toggle");
    expect(button.textContent?.trim()).toBe("Dashboard");
    expect(button.getAttribute("aria-pressed")).toBe("true");
    // Figures can be read in a read-only operation.
    expect((button as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click(button);
    expect(ondashboard).toHaveBeenCalledOnce();
  });
});
