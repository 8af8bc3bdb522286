// The layer components on a stand-in for the MapLibre map: each adds its source and layers at
// the place `layerStack` gives whatever order they mount in, keeps its data current, leaves its
// counts on the map's element, and takes everything off again when it goes.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/svelte";
import type { Component } from "svelte";
import type { FeatureCollection } from "geojson";
import type { LayerSpecification, Map as MapLibreMap } from "maplibre-gl";
import { MAP_CONTEXT, type MapContext } from "./context.svelte";
import { layerStack, selectedFilter, SELECTED_LAYER } from "./layers";
import AreaLayer from "./AreaLayer.svelte";
import ClosuresLayer from "./ClosuresLayer.svelte";
import DraftLayer from "./DraftLayer.svelte";
import HouseholdsLayer from "./HouseholdsLayer.svelte";
import PlanLayer from "./PlanLayer.svelte";
import ReportAreasLayer from "./ReportAreasLayer.svelte";
import SitesLayer from "./SitesLayer.svelte";
import LassoLayer from "./LassoLayer.svelte";

afterEach(() => cleanup());

/** Just what the layer components ask of a map. */
class FakeMap {
  layers: string[] = ["background"];
  sources = new Map<string, { data: unknown }>();
  images = new Set<string>();
  filters = new Map<string, unknown>();
  fitted: unknown[] = [];
  addSource(id: string, spec: { data: unknown }) {
    if (this.sources.has(id)) throw new Error(`source ${id} twice`);
    this.sources.set(id, { data: spec.data });
  }
  getSource(id: string) {
    const s = this.sources.get(id);
    return s && { setData: (data: unknown) => (s.data = data) };
  }
  removeSource(id: string) {
    if (this.layers.some((l) => this.sourceOf.get(l) === id)) throw new Error(`source ${id} still in use`);
    this.sources.delete(id);
  }
  sourceOf = new Map<string, string>();
  addLayer(layer: LayerSpecification, before?: string) {
    if (this.layers.includes(layer.id)) throw new Error(`layer ${layer.id} twice`);
    if ("source" in layer && typeof layer.source === "string") {
      if (!this.sources.has(layer.source)) throw new Error(`no source ${layer.source}`);
      this.sourceOf.set(layer.id, layer.source);
    }
    if (before === undefined) this.layers.push(layer.id);
    else this.layers.splice(this.layers.indexOf(before), 0, layer.id);
  }
  getLayer(id: string) {
    return this.layers.includes(id) ? { id } : undefined;
  }
  removeLayer(id: string) {
    this.layers = this.layers.filter((l) => l !== id);
  }
  getStyle() {
    return { layers: this.layers.map((id) => ({ id, source: this.sourceOf.get(id) })) };
  }
  hasImage(id: string) {
    return this.images.has(id);
  }
  addImage(id: string) {
    this.images.add(id);
  }
  setFilter(id: string, filter: unknown) {
    this.filters.set(id, filter);
  }
  fitBounds(b: unknown) {
    this.fitted.push(b);
  }
  on() {}
  off() {}
  // What the lasso asks of a map: its canvas, and switching drag-pan and box-zoom.
  canvas = document.createElement("canvas");
  getCanvas() {
    return this.canvas;
  }
  dragPan = { enable() {}, disable() {} };
  boxZoom = { enable() {}, disable() {} };
}

/** Mounts one layer component under a map context holding `map`. */
function mount(map: FakeMap, container: HTMLElement, component: Component<any>, props: Record<string, unknown>) {
  const context: MapContext = { map: () => map as unknown as MapLibreMap, container: () => container, alive: () => true };
  return render(component, { props, context: new Map([[MAP_CONTEXT, context]]) });
}

const pin = { id: "h1", lat: 43.7, lon: 7.4, urgency: "high" as const, open_needs: 1, on_run: 0 };
const site = { id: "s1", name: "Depot", kind: "depot", lat: 43.7, lon: 7.41, low: 2, active: true } as never;
const reportArea = {
  key: "place:Port", label: "Port", households: 3, open_needs: 2, critical_needs: 1, visits_7_days: 4, delivered_7_days: 3,
  outline: [[7.4, 43.7], [7.41, 43.7], [7.41, 43.71], [7.4, 43.7]] as [number, number][],
};
const stop: FeatureCollection = { type: "FeatureCollection", features: [{ type: "Feature", geometry: { type: "Point", coordinates: [7.4, 43.7] }, properties: { kind: "stop" } }] };

describe("map layer components", () => {
  it("stack their layers in layerStack's order whatever order they mount in", async () => {
    const map = new FakeMap();
    const container = document.createElement("div");
    // Top to bottom: the reverse of the stack.
    mount(map, container, DraftLayer, { points: [], mode: null });
    mount(map, container, PlanLayer, { plan: stop });
    mount(map, container, LassoLayer, { pins: [pin], lasso: false, selected: ["h1"], onselect: () => {} });
    const households = mount(map, container, HouseholdsLayer, { pins: [pin], selectedId: "h1" });
    mount(map, container, SitesLayer, { sites: [site] });
    mount(map, container, ClosuresLayer, { closures: [] });
    const report = mount(map, container, ReportAreasLayer, { areas: [reportArea] });
    mount(map, container, AreaLayer, { area: null });
    expect(map.layers).toEqual(["background", ...layerStack().map((l) => l.id)]);
    expect(container.dataset.reportAreas).toBe("1");
    expect(container.dataset.selected).toBe("1");
    expect(container.dataset.selectedOpenNeeds).toBe("1");
    expect(map.images.has("site-square")).toBe(true);
    expect(container.dataset.sites).toBe("1");
    expect(container.dataset.planStops).toBe("1");
    expect((map.sources.get("households")?.data as FeatureCollection).features).toHaveLength(1);
    expect(map.filters.get(SELECTED_LAYER)).toEqual(selectedFilter("h1"));
    expect(map.fitted).toHaveLength(1);

    // New data goes to the source; the map fits the households only the first time.
    await households.rerender({ pins: [pin, { ...pin, id: "h2" }], selectedId: null });
    expect((map.sources.get("households")?.data as FeatureCollection).features).toHaveLength(2);
    expect(map.filters.get(SELECTED_LAYER)).toEqual(selectedFilter(null));
    expect(map.fitted).toHaveLength(1);

    // Gone with its layers; mounted again, back at its place.
    households.unmount();
    expect(map.sources.has("households")).toBe(false);
    expect(map.layers.some((l) => l.startsWith("household"))).toBe(false);
    mount(map, container, HouseholdsLayer, { pins: [], selectedId: null });
    expect(map.layers).toEqual(["background", ...layerStack().map((l) => l.id)]);

    // The dashboard's areas go when it closes, and come back under the households.
    report.unmount();
    expect(map.sources.has("report-areas")).toBe(false);
    expect(map.layers.some((l) => l.startsWith("report-area"))).toBe(false);
    expect(container.dataset.reportAreas).toBeUndefined();
    const again = mount(map, container, ReportAreasLayer, { areas: [] });
    expect(map.layers).toEqual(["background", ...layerStack().map((l) => l.id)]);
    await again.rerender({ areas: [reportArea, { ...reportArea, key: "place:Two" }] });
    expect((map.sources.get("report-areas")?.data as FeatureCollection).features).toHaveLength(2);
    expect(container.dataset.reportAreas).toBe("2");
  });
});
