// The map handed to its layer components (HouseholdsLayer, SitesLayer…) through Svelte context:
// MapView creates the MapLibre map and sets it; each layer component adds its own source and
// layers, keeps its data current and removes them when it goes. Layers are inserted where
// `layerStack` (layers.ts) puts them, whatever order the components mount in.
import { getContext, onDestroy, setContext } from "svelte";
import type { GeoJSONSource, GeoJSONSourceSpecification, LayerSpecification, Map as MapLibreMap } from "maplibre-gl";
import type { FeatureCollection } from "geojson";
import { beforeId, layersOf } from "./layers";

export type MapContext = {
  /** The map (only asked for once it exists). */
  map: () => MapLibreMap;
  /** The map's element: layers leave counts on it for tests and tools (`data-*`). */
  container: () => HTMLElement;
  /** False once the map is being removed: nothing is left to take off it. */
  alive: () => boolean;
};

/** The context key (tests mount a layer with their own map under it). */
export const MAP_CONTEXT = Symbol("map");

export function setMapContext(context: MapContext) {
  setContext(MAP_CONTEXT, context);
}

export function mapContext(): MapContext {
  const context = getContext<MapContext | undefined>(MAP_CONTEXT);
  if (!context) throw new Error("a map layer outside MapView");
  return context;
}

export const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };

/** Adds layers, each at its place in `layerStack`. */
export function addLayers(m: MapLibreMap, layers: LayerSpecification[]) {
  for (const layer of layers) m.addLayer(layer, beforeId(layer.id, (id) => m.getLayer(id) !== undefined));
}

/** Takes a source and every layer drawn from it off the map. */
export function removeSource(m: MapLibreMap, source: string) {
  for (const l of m.getStyle().layers) if ("source" in l && l.source === source) m.removeLayer(l.id);
  if (m.getSource(source)) m.removeSource(source);
}

/** For a layer component: its GeoJSON source with the layers `layerStack` draws from it, the
 * data kept current (`data` is read in an effect), all removed when the component goes.
 * Returns the map. */
export function geojsonLayer(source: string, spec: GeoJSONSourceSpecification, data: () => FeatureCollection): MapLibreMap {
  const { map, alive } = mapContext();
  const m = map();
  m.addSource(source, spec);
  addLayers(m, layersOf(source));
  $effect(() => {
    (m.getSource(source) as GeoJSONSource).setData(data());
  });
  onDestroy(() => {
    if (alive()) removeSource(m, source);
  });
  return m;
}
