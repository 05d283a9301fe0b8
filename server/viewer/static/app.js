// Outcrop's map viewer: every tileset the server publishes, drawn as one
// vector source over a plain background. Nothing is fetched from outside the
// server: no CDN; label glyphs come from the server's /fonts. A basemap (basemap.js) goes under the lowest data layer
// (lowestDataLayer).
//
// The layer panel groups the tilesets by theme (the collection's theme:
// geology, structure, occurrences, geophysics, basemap), each with a
// checkbox, an opacity slider and a choice of style, and holds the feature
// search (search.js), the PNG export (export.js) and the permalink, which
// keeps the view, layers, styles and opacities in the URL's hash
// (permalink.js). Under 700 px wide the panel and the legend are bottom
// sheets, collapsed to start with. The legend lists the visible tilesets
// in view only.
//
// Every URL is relative to this page, so the viewer works behind a path
// prefix (/map/ fetches ../collections and ../tiles/{id}.json).
//
// Where the server generates styles for a tileset (/styles: geology by ICS
// age, by lithology, faults by type, occurrences by commodity group), the
// layer switcher offers them beside the viewer's own colours, the tileset
// starts in its preferred one, and a legend panel lists what it draws
// (/collections/{id}/legend). The popup shows a harmonised tileset's
// GeoSciML-Lite fields first, vocabulary URIs by their labels in English
// and in the tileset's own language (/vocab/labels), then the source's
// own fields.
//
// The page reports its progress on <body data-state>: "loading", then
// "ready" once the map is idle with every source's tiles in view loaded, or
// "error" with the reason in #status; the performance marks outcrop:first-idle
// and outcrop:ready time the first settled map with its layers, and readiness. An edge-matching tileset of outcrop
// compile ({id}-qa) is drawn over every other and gets a report panel
// (qa.js). A raster tileset (its TileJSON lists bands) is drawn from the
// server's PNG tiles under every vector layer, with a ramp, a stretch, a
// colour bar and its values under a click (raster.js). window.outcrop holds
// the map and the tilesets for debugging from the console and for the
// browser test.

import { QA_KIND, isQA, hatched, qaBefore, ReportPanel } from './qa.js';
import { VIEW, upgradeLegacyHash, readLayers, readBasemap, writeLayers } from './permalink.js';
import { SearchBox } from './search.js';
import {
  loadColormaps, rasterOf, addRasterLayers, redraw, rasterControls, swatchStyle, colourBar, valueSection,
} from './raster.js';
import { loadBasemap, addBasemap, setBasemapVisible, setBasemapOpacity } from './basemap.js';
import { loadStrings, t, lang, languageSwitch } from './i18n.js';

const BACKGROUND = '#f4f1ea';
// Tableau 10: qualitative colours that stay apart when drawn translucent over
// a light background. Past ten tilesets, hues step by the golden angle.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const FILL_OPACITY = 0.45;
// Web Mercator stops short of the poles; sources with wider bounds are clamped.
const MAX_LAT = 85.0511;
// How far around a click, in pixels, features count as clicked: lines and
// points are hard to hit exactly.
const CLICK_SLOP = 4;
const POPUP_MAX_FEATURES = 8;
// The themes of the layer tree, in its order; a collection of no theme
// (an older server) is put in geology.
const THEMES = ['geology', 'structure', 'occurrences', 'geophysics', 'basemap'];
// Under this width the panels are bottom sheets, collapsed to start with.
const PHONE = '(max-width: 700px)';
// A tileset whose bounds span this much longitude or latitude is global:
// the first view fits the others.
const GLOBAL_LNG = 300;
const GLOBAL_LAT = 150;
const MISSING_MAPLIBRE = 'MapLibre GL JS is missing from this build: run make (MapLibre is vendored at build time).';

const statusEl = document.getElementById('status');
const outcrop = { map: null, tilesets: [], errors: [], setStyle: null, report: null, colormaps: null, basemap: null, frames: 0 };
window.outcrop = outcrop;

function setStatus(message) {
  statusEl.textContent = message;
  statusEl.hidden = message === '';
}

function fail(message) {
  setStatus(message);
  statusEl.classList.add('fatal');
  document.body.dataset.state = 'error';
}

function colorFor(i) {
  if (i < PALETTE.length) return PALETTE[i];
  return `hsl(${Math.round((i * 137.508) % 360)}, 55%, 45%)`;
}

// escapeHTML makes plain text safe where MapLibre renders HTML: attributions
// come from tileset metadata and are shown as text, never as markup.
function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

async function getJSON(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url.pathname || url}: HTTP ${res.status}`);
  return res.json();
}

// tileURL resolves a TileJSON tile template against the TileJSON's own URL.
// URL() percent-encodes the {z}/{x}/{y} braces, which MapLibre must see raw.
function tileURL(template, base) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(template)) return template;
  return new URL(template, base).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
}

// validBounds accepts a point's or a line's zero-width bounds too.
function validBounds(b) {
  return Array.isArray(b) && b.length === 4 && b.every(Number.isFinite) &&
    b[0] <= b[2] && b[1] <= b[3];
}

function clampBounds(b) {
  return [Math.max(b[0], -180), Math.max(b[1], -MAX_LAT), Math.min(b[2], 180), Math.min(b[3], MAX_LAT)];
}

function unionBounds(list) {
  const all = list.filter(validBounds);
  if (all.length === 0) return null;
  return all.reduce((u, b) => [Math.min(u[0], b[0]), Math.min(u[1], b[1]),
    Math.max(u[2], b[2]), Math.max(u[3], b[3])]);
}

// loadTileset reads one collection's TileJSON. A tileset that cannot be
// drawn comes back with an error and is listed as unavailable.
async function loadTileset(c, i, colormaps) {
  const ts = {
    id: String(c.id),
    title: c.title || String(c.id),
    description: c.description || '',
    attribution: c.attribution || '',
    license: c.license || '',
    color: colorFor(i),
    theme: THEMES.includes(c.theme) ? c.theme : 'geology',
    error: '',
  };
  ts.synthetic = /synthetic/i.test(`${ts.title} ${ts.description}`);
  ts.source = `ts:${ts.id}`;
  ts.layers = { fill: `${ts.id}:fill`, line: `${ts.id}:line`, point: `${ts.id}:point`, raster: `${ts.id}:raster` };
  // The raster's state (raster.js); null for a vector tileset.
  ts.raster = null;
  ts.visible = true;
  // Opacity multiplies every layer's own (1: as styled).
  ts.opacity = 1;
  // The server's styles for this tileset ({id, kind, title, preferred}),
  // the one drawn (null: the viewer's own colours), its layers and legend.
  ts.styles = [];
  ts.style = null;
  ts.styleLayers = [];
  ts.legend = null;
  try {
    const url = new URL(`../tiles/${encodeURIComponent(ts.id)}.json`, location.href);
    const tj = await getJSON(url);
    if (!Array.isArray(tj.tiles) || tj.tiles.length === 0) throw new Error(`${url.pathname}: no tiles`);
    ts.tiles = tj.tiles.map((t) => tileURL(t, url));
    ts.raster = rasterOf(tj, ts.tiles[0], colormaps);
    const vl = Array.isArray(tj.vector_layers) ? tj.vector_layers[0] : null;
    if (!ts.raster && (!vl || !vl.id)) throw new Error(`${url.pathname}: no vector_layers`);
    ts.layer = vl ? vl.id : '';
    ts.minzoom = Number.isInteger(tj.minzoom) ? tj.minzoom : 0;
    ts.maxzoom = Number.isInteger(tj.maxzoom) ? tj.maxzoom : 14;
    ts.attribution = ts.attribution || tj.attribution || '';
    const extent = c.extent && c.extent.spatial && c.extent.spatial.bbox && c.extent.spatial.bbox[0];
    ts.bounds = validBounds(tj.bounds) ? tj.bounds : (validBounds(extent) ? extent : null);
  } catch (err) {
    ts.error = err.message;
  }
  return ts;
}

// sourceOf is what a tileset's source is, whatever its kind.
function sourceOf(ts) {
  const source = {
    minzoom: ts.minzoom,
    maxzoom: ts.maxzoom,
    attribution: escapeHTML(ts.attribution),
  };
  // Bounds keep MapLibre from asking for tiles where there is no data;
  // zero-width ones would keep it from asking for any.
  if (ts.bounds && ts.bounds[0] < ts.bounds[2] && ts.bounds[1] < ts.bounds[3]) {
    source.bounds = clampBounds(ts.bounds);
  }
  return source;
}

function addTilesets(map, tilesets) {
  // Rasters first: they lie under every vector layer.
  addRasterLayers(map, tilesets.filter((ts) => !ts.error && ts.raster), sourceOf);
  const drawn = tilesets.filter((ts) => !ts.error && !ts.raster);
  for (const ts of drawn) {
    map.addSource(ts.source, { ...sourceOf(ts), type: 'vector', tiles: ts.tiles });
  }
  // A geometry type is not in TileJSON, so every tileset gets a fill, a line
  // and a circle layer, each filtered by geometry type: whatever the data
  // holds is drawn. They are stacked by kind (all fills, then all lines, then
  // all points) so a large polygon tileset never hides another's points.
  const base = (ts, id, type, filter) => ({
    id, type, source: ts.source, 'source-layer': ts.layer, filter,
  });
  for (const ts of drawn) {
    map.addLayer({
      ...base(ts, ts.layers.fill, 'fill', ['==', ['geometry-type'], 'Polygon']),
      paint: { 'fill-color': ts.color, 'fill-opacity': FILL_OPACITY },
    });
  }
  for (const ts of drawn) {
    map.addLayer({
      ...base(ts, ts.layers.line, 'line', ['match', ['geometry-type'], ['LineString', 'Polygon'], true, false]),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ts.color,
        'line-width': ['case', ['==', ['geometry-type'], 'Polygon'], 0.75, 2],
      },
    });
  }
  for (const ts of drawn) {
    map.addLayer({
      ...base(ts, ts.layers.point, 'circle', ['==', ['geometry-type'], 'Point']),
      paint: {
        'circle-color': ts.color,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 0, 3, 8, 5, 14, 7],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    });
  }
}

function layerIds(ts) {
  if (ts.raster) return [ts.layers.raster];
  return [ts.layers.fill, ts.layers.line, ts.layers.point];
}

// drawnLayerIds are the layers that draw ts now: the server style's, or
// the viewer's own.
function drawnLayerIds(ts) {
  return ts.style ? ts.styleLayers : layerIds(ts);
}

function setVisible(map, ts, visible) {
  ts.visible = visible;
  for (const id of layerIds(ts)) {
    map.setLayoutProperty(id, 'visibility', visible && !ts.style ? 'visible' : 'none');
  }
  for (const id of ts.styleLayers) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

// OPACITY_PROPS are the paint properties a layer's opacity is in, by type.
const OPACITY_PROPS = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity', 'icon-opacity'],
  raster: ['raster-opacity'],
};

// applyOpacity scales the opacity of every layer drawing ts by ts.opacity,
// from the layer's own (remembered the first time): a number is
// multiplied, a data expression wrapped; a zoom expression, which must stay
// outermost, is left as it is.
function applyOpacity(map, ts) {
  ts.ownOpacity = ts.ownOpacity || new Map();
  for (const id of [...layerIds(ts), ...ts.styleLayers]) {
    const layer = map.getLayer(id);
    if (!layer) continue;
    for (const prop of OPACITY_PROPS[layer.type] || []) {
      const key = `${id}\u0000${prop}`;
      if (!ts.ownOpacity.has(key)) ts.ownOpacity.set(key, map.getPaintProperty(id, prop));
      const own = ts.ownOpacity.get(key);
      let v;
      if (ts.opacity === 1) v = own;
      else if (own === undefined || own === null) v = ts.opacity;
      else if (typeof own === 'number') v = own * ts.opacity;
      else if (Array.isArray(own) && !JSON.stringify(own).includes('"zoom"')) v = ['*', own, ts.opacity];
      else continue;
      map.setPaintProperty(id, prop, v);
    }
  }
}

// lowestDataLayer is the id of the lowest layer drawing a tileset: a
// basemap's layers go before it, under all the data.
function lowestDataLayer(map) {
  const layers = map.getStyle().layers || [];
  const data = layers.find((l) => l.source && (l.source.startsWith('ts:') || l.id.startsWith('style:')));
  return data ? data.id : undefined;
}

// inView reports whether ts has data in the map's view (a tileset of
// unknown bounds always has).
function inView(map, ts) {
  if (!ts.bounds) return true;
  const v = map.getBounds();
  const [w, s, e, n] = ts.bounds;
  if (s > v.getNorth() || n < v.getSouth()) return false;
  // The view may cross the antimeridian: compare its width as it is.
  if (v.getEast() - v.getWest() >= 360) return true;
  const west = ((v.getWest() + 540) % 360) - 180;
  const east = west + (v.getEast() - v.getWest());
  return [-360, 0, 360].some((k) => w + k <= east && e + k >= west);
}

// isGlobal reports whether bounds cover (nearly) the world.
function isGlobal(b) {
  return b[2] - b[0] >= GLOBAL_LNG || b[3] - b[1] >= GLOBAL_LAT;
}

// loadStyles reads the server's style list into each tileset's styles. A
// server without styles leaves every tileset in the viewer's colours.
async function loadStyles(tilesets) {
  let doc;
  try {
    doc = await getJSON(new URL('../styles', location.href));
  } catch (err) {
    console.warn('outcrop viewer: no styles:', err.message);
    return;
  }
  const byId = new Map(tilesets.map((ts) => [ts.id, ts]));
  for (const st of Array.isArray(doc.styles) ? doc.styles : []) {
    const ts = byId.get(st.tileset);
    // A raster's server style draws what the viewer's own controls do.
    if (!ts || ts.error || ts.raster) continue;
    // Titles read "{tileset} — {what the style shows}".
    const title = String(st.title || st.kind).split(' — ').pop();
    ts.styles.push({ id: String(st.id), kind: String(st.kind), title, preferred: Boolean(st.default) });
  }
}

// preferredStyle is the server style a tileset starts in: its preferred
// one when that shows something (age, lithology, …), else none, since the
// server's default style colours tilesets no better than the viewer.
function preferredStyle(ts) {
  const st = ts.styles.find((s) => s.preferred);
  return st && st.kind !== 'default' ? st.id : '';
}

// styleLayers takes the layers of a server style document that draw ts,
// renamed and re-sourced onto the viewer's source for it. Symbol layers
// need glyphs, which only a style naming them can have.
function styleLayers(doc, ts) {
  const kinds = doc.glyphs ? ['fill', 'line', 'circle', 'symbol'] : ['fill', 'line', 'circle'];
  return (Array.isArray(doc.layers) ? doc.layers : [])
    .filter((l) => l.source && kinds.includes(l.type))
    .map((l) => ({
      ...l,
      id: `style:${ts.id}:${l.id}`,
      source: ts.source,
      'source-layer': ts.layer,
      layout: { ...(l.layout || {}), visibility: ts.visible ? 'visible' : 'none' },
    }));
}

// fetchStyle reads what drawing ts in one of the server's styles
// (styleId; '' for the viewer's own colours) takes: the style document and
// its legend, fetched together.
async function fetchStyle(ts, styleId) {
  if (!styleId) return { styleId, doc: null, legend: null };
  const kind = (ts.styles.find((s) => s.id === styleId) || {}).kind || '';
  const url = new URL(`../collections/${encodeURIComponent(ts.id)}/legend`, location.href);
  url.searchParams.set('style', kind);
  const [doc, legend] = await Promise.all([
    getJSON(new URL(`../styles/${encodeURIComponent(styleId)}.json`, location.href)),
    getJSON(url).catch((err) => {
      console.warn('outcrop viewer: no legend:', err.message);
      return null;
    }),
  ]);
  return { styleId, doc, legend };
}

// applyStyle draws ts with one of the server's styles (styleId), or with
// the viewer's own colours (''), and loads the style's legend. A later
// call wins over one still loading.
async function applyStyle(map, ts, styleId, onChange) {
  const token = (ts.styleToken = (ts.styleToken || 0) + 1);
  const fetched = await fetchStyle(ts, styleId);
  if (token !== ts.styleToken) return;
  useStyle(map, ts, fetched, onChange);
}

// useStyle draws ts as fetchStyle read it, at once: called in the task
// that adds the tileset's source, its tiles are parsed for these layers
// only once.
function useStyle(map, ts, { styleId, doc, legend }, onChange) {
  const kind = styleId ? (ts.styles.find((s) => s.id === styleId) || {}).kind || '' : '';
  let layers = [];
  if (doc) {
    // Labels need the glyphs and font files the style names, the server's own.
    if (doc.glyphs && map.getGlyphs() !== doc.glyphs) map.setGlyphs(doc.glyphs);
    const faces = { ...(map.getFontFaces() || {}), ...(doc['font-faces'] || {}) };
    if (JSON.stringify(faces) !== JSON.stringify(map.getFontFaces() || {})) map.setFontFaces(faces);
    layers = styleLayers(doc, ts);
  }
  for (const id of ts.styleLayers) map.removeLayer(id);
  // Each kind of layer goes where the viewer's own of that kind is, so
  // that fills stay below every tileset's lines and points.
  const before = { fill: ts.layers.fill, line: ts.layers.line, circle: ts.layers.point, symbol: ts.layers.point };
  // An edge-matching layer goes over every tileset's of its kind instead.
  for (const l of layers) map.addLayer(hatched(map, l), kind === QA_KIND ? qaBefore(map, l.type) : before[l.type]);
  ts.styleLayers = layers.map((l) => l.id);
  ts.style = styleId ? ts.styles.find((s) => s.id === styleId) || { id: styleId } : null;
  ts.legend = legend;
  setVisible(map, ts, ts.visible);
  applyOpacity(map, ts);
  if (onChange) onChange(ts);
}

// LayerPanel is a MapLibre control, collapsible: the feature search, then
// every tileset grouped by theme, each with a checkbox, its colour, its
// title (marked when synthetic), a button to zoom to it, an opacity slider
// and, where the server styles it, a choice of style; then the export and
// link buttons.
class LayerPanel {
  // actions: setVisible(ts, visible), setStyle(ts, styleId),
  // setOpacity(ts, opacity), rasterChanged(ts), after a raster's ramp,
  // stretch or band changed, setBasemapVisible(visible),
  // setBasemapOpacity(opacity) and exportPNG(). The feature search (a
  // SearchBox) is put in its place by setSearch, after the first idle.
  // basemap is basemap.js's, listed under the Basemap theme, or null.
  constructor(tilesets, actions, colormaps, basemap) {
    this.tilesets = tilesets;
    this.actions = actions;
    this.colormaps = colormaps;
    this.basemap = basemap || null;
  }

  onAdd(map) {
    const el = document.createElement('details');
    el.className = 'maplibregl-ctrl maplibregl-ctrl-group outcrop-panel outcrop-layers';
    el.open = !matchMedia(PHONE).matches;
    const summary = document.createElement('summary');
    summary.textContent = t('layers');
    el.append(summary);
    const body = document.createElement('div');
    body.className = 'body';
    // The search's place, kept its height until setSearch fills it.
    this.searchSlot = document.createElement('div');
    this.searchSlot.className = 'outcrop-search-slot';
    body.append(this.searchSlot);
    const fs = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = t('tilesets');
    legend.className = 'visually-hidden';
    fs.append(legend);
    if (this.tilesets.length === 0 && !this.basemap) {
      const p = document.createElement('p');
      p.textContent = t('none_yet');
      fs.append(p);
    }
    for (const theme of THEMES) {
      const members = this.tilesets.filter((ts) => ts.theme === theme);
      const rows = members.map((ts) => this.entry(map, ts));
      if (theme === 'basemap' && this.basemap) rows.unshift(this.basemapEntry());
      if (rows.length === 0) continue;
      const group = document.createElement('details');
      group.className = 'theme';
      group.dataset.theme = theme;
      group.open = true;
      const head = document.createElement('summary');
      head.textContent = t(`theme.${theme}`);
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = String(rows.length);
      head.append(count);
      group.append(head, ...rows);
      fs.append(group);
    }
    body.append(fs);
    const tools = document.createElement('div');
    tools.className = 'tools';
    const png = document.createElement('button');
    png.type = 'button';
    png.className = 'export';
    png.textContent = t('export_png');
    png.title = t('export_png_title');
    png.addEventListener('click', () => this.actions.exportPNG());
    // The permalink: shown selected, to copy, and copied where the
    // browser allows it (the clipboard needs a secure origin).
    const share = document.createElement('button');
    share.type = 'button';
    share.className = 'copy-link';
    share.textContent = t('copy_link');
    share.title = t('copy_link_title');
    const url = document.createElement('input');
    url.className = 'permalink';
    url.readOnly = true;
    url.hidden = true;
    url.setAttribute('aria-label', t('link_label'));
    share.addEventListener('click', async () => {
      url.value = location.href;
      url.hidden = false;
      url.select();
      try {
        await navigator.clipboard.writeText(url.value);
        share.textContent = t('copied');
      } catch {
        share.textContent = t('copy_link');
      }
    });
    const home = document.createElement('a');
    home.className = 'catalogue';
    home.href = '../';
    home.textContent = t('catalogue');
    home.title = t('catalogue_title');
    tools.append(png, share, home, languageSwitch(), url);
    if (this.tilesets.length > 0 || this.basemap) body.append(tools);
    el.append(body);
    this.el = el;
    return el;
  }

  // sync shows ts's state (after a permalink set it).
  sync(ts) {
    const row = this.el && this.el.querySelector(`.outcrop-layer[data-id="${CSS.escape(ts.id)}"]`);
    if (!row) return;
    row.querySelector('input[type=checkbox]').checked = ts.visible && !ts.error;
    const select = row.querySelector('select.style');
    if (select) select.value = ts.style ? ts.style.id : '';
    const slider = row.querySelector('input.opacity');
    if (slider) slider.value = String(Math.round(ts.opacity * 100));
  }

  // basemapEntry is the basemap's row: a checkbox and an opacity slider.
  basemapEntry() {
    const bm = this.basemap;
    const row = document.createElement('div');
    row.className = 'outcrop-layer outcrop-basemap';
    const label = document.createElement('label');
    label.title = bm.tileset ? t('basemap_title', { id: bm.tileset }) : bm.style;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = bm.visible;
    box.addEventListener('change', () => this.actions.setBasemapVisible(box.checked));
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = bm.title;
    label.append(box, title);
    const line = document.createElement('label');
    line.className = 'opacity-choice';
    line.textContent = t('opacity');
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.className = 'opacity';
    slider.min = '0';
    slider.max = '100';
    slider.step = '5';
    slider.value = String(Math.round(bm.opacity * 100));
    slider.setAttribute('aria-label', t('opacity_of', { title: bm.title }));
    slider.addEventListener('input', () => this.actions.setBasemapOpacity(Number(slider.value) / 100));
    line.append(slider);
    row.append(label, line);
    return row;
  }

  entry(map, ts) {
    const row = document.createElement('div');
    row.className = 'outcrop-layer';
    row.dataset.id = ts.id;
    const label = document.createElement('label');
    label.title = [ts.id, ts.description, ts.license && t('licence', { licence: ts.license }), ts.error]
      .filter(Boolean).join('\n');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !ts.error && ts.visible;
    box.disabled = Boolean(ts.error);
    box.addEventListener('change', () => this.actions.setVisible(ts, box.checked));
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = ts.color;
    if (ts.raster) swatchStyle(swatch, ts, this.colormaps);
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = ts.title;
    label.append(box, swatch, title);
    if (ts.synthetic) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = t('synthetic');
      label.append(badge);
    }
    if (ts.error) {
      const err = document.createElement('span');
      err.className = 'badge error';
      err.textContent = t('unavailable');
      label.append(err);
    }
    row.append(label);
    if (ts.bounds && !ts.error) {
      const zoom = document.createElement('button');
      zoom.type = 'button';
      zoom.className = 'zoom';
      zoom.textContent = '⤢';
      zoom.title = t('zoom_to', { title: ts.title });
      zoom.setAttribute('aria-label', zoom.title);
      zoom.addEventListener('click', () => map.fitBounds(clampBounds(ts.bounds), { padding: 40, maxZoom: ts.maxzoom }));
      row.append(zoom);
    }
    // The server's default style draws a tileset by geometry alone, as the
    // viewer does: a choice is worth offering only beside a thematic one.
    if (ts.styles.some((st) => st.kind !== 'default')) row.append(this.styleChoice(ts));
    if (!ts.error) row.append(this.opacityChoice(ts));
    if (ts.raster && !ts.error) {
      row.append(rasterControls(ts, this.colormaps, () => {
        swatchStyle(swatch, ts, this.colormaps);
        this.actions.rasterChanged(ts);
      }));
    }
    return row;
  }

  // styleChoice is a menu of the server's styles for ts and the viewer's
  // own colours, on its own line under the tileset's title.
  styleChoice(ts) {
    const line = document.createElement('div');
    line.className = 'style-choice';
    const select = document.createElement('select');
    select.className = 'style';
    select.setAttribute('aria-label', t('style_of', { title: ts.title }));
    const own = new Option(t('viewer_colours'), '');
    select.append(own, ...ts.styles.map((st) => new Option(st.title, st.id)));
    select.value = ts.style ? ts.style.id : '';
    select.addEventListener('change', () => this.actions.setStyle(ts, select.value));
    line.append(select);
    return line;
  }

  // opacityChoice is a slider of ts's opacity, 0 to 100 %.
  opacityChoice(ts) {
    const line = document.createElement('label');
    line.className = 'opacity-choice';
    line.textContent = t('opacity');
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.className = 'opacity';
    slider.min = '0';
    slider.max = '100';
    slider.step = '5';
    slider.value = String(Math.round(ts.opacity * 100));
    slider.setAttribute('aria-label', t('opacity_of', { title: ts.title }));
    slider.addEventListener('input', () => this.actions.setOpacity(ts, Number(slider.value) / 100));
    line.append(slider);
    return line;
  }

  // setSearch puts the feature search (a SearchBox) at the top of the
  // panel, in the place kept for it.
  setSearch(search) {
    if (this.searchSlot) this.searchSlot.replaceWith(search.el);
    this.searchSlot = null;
  }

  onRemove() {
    this.el.remove();
  }
}

// LegendPanel is a MapLibre control, collapsible, with the legend of every
// visible tileset in view drawn in a server style: one entry per colour,
// with its vocabulary label (and the label in the tileset's language), the
// URI it stands for and how many features it covers. Entries that give a
// depth (an age's rank under its parent) are indented by it. Hidden when
// there is none. Its entries are built once build() is called, after the
// first idle, so that the first tiles do not wait for them; until then it
// is hidden.
class LegendPanel {
  constructor(tilesets, colormaps) {
    this.tilesets = tilesets;
    this.colormaps = colormaps;
    this.built = false;
  }

  // build lists the legend from now on (performance mark
  // outcrop:legend-built).
  build() {
    this.built = true;
    this.update();
    performance.mark('outcrop:legend-built');
  }

  // shown are the tilesets the legend lists: visible, in view, drawn in a
  // server style with a legend, or rasters.
  shown() {
    const here = (ts) => ts.visible && !ts.error && (!this.map || inView(this.map, ts));
    return this.tilesets.filter((ts) => here(ts) && (ts.raster || (ts.style && ts.legend)));
  }

  onAdd(map) {
    this.map = map;
    this.onMove = () => this.update();
    map.on('moveend', this.onMove);
    const el = document.createElement('details');
    el.className = 'maplibregl-ctrl maplibregl-ctrl-group outcrop-panel outcrop-legend';
    el.open = !matchMedia(PHONE).matches;
    const summary = document.createElement('summary');
    summary.textContent = t('legend');
    this.body = document.createElement('div');
    el.append(summary, this.body);
    el.hidden = true;
    this.el = el;
    this.update();
    return el;
  }

  update() {
    if (!this.el || !this.built) return;
    // A raster's colour bar first: rasters lie under every vector layer.
    const here = this.shown();
    const rasters = here.filter((ts) => ts.raster);
    const styled = here.filter((ts) => !ts.raster);
    const shown = [...rasters, ...styled];
    this.body.replaceChildren(...rasters.map((ts) => colourBar(ts, this.colormaps)), ...styled.map((ts) => legendSection(ts)));
    this.el.hidden = shown.length === 0;
  }

  onRemove() {
    if (this.map) this.map.off('moveend', this.onMove);
    this.el.remove();
  }
}

function legendSection(ts) {
  const leg = ts.legend;
  const section = document.createElement('section');
  section.dataset.id = ts.id;
  const h = document.createElement('h4');
  h.textContent = ts.title;
  const what = document.createElement('p');
  what.className = 'what';
  what.textContent = ts.style.title || leg.title || '';
  const list = document.createElement('ul');
  for (const e of Array.isArray(leg.entries) ? leg.entries : []) {
    const li = document.createElement('li');
    if (e.uri) li.title = e.uri;
    if (e.fallback) li.className = 'fallback';
    if (Number.isInteger(e.depth) && e.depth > 0) li.style.paddingLeft = `${e.depth * 10}px`;
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = e.label || '';
    li.append(legendSwatch(e.symbol || leg.symbol, e), label);
    if (e.label_local) {
      const local = document.createElement('span');
      local.className = 'local';
      local.lang = leg.lang || '';
      local.textContent = e.label_local;
      li.append(local);
    }
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = Number(e.count || 0).toLocaleString(lang);
    // A key that lists every class (edge-matching) may not know its counts.
    if (e.count) li.append(count);
    list.append(li);
  }
  section.append(h, what, list);
  if (leg.attribution) {
    const credit = document.createElement('p');
    credit.className = 'credit';
    credit.textContent = leg.attribution;
    section.append(credit);
  }
  return section;
}

// legendSwatch draws an entry's symbol: a filled square, a line (dashed
// where the style dashes it) or a dot.
function legendSwatch(symbol, e) {
  const sw = document.createElement('span');
  sw.className = `swatch ${symbol || 'fill'}`;
  if (symbol === 'line') {
    sw.style.borderTopColor = e.colour;
    sw.style.borderTopWidth = `${Math.max(1, Math.min(4, e.width || 2))}px`;
    sw.style.borderTopStyle = Array.isArray(e.dash) && e.dash.length ? 'dashed' : 'solid';
  } else if (e.hatch) {
    sw.classList.add('hatch');
    sw.style.setProperty('--c', e.colour);
  } else {
    sw.style.backgroundColor = e.colour;
    if (e.outline) sw.style.borderColor = e.outline;
  }
  return sw;
}

function formatValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// harmonisationOf fetches, once, the harmonisation report of ts, whose
// fields member names its harmonised fields; null when it has none.
function harmonisationOf(ts) {
  if (!ts.harmonisation) {
    const url = new URL(`../collections/${encodeURIComponent(ts.id)}/harmonisation`, location.href);
    ts.harmonisation = getJSON(url).then(
      (doc) => (Array.isArray(doc.fields) ? doc : null),
      () => null, // 404: not harmonised
    );
  }
  return ts.harmonisation;
}

function isURIField(name) {
  return name.endsWith('_uri');
}

function addRow(table, name, value) {
  const tr = table.insertRow();
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = name;
  const td = tr.insertCell();
  td.textContent = formatValue(value);
  tr.prepend(th);
  return td;
}

// popupContent lists the clicked features' attributes: a harmonised
// tileset's GeoSciML-Lite fields first (vocabulary URIs to be named by
// nameURIs), then the source's own. It builds DOM nodes with textContent
// only, so attribute values are never parsed as HTML.
function popupContent(features, byLayer, reports) {
  const root = document.createElement('div');
  root.className = 'outcrop-popup';
  for (const f of features.slice(0, POPUP_MAX_FEATURES)) {
    const ts = byLayer.get(f.layer.id);
    const section = document.createElement('section');
    section.dataset.id = ts.id;
    if (f.fromAPI) section.dataset.source = 'api';
    const h = document.createElement('h3');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = ts.color;
    h.append(swatch, document.createTextNode(ts.title));
    section.append(h);
    const table = document.createElement('table');
    const rest = new Map(Object.entries(f.properties));
    if (f.id !== undefined) addRow(table, '(id)', f.id);
    const report = reports.get(ts);
    if (report) {
      const head = table.createTBody();
      head.className = 'harmonised';
      for (const field of report.fields) {
        if (!rest.has(field.name)) continue;
        const v = rest.get(field.name);
        rest.delete(field.name);
        const td = addRow(head, field.name, v);
        if (isURIField(field.name) && typeof v === 'string') {
          td.dataset.uri = v;
          td.title = v;
        }
      }
      const group = table.createTBody();
      group.className = 'source';
      const tr = group.insertRow();
      const th = document.createElement('th');
      th.colSpan = 2;
      th.textContent = t('source_fields');
      tr.append(th);
      for (const [k, v] of rest) addRow(group, k, v);
    } else {
      for (const [k, v] of rest) addRow(table, k, v);
    }
    section.append(table);
    root.append(section);
  }
  if (features.length > POPUP_MAX_FEATURES) {
    const more = document.createElement('p');
    more.textContent = t('more', { n: features.length - POPUP_MAX_FEATURES });
    root.append(more);
  }
  return root;
}

// nameURIs replaces the vocabulary URIs in a popup's harmonised fields by
// their labels: English, then the tileset's own language where the
// vocabulary has a label in it. Unknown URIs stay as they are.
async function nameURIs(root) {
  for (const section of root.querySelectorAll('section')) {
    const cells = [...section.querySelectorAll('td[data-uri]')];
    if (cells.length === 0) continue;
    const url = new URL('../vocab/labels', location.href);
    url.searchParams.set('tileset', section.dataset.id);
    for (const uri of new Set(cells.map((td) => td.dataset.uri))) url.searchParams.append('uri', uri);
    let doc;
    try {
      doc = await getJSON(url);
    } catch (err) {
      console.warn('outcrop viewer: no labels:', err.message);
      continue;
    }
    const byURI = new Map((doc.concepts || []).map((c) => [c.uri, c]));
    // In another interface language, the label is in it where the
    // vocabulary has one (else in English).
    const ours = new Map();
    if (lang !== 'en') {
      const mine = new URL('../vocab/labels', location.href);
      mine.searchParams.set('lang', lang);
      for (const uri of byURI.keys()) mine.searchParams.append('uri', uri);
      const d = await getJSON(mine).catch(() => ({}));
      for (const c of d.concepts || []) if (c.label_local) ours.set(c.uri, c.label_local);
    }
    for (const td of cells) {
      const c = byURI.get(td.dataset.uri);
      if (!c || !c.known) continue;
      const label = document.createElement('span');
      label.className = 'label';
      const name = ours.get(c.uri) || c.label;
      if (ours.has(c.uri)) label.lang = lang;
      label.textContent = c.nil ? t('none_given', { label: name }) : name;
      td.replaceChildren(label);
      if (c.label_local && doc.lang !== lang) {
        const local = document.createElement('span');
        local.className = 'local';
        local.lang = doc.lang || '';
        local.textContent = c.label_local;
        td.append(local);
      }
      td.dataset.named = 'true';
    }
  }
}

// API_MAX_FEATURES is how many features identify asks each tileset's items
// for at a place.
const API_MAX_FEATURES = 5;

// featuresAt asks the items of ts for the features within CLICK_SLOP
// pixels of point, as features popupContent lists (marked fromAPI).
async function featuresAt(ts, map, point) {
  // Wrapped into -180..180: the place may be on another copy of the world.
  const a = map.unproject([point.x - CLICK_SLOP, point.y + CLICK_SLOP]).wrap();
  const b = map.unproject([point.x + CLICK_SLOP, point.y - CLICK_SLOP]).wrap();
  const url = new URL(`../collections/${encodeURIComponent(ts.id)}/items`, location.href);
  url.searchParams.set('bbox', [a.lng, a.lat, b.lng, b.lat].map((v) => v.toFixed(7)).join(','));
  url.searchParams.set('limit', String(API_MAX_FEATURES));
  try {
    const doc = await getJSON(url);
    return (doc.features || []).map((f) => ({
      id: f.id, properties: f.properties || {}, layer: { id: ts.layers.fill }, fromAPI: true,
    }));
  } catch (err) {
    console.warn('outcrop viewer: identify through the API:', err.message);
    return [];
  }
}

// wireInteraction makes a click identify what is under it: the features of
// every visible layer there, then the values of every visible raster. It
// returns identify(lngLat), which does the same for a place, and resolves
// with the popup (null when there is nothing).
function wireInteraction(maplibregl, map, tilesets, colormaps) {
  // byLayer finds the tileset of a rendered feature's layer, whichever
  // style draws it: the viewer's layers and those of any server style.
  const byLayer = {
    get(id) {
      return tilesets.find((ts) => layerIds(ts).includes(id) || ts.styleLayers.includes(id));
    },
  };
  const drawn = tilesets.filter((t) => !t.error && !t.raster);
  const rasters = tilesets.filter((t) => !t.error && t.raster);
  const query = (point, slop) => {
    const layers = drawn.flatMap(drawnLayerIds).filter((id) => map.getLayoutProperty(id, 'visibility') !== 'none');
    if (layers.length === 0) return [];
    const box = [[point.x - slop, point.y - slop], [point.x + slop, point.y + slop]];
    // A polygon is hit by both its fill and its outline: keep it once.
    const seen = new Set();
    return map.queryRenderedFeatures(box, { layers }).filter((f) => {
      const key = `${f.source}\u0000${f.id ?? JSON.stringify(f.properties)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  let popup = null;
  const identify = async (point, lngLat) => {
    const rendered = query(point, CLICK_SLOP);
    // A visible tileset with nothing drawn there (a feature left out of
    // the tiles at this zoom, or the place out of view) is asked for its
    // features at the place through the OGC API, exactly.
    const hit = new Set(rendered.map((f) => byLayer.get(f.layer.id)));
    const apiFeatures = Promise.all(drawn.filter((ts) => ts.visible && !hit.has(ts))
      .map((ts) => featuresAt(ts, map, point)));
    const features = [...rendered, ...(await apiFeatures).flat()];
    // The values of every visible raster under the click, from the server.
    const values = Promise.all(rasters.filter((ts) => ts.visible)
      .map((ts) => valueSection(ts, lngLat, getJSON, colormaps)));
    const owners = [...new Set(features.slice(0, POPUP_MAX_FEATURES).map((f) => byLayer.get(f.layer.id)))];
    const reports = new Map(await Promise.all(owners.map(async (ts) => [ts, await harmonisationOf(ts)])));
    const sections = (await values).filter(Boolean);
    if (features.length === 0 && sections.length === 0) return null;
    const content = popupContent(features, byLayer, reports);
    // Features over the rasters they lie on, as drawn.
    content.append(...sections);
    if (popup) popup.remove();
    popup = new maplibregl.Popup({ maxWidth: '400px', className: 'outcrop-identify' })
      .setLngLat(lngLat)
      .setDOMContent(content)
      .addTo(map);
    nameURIs(content).catch((err) => console.warn('outcrop viewer: naming URIs:', err));
    return popup;
  };
  map.on('click', (e) => {
    identify(e.point, e.lngLat).catch((err) => console.error('outcrop viewer: identify:', err));
  });
  map.on('mousemove', (e) => {
    map.getCanvas().style.cursor = query(e.point, 0).length ? 'pointer' : '';
  });
  return (lngLat) => identify(map.project(lngLat), lngLat);
}

// whenSettled resolves once the map is idle with every tile in view loaded.
function whenSettled(map) {
  return new Promise((resolve) => {
    const check = () => {
      if (map.areTilesLoaded()) {
        map.off('idle', check);
        resolve();
      }
    };
    map.on('idle', check);
    // 'idle' fires after a settled frame; make sure one is drawn even when
    // nothing was added that would have drawn one.
    map.triggerRepaint();
  });
}

// softwareWebGL tells whether WebGL is drawn by the CPU (SwiftShader,
// llvmpipe), asking a small context of its own, which is let go at once.
function softwareWebGL() {
  try {
    const gl = document.createElement('canvas').getContext('webgl2') || document.createElement('canvas').getContext('webgl');
    if (!gl) return false;
    // Chromium names the renderer through the debug extension; Firefox,
    // which deprecated it, in RENDERER itself.
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = `${gl.getParameter(gl.RENDERER)} ${debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : ''}`;
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    return /swiftshader|llvmpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

// PANEL_WIDTH is the layer panel's width on a wide screen (app.css
// .outcrop-layers), its margin and border included: the first view is
// fitted before the panel exists.
const PANEL_WIDTH = 262;

// fitData sets the first view on the data that is not global (a world
// basemap would otherwise zoom it out to the world): the tilesets the
// permalink draws (linked, or every one), beside the open layer panel on
// a wide screen, not under it.
function fitData(map, tilesets, linked) {
  const drawn = tilesets.filter((ts) => !ts.error);
  const visible = drawn.filter((ts) => !linked || linked.has(ts.id));
  const bounded = (visible.length ? visible : drawn).filter((ts) => validBounds(ts.bounds));
  const local = bounded.filter((ts) => !isGlobal(ts.bounds));
  const fit = local.length ? local : bounded;
  const bounds = unionBounds(fit.map((ts) => ts.bounds));
  if (!bounds) return;
  const phone = matchMedia(PHONE).matches;
  map.fitBounds(clampBounds(bounds), {
    padding: phone ? { top: 20, left: 20, right: 20, bottom: 64 } : { top: 40, bottom: 40, right: 50, left: PANEL_WIDTH + 20 },
    animate: false,
    maxZoom: Math.max(0, ...fit.map((ts) => ts.maxzoom)),
  });
}

async function main() {
  // A position in the URL (a shared link) wins over zooming to the data.
  // Read it now: the map rewrites the hash as soon as it exists.
  const deepLinked = upgradeLegacyHash();
  const linkedLayers = readLayers();
  const linkedBasemap = readBasemap();
  // What the first view needs is asked for while MapLibre (the largest
  // file by far) loads and compiles, not after. A failure is seen where
  // each is awaited; catch() only keeps it from being reported before.
  const collections = getJSON(new URL('../collections', location.href));
  collections.catch(() => {});
  const interfaceStrings = loadStrings(getJSON);
  const basemap = loadBasemap(getJSON);
  const colormapsLoaded = loadColormaps(getJSON);
  let maplibregl;
  try {
    // index.html names the module, at the versioned URL the server gives it.
    maplibregl = await import(document.body.dataset.maplibre || './vendor/maplibre-gl.mjs');
  } catch (err) {
    fail(MISSING_MAPLIBRE);
    throw err;
  }

  let map;
  try {
    map = new maplibregl.Map({
      container: 'map',
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
      },
      center: [0, 0],
      zoom: 1,
      // The view is kept in the hash's map= parameter, beside the layers.
      hash: VIEW,
      attributionControl: false,
      // Chinese, Japanese and Korean labels come from the server's glyphs
      // (/fonts) like every other script, not from the browser's fonts.
      localIdeographFontFamily: false,
      // Labels fading in redraw the whole map for 300 ms after each tile
      // arrives: on a CPU renderer (a server's or a VM's browser, headless
      // tests) that is most of the first view's cost, so they appear at once.
      fadeDuration: softwareWebGL() || matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 300,
    });
  } catch (err) {
    fail(`The map cannot be drawn: this browser has no WebGL (${err.message}).`);
    throw err;
  }
  outcrop.map = map;
  // How many frames the map drew: what a CPU renderer pays for.
  map.on('render', () => { outcrop.frames += 1; });
  map.on('error', (e) => {
    const message = (e.error && e.error.message) || String(e.error || e);
    outcrop.errors.push(message);
    console.error('outcrop viewer:', message);
  });
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.addControl(new maplibregl.AttributionControl({ compact: matchMedia(PHONE).matches }), 'bottom-right');
  const loaded = new Promise((resolve) => map.once('load', resolve));

  const [doc, colormaps] = await Promise.all([collections, colormapsLoaded, interfaceStrings]);
  outcrop.colormaps = colormaps;
  // The basemap's tileset is drawn below everything, not as a layer.
  outcrop.basemap = await basemap;
  const list = (Array.isArray(doc.collections) ? doc.collections : []).filter((c) => !outcrop.basemap || c.id !== outcrop.basemap.tileset);
  const tilesets = await Promise.all(list.map((c, i) => loadTileset(c, i, colormaps)));
  outcrop.tilesets = tilesets;
  // The first view is set before any source is added, so that no tile is
  // asked for at the world view only to be thrown away.
  if (!deepLinked) fitData(map, tilesets, linkedLayers);
  await loadStyles(tilesets);
  const drawn = tilesets.filter((ts) => !ts.error);
  const styleFailed = (ts, err) => {
    const message = `style of ${ts.id}: ${err.message}`;
    outcrop.errors.push(message);
    console.error('outcrop viewer:', message);
  };
  // Each tileset starts as the permalink has it, or visible in its
  // preferred server style.
  const startStyle = (ts) => {
    const linked = linkedLayers && linkedLayers.get(ts.id);
    if (!linkedLayers) return preferredStyle(ts);
    if (!linked || linked.style === null) return preferredStyle(ts);
    if (linked.style === '') return '';
    const st = ts.styles.find((x) => x.kind === linked.style);
    return st ? st.id : preferredStyle(ts);
  };
  // The starting styles are read before any source is added, so that the
  // first tiles are drawn, and parsed, once: in them.
  const started = await Promise.all([loaded, ...drawn.map((ts) => fetchStyle(ts, startStyle(ts)).catch((err) => {
    styleFailed(ts, err);
    return null;
  }))]);
  addBasemap(map, outcrop.basemap, lang);
  if (outcrop.basemap && linkedBasemap) {
    setBasemapOpacity(map, outcrop.basemap, linkedBasemap.opacity);
    setBasemapVisible(map, outcrop.basemap, linkedBasemap.visible);
  }

  addTilesets(map, tilesets);
  // For make bench-portal: the first frame drawn with a tile in it
  // (outcrop:first-frame), the first settled with every tile in view
  // (outcrop:first-idle), and readiness (outcrop:ready).
  const firstTile = (e) => {
    if (e.dataType !== 'source' || !e.tile) return;
    map.off('data', firstTile);
    map.once('render', () => performance.mark('outcrop:first-frame'));
  };
  map.on('data', firstTile);
  map.once('idle', () => performance.mark('outcrop:first-idle'));
  const legend = new LegendPanel(tilesets, colormaps);
  for (const ts of drawn) {
    if (!linkedLayers) continue;
    const linked = linkedLayers.get(ts.id);
    ts.opacity = linked ? linked.opacity : 1;
    if (!linked) setVisible(map, ts, false);
  }
  drawn.forEach((ts, i) => {
    const fetched = started[i + 1];
    if (!fetched) return;
    try {
      useStyle(map, ts, fetched);
    } catch (err) {
      styleFailed(ts, err);
    }
  });
  const remember = () => writeLayers(tilesets, outcrop.basemap);
  // The search is built when first asked for or after the first idle.
  let search = null;
  const searchBox = () => search || (search = new SearchBox(tilesets, getJSON, (r) => pick(r)));
  const panel = new LayerPanel(tilesets, {
    setVisible: (ts, visible) => {
      setVisible(map, ts, visible);
      legend.update();
      remember();
    },
    setStyle: (ts, styleId) => applyStyle(map, ts, styleId, () => {
      legend.update();
      remember();
    }).catch((err) => styleFailed(ts, err)),
    setOpacity: (ts, opacity) => {
      ts.opacity = opacity;
      applyOpacity(map, ts);
      remember();
    },
    rasterChanged: (ts) => {
      redraw(map, ts);
      applyOpacity(map, ts);
      legend.update();
    },
    setBasemapVisible: (visible) => {
      setBasemapVisible(map, outcrop.basemap, visible);
      remember();
    },
    setBasemapOpacity: (opacity) => {
      setBasemapOpacity(map, outcrop.basemap, opacity);
      remember();
    },
    // The export's code is loaded when it is first asked for.
    exportPNG: () => import('./export.js').then((m) => m.downloadPNG(map, tilesetsInView()))
      .catch((err) => console.error('outcrop viewer: export:', err)),
  }, colormaps, outcrop.basemap);
  const tilesetsInView = () => drawn.filter((ts) => ts.visible && inView(map, ts));
  map.addControl(panel, 'top-left');
  map.addControl(legend, 'bottom-right');
  // The legend's entries and the search are built once every tile of the
  // first view is drawn (outcrop:first-idle, marked just before): until
  // then the tiles have the CPU.
  map.once('idle', () => {
    legend.build();
    panel.setSearch(searchBox());
  });
  const qa = drawn.filter(isQA);
  if (qa.length > 0) {
    outcrop.report = new ReportPanel(qa, getJSON);
    map.addControl(outcrop.report, 'top-right');
  }
  const identify = wireInteraction(maplibregl, map, tilesets, colormaps);
  // pick shows a search result: its tileset drawn, the map on it and what
  // is there identified.
  const pick = async (r) => {
    if (!r.ts.visible) {
      setVisible(map, r.ts, true);
      panel.sync(r.ts);
      legend.update();
      remember();
    }
    if (!r.bbox) return null;
    const b = r.bbox;
    map.fitBounds(clampBounds(b), { padding: 60, animate: false, maxZoom: Math.min(r.ts.maxzoom + 2, 14) });
    await whenSettled(map);
    if (matchMedia(PHONE).matches) panel.el.open = false;
    return identify({ lng: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2 });
  };

  // For tests and the console: draw a tileset in a style ('' for the
  // viewer's colours) and resolve once the map has settled; search; pick a
  // result; identify a place; compose the PNG export.
  outcrop.setStyle = async (id, styleId) => {
    const ts = drawn.find((t) => t.id === id);
    if (!ts) throw new Error(`no tileset ${id}`);
    await applyStyle(map, ts, styleId, () => legend.update());
    panel.sync(ts);
    remember();
    await whenSettled(map);
  };
  outcrop.search = (text) => searchBox().run(text);
  outcrop.pick = pick;
  outcrop.identify = (lng, lat) => identify({ lng, lat });
  outcrop.composeMap = () => import('./export.js').then((m) => m.composeMap(map, tilesetsInView()));
  outcrop.lowestDataLayer = () => lowestDataLayer(map);
  outcrop.whenSettled = () => whenSettled(map);

  // The URL says what is drawn from the first, so that it can be shared.
  if (drawn.length > 0 || outcrop.basemap) remember();

  const broken = tilesets.filter((ts) => ts.error);
  if (list.length === 0 && !outcrop.basemap) {
    setStatus(t('empty_store'));
  } else if (broken.length > 0) {
    setStatus(t('not_drawn', { list: broken.map((ts) => `${ts.id} (${ts.error})`).join('; ') }));
  } else {
    setStatus('');
  }
  legend.update();
  await whenSettled(map);
  performance.mark('outcrop:ready');
  document.body.dataset.state = 'ready';
}

main().catch((err) => {
  if (document.body.dataset.state !== 'error') fail(`The viewer could not start: ${err.message}`);
  console.error(err);
});
