// Outcrop's map viewer: every tileset the server publishes, drawn as one
// vector source over a plain background. Nothing is fetched from outside the
// server: no CDN, no basemap, no fonts (so no text labels, which need glyphs).
//
// Every URL is relative to this page, so the viewer works behind a path
// prefix (/map/ fetches ../collections and ../tiles/{id}.json).
//
// The page reports its progress on <body data-state>: "loading", then
// "ready" once the map is idle with every source's tiles in view loaded, or
// "error" with the reason in #status. window.outcrop holds the map and the
// tilesets for debugging from the console and for the browser test.

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
const MISSING_MAPLIBRE = 'MapLibre GL JS is missing from this build: run make (MapLibre is vendored at build time).';

const statusEl = document.getElementById('status');
const outcrop = { map: null, tilesets: [], errors: [] };
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
async function loadTileset(c, i) {
  const ts = {
    id: String(c.id),
    title: c.title || String(c.id),
    description: c.description || '',
    attribution: c.attribution || '',
    license: c.license || '',
    color: colorFor(i),
    error: '',
  };
  ts.synthetic = /synthetic/i.test(`${ts.title} ${ts.description}`);
  ts.source = `ts:${ts.id}`;
  ts.layers = { fill: `${ts.id}:fill`, line: `${ts.id}:line`, point: `${ts.id}:point` };
  try {
    const url = new URL(`../tiles/${encodeURIComponent(ts.id)}.json`, location.href);
    const tj = await getJSON(url);
    const vl = Array.isArray(tj.vector_layers) ? tj.vector_layers[0] : null;
    if (!vl || !vl.id) throw new Error(`${url.pathname}: no vector_layers`);
    if (!Array.isArray(tj.tiles) || tj.tiles.length === 0) throw new Error(`${url.pathname}: no tiles`);
    ts.layer = vl.id;
    ts.tiles = tj.tiles.map((t) => tileURL(t, url));
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

function addTilesets(map, tilesets) {
  const drawn = tilesets.filter((ts) => !ts.error);
  for (const ts of drawn) {
    const source = {
      type: 'vector',
      tiles: ts.tiles,
      minzoom: ts.minzoom,
      maxzoom: ts.maxzoom,
      attribution: escapeHTML(ts.attribution),
    };
    // Bounds keep MapLibre from asking for tiles where there is no data;
    // zero-width ones would keep it from asking for any.
    if (ts.bounds && ts.bounds[0] < ts.bounds[2] && ts.bounds[1] < ts.bounds[3]) {
      source.bounds = clampBounds(ts.bounds);
    }
    map.addSource(ts.source, source);
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
  return [ts.layers.fill, ts.layers.line, ts.layers.point];
}

function setVisible(map, ts, visible) {
  for (const id of layerIds(ts)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

// LayerSwitcher is a MapLibre control listing every tileset with a checkbox,
// its colour, its title (marked when synthetic) and a button to zoom to it.
class LayerSwitcher {
  constructor(tilesets) {
    this.tilesets = tilesets;
  }

  onAdd(map) {
    const el = document.createElement('div');
    el.className = 'maplibregl-ctrl maplibregl-ctrl-group outcrop-layers';
    const fs = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = 'Tilesets';
    fs.append(legend);
    if (this.tilesets.length === 0) {
      const p = document.createElement('p');
      p.textContent = 'None yet: add one with outcrop ingest.';
      fs.append(p);
    }
    for (const ts of this.tilesets) fs.append(this.entry(map, ts));
    el.append(fs);
    this.el = el;
    return el;
  }

  entry(map, ts) {
    const row = document.createElement('div');
    row.className = 'outcrop-layer';
    row.dataset.id = ts.id;
    const label = document.createElement('label');
    label.title = [ts.id, ts.description, ts.license && `Licence: ${ts.license}`, ts.error]
      .filter(Boolean).join('\n');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !ts.error;
    box.disabled = Boolean(ts.error);
    box.addEventListener('change', () => setVisible(map, ts, box.checked));
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = ts.color;
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = ts.title;
    label.append(box, swatch, title);
    if (ts.synthetic) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'synthetic';
      label.append(badge);
    }
    if (ts.error) {
      const err = document.createElement('span');
      err.className = 'badge error';
      err.textContent = 'unavailable';
      label.append(err);
    }
    row.append(label);
    if (ts.bounds && !ts.error) {
      const zoom = document.createElement('button');
      zoom.type = 'button';
      zoom.className = 'zoom';
      zoom.textContent = '⤢';
      zoom.title = `Zoom to ${ts.title}`;
      zoom.setAttribute('aria-label', zoom.title);
      zoom.addEventListener('click', () => map.fitBounds(clampBounds(ts.bounds), { padding: 40, maxZoom: ts.maxzoom }));
      row.append(zoom);
    }
    return row;
  }

  onRemove() {
    this.el.remove();
  }
}

function formatValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// popupContent lists the clicked features' attributes. It builds DOM nodes
// with textContent only, so attribute values are never parsed as HTML.
function popupContent(features, byLayer) {
  const root = document.createElement('div');
  root.className = 'outcrop-popup';
  for (const f of features.slice(0, POPUP_MAX_FEATURES)) {
    const ts = byLayer.get(f.layer.id);
    const section = document.createElement('section');
    const h = document.createElement('h3');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = ts.color;
    h.append(swatch, document.createTextNode(ts.title));
    section.append(h);
    const table = document.createElement('table');
    const rows = Object.entries(f.properties);
    if (f.id !== undefined) rows.unshift(['(id)', f.id]);
    for (const [k, v] of rows) {
      const tr = table.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = k;
      const td = tr.insertCell();
      td.textContent = formatValue(v);
      tr.prepend(th);
    }
    section.append(table);
    root.append(section);
  }
  if (features.length > POPUP_MAX_FEATURES) {
    const more = document.createElement('p');
    more.textContent = `and ${features.length - POPUP_MAX_FEATURES} more`;
    root.append(more);
  }
  return root;
}

function wireInteraction(maplibregl, map, tilesets) {
  const byLayer = new Map();
  for (const ts of tilesets.filter((t) => !t.error)) {
    for (const id of layerIds(ts)) byLayer.set(id, ts);
  }
  const query = (point, slop) => {
    const layers = [...byLayer.keys()].filter((id) => map.getLayoutProperty(id, 'visibility') !== 'none');
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
  map.on('click', (e) => {
    const features = query(e.point, CLICK_SLOP);
    if (features.length === 0) return;
    new maplibregl.Popup({ maxWidth: '360px' })
      .setLngLat(e.lngLat)
      .setDOMContent(popupContent(features, byLayer))
      .addTo(map);
  });
  map.on('mousemove', (e) => {
    map.getCanvas().style.cursor = query(e.point, 0).length ? 'pointer' : '';
  });
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

async function main() {
  // A position in the URL (a shared deep link) wins over zooming to the data.
  // Read it now: the map rewrites the hash as soon as it exists.
  const deepLinked = /^#\d/.test(location.hash);
  let maplibregl;
  try {
    // index.html names the module, at the versioned URL the server gives it.
    maplibregl = await import(document.body.dataset.maplibre || './vendor/maplibre-gl.mjs');
  } catch (err) {
    fail(MISSING_MAPLIBRE);
    throw err;
  }
  const collections = getJSON(new URL('../collections', location.href));

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
      hash: true,
      attributionControl: false,
    });
  } catch (err) {
    fail(`The map cannot be drawn: this browser has no WebGL (${err.message}).`);
    throw err;
  }
  outcrop.map = map;
  map.on('error', (e) => {
    const message = (e.error && e.error.message) || String(e.error || e);
    outcrop.errors.push(message);
    console.error('outcrop viewer:', message);
  });
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.addControl(new maplibregl.AttributionControl({ compact: false }), 'bottom-right');
  const loaded = new Promise((resolve) => map.once('load', resolve));

  const doc = await collections;
  const list = Array.isArray(doc.collections) ? doc.collections : [];
  const tilesets = await Promise.all(list.map(loadTileset));
  outcrop.tilesets = tilesets;
  await loaded;

  addTilesets(map, tilesets);
  map.addControl(new LayerSwitcher(tilesets), 'top-left');
  wireInteraction(maplibregl, map, tilesets);

  const drawn = tilesets.filter((ts) => !ts.error);
  const bounds = unionBounds(drawn.map((ts) => ts.bounds));
  if (bounds && !deepLinked) {
    map.fitBounds(clampBounds(bounds), {
      padding: 40,
      animate: false,
      maxZoom: Math.max(0, ...drawn.map((ts) => ts.maxzoom)),
    });
  }

  const broken = tilesets.filter((ts) => ts.error);
  if (list.length === 0) {
    setStatus('The store has no tilesets yet: add one with outcrop ingest.');
  } else if (broken.length > 0) {
    setStatus(`Not drawn: ${broken.map((ts) => `${ts.id} (${ts.error})`).join('; ')}`);
  } else {
    setStatus('');
  }
  await whenSettled(map);
  document.body.dataset.state = 'ready';
}

main().catch((err) => {
  if (document.body.dataset.state !== 'error') fail(`The viewer could not start: ${err.message}`);
  console.error(err);
});
