// Raster tilesets in the viewer: each drawn as a MapLibre raster source of
// the server's PNG tiles, under every vector layer, with a ramp switcher, a
// stretch control, a colour bar with units in the legend panel, and the
// band values under a click in the popup.
//
// The server renders a raster tileset's stored values on request:
// ../tiles/{id}/{z}/{x}/{y}.png?colormap=&rescale=min,max&band= (the
// template comes from its TileJSON, which also lists the bands with units
// and statistics). ../colormaps lists the ramps with their 256 colours,
// which the colour bar draws; ../collections/{id}/value?lon=&lat= gives the
// values at a point.
//
// app.js calls rasterOf() on each TileJSON, addRasterLayers() before adding
// the vector layers, rasterControls() for a raster's row in the layer
// switcher, colourBar() for its legend section and valueSection() on a
// click.
//
// A raster's row also has a hillshade checkbox (the server's
// hillshade=blend: the ramp's colours lit as a surface) and, for an
// elevation (one band in metres), a 3D terrain toggle: a raster-dem source
// of the tileset's TileJSON ?encoding=terrarium, which MapLibre drapes the
// map over.

// STRETCHES are the stretch presets: the stored percentiles or extremes
// each end of the ramp is set to. The server's default is p2–p98.
const STRETCHES = [
  { id: 'p2-p98', label: '2–98 %', lo: (s) => s.percentiles && s.percentiles.p2, hi: (s) => s.percentiles && s.percentiles.p98 },
  { id: 'p25-p75', label: '25–75 %', lo: (s) => s.percentiles && s.percentiles.p25, hi: (s) => s.percentiles && s.percentiles.p75 },
  { id: 'min-max', label: 'min–max', lo: (s) => s.min, hi: (s) => s.max },
];
const CUSTOM = 'custom';
// Significant digits values are shown with, in the popup and colour bar.
const DIGITS = 6;

// formatNumber shows a band value or a stretch end, to DIGITS significant
// digits, without a thousands separator (so it reads back as a number).
export function formatNumber(v) {
  return Number(v).toLocaleString('en', { maximumSignificantDigits: DIGITS, useGrouping: false });
}

// loadColormaps reads ../colormaps: {default, colormaps[]: {name,
// description, colours}}. A server without it leaves the default ramp only,
// without colours.
export async function loadColormaps(getJSON) {
  try {
    const doc = await getJSON(new URL('../colormaps', location.href));
    const list = (Array.isArray(doc.colormaps) ? doc.colormaps : []).filter((c) => c && c.name);
    return { default: doc.default || (list[0] && list[0].name) || '', list };
  } catch (err) {
    console.warn('outcrop viewer: no colormaps:', err.message);
    return { default: '', list: [] };
  }
}

// rasterOf reads a raster tileset's TileJSON (one listing bands) into the
// state the viewer draws it from; null for a vector tileset. template is
// the PNG tile URL, already resolved.
export function rasterOf(tj, template, colormaps) {
  if (!Array.isArray(tj.bands) || tj.bands.length === 0) return null;
  const r = {
    template,
    tileSize: Number.isInteger(tj.tile_size) ? tj.tile_size : 256,
    bands: tj.bands.map((b, i) => ({ name: String(b.name || `band ${i + 1}`), units: String(b.units || ''), stats: b.stats || null })),
    band: 1,
    ramp: colormaps.default,
    stretch: 'p2-p98',
    lo: null,
    hi: null,
    // hillshade is the value of the server's hillshade= parameter, '' for
    // none; the checkbox in rasterControls sets it.
    hillshade: '',
    // terrain: the map is draped over this raster's elevations.
    terrain: false,
  };
  setStretch(r, r.stretch);
  return r;
}

// METRES are the units an elevation band is in; KILOMETRES those the
// hillshade scales by 1000 (zfactor=), so that slopes are true.
const METRES = ['m', 'metre', 'metres', 'meter', 'meters'];
const KILOMETRES = ['km', 'kilometre', 'kilometres', 'kilometer', 'kilometers'];

function unitsIn(list, units) {
  return list.includes(String(units || '').trim().toLowerCase());
}

// isElevation tells whether a raster is an elevation: one band, in metres.
export function isElevation(r) {
  return r.bands.length === 1 && unitsIn(METRES, r.bands[0].units);
}

// zfactor is the server's zfactor= for the band drawn: what makes its
// values metres of height.
function zfactor(r) {
  return unitsIn(KILOMETRES, r.bands[r.band - 1].units) ? 1000 : 1;
}

// setStretch sets the ramp's ends from a preset of the band's statistics
// (lo and hi stay null, the server's default, without statistics).
function setStretch(r, id) {
  const st = r.bands[r.band - 1].stats;
  const preset = STRETCHES.find((s) => s.id === id);
  r.stretch = id;
  if (!st || !preset) return;
  const lo = preset.lo(st);
  const hi = preset.hi(st);
  if (Number.isFinite(lo) && Number.isFinite(hi) && lo !== hi) {
    r.lo = lo;
    r.hi = hi;
  }
}

// tileQuery is the query string of a raster's tiles in its current state.
function tileQuery(r) {
  const q = new URLSearchParams();
  if (r.ramp) q.set('colormap', r.ramp);
  if (r.lo !== null && r.hi !== null) q.set('rescale', `${r.lo},${r.hi}`);
  if (r.bands.length > 1) q.set('band', String(r.band));
  if (r.hillshade) {
    q.set('hillshade', r.hillshade);
    if (zfactor(r) !== 1) q.set('zfactor', String(zfactor(r)));
  }
  return q.toString();
}

// tiles are the tile URLs of a raster in its current state; the template
// keeps MapLibre's raw {z}/{x}/{y}.
export function tiles(r) {
  const q = tileQuery(r);
  return [q ? `${r.template}${r.template.includes('?') ? '&' : '?'}${q}` : r.template];
}

// theMap is the map addRasterLayers drew on, which the terrain toggle
// drapes.
let theMap = null;

// addRasterLayers adds each raster tileset's source and layer. Called
// before the vector layers, the rasters lie under all of them.
export function addRasterLayers(map, rasters, source) {
  theMap = map;
  for (const ts of rasters) {
    map.addSource(ts.source, {
      ...source(ts),
      type: 'raster',
      tiles: tiles(ts.raster),
      tileSize: ts.raster.tileSize,
    });
    map.addLayer({
      id: ts.layers.raster,
      type: 'raster',
      source: ts.source,
      // Nearest: each stored value is a cell of one colour, as the data
      // is; no cross-fade, so a new ramp shows at once.
      paint: { 'raster-resampling': 'nearest', 'raster-fade-duration': 0 },
    });
  }
}

// redraw points the raster's source at tiles in its current state.
export function redraw(map, ts) {
  map.getSource(ts.source).setTiles(tiles(ts.raster));
}

function colourOf(colormaps, name) {
  const cm = colormaps.list.find((c) => c.name === name);
  return cm && Array.isArray(cm.colours) && cm.colours.length ? cm.colours : null;
}

// gradient is a CSS gradient through a ramp's colours, low end left.
export function gradient(colours) {
  const step = Math.max(1, Math.floor(colours.length / 32));
  const stops = colours.filter((_, i) => i % step === 0 || i === colours.length - 1);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

function numberInput(label, value) {
  const input = document.createElement('input');
  input.type = 'number';
  input.step = 'any';
  input.className = 'stretch-value';
  input.setAttribute('aria-label', label);
  input.value = value === null ? '' : formatNumber(value);
  return input;
}

// rasterControls is the raster's part of its row in the layer switcher:
// band (when there are several), ramp, and the stretch (a preset of the
// stored statistics or typed ends). changed() redraws and updates the
// legend.
export function rasterControls(ts, colormaps, changed) {
  const r = ts.raster;
  const box = document.createElement('div');
  box.className = 'raster-controls';
  const line = (...els) => {
    const div = document.createElement('div');
    div.className = 'raster-line';
    div.append(...els);
    box.append(div);
  };
  const lo = numberInput(`Low end of the ramp of ${ts.title}`, r.lo);
  const hi = numberInput(`High end of the ramp of ${ts.title}`, r.hi);
  const stretch = document.createElement('select');
  stretch.className = 'stretch';
  stretch.setAttribute('aria-label', `Stretch of ${ts.title}`);
  stretch.append(...STRETCHES.map((s) => new Option(s.label, s.id)), new Option('custom', CUSTOM));
  stretch.value = r.stretch;
  const showEnds = () => {
    lo.value = r.lo === null ? '' : formatNumber(r.lo);
    hi.value = r.hi === null ? '' : formatNumber(r.hi);
  };
  if (r.bands.length > 1) {
    const band = document.createElement('select');
    band.className = 'band';
    band.setAttribute('aria-label', `Band of ${ts.title}`);
    band.append(...r.bands.map((b, i) => new Option(b.units ? `${b.name} (${b.units})` : b.name, String(i + 1))));
    band.addEventListener('change', () => {
      r.band = Number(band.value);
      setStretch(r, r.stretch === CUSTOM ? 'p2-p98' : r.stretch);
      stretch.value = r.stretch;
      showEnds();
      changed();
    });
    line(band);
  }
  const ramp = document.createElement('select');
  ramp.className = 'ramp';
  ramp.setAttribute('aria-label', `Colour ramp of ${ts.title}`);
  const names = colormaps.list.length ? colormaps.list.map((c) => c.name) : [r.ramp || 'default'];
  for (const name of names) {
    const opt = new Option(name, name);
    const cm = colormaps.list.find((c) => c.name === name);
    if (cm && cm.description) opt.title = cm.description;
    ramp.append(opt);
  }
  ramp.value = r.ramp;
  ramp.addEventListener('change', () => {
    r.ramp = ramp.value;
    changed();
  });
  line(ramp, stretch);
  stretch.addEventListener('change', () => {
    if (stretch.value === CUSTOM) return; // typed ends apply on their change
    setStretch(r, stretch.value);
    showEnds();
    changed();
  });
  const typed = () => {
    const a = Number.parseFloat(lo.value);
    const b = Number.parseFloat(hi.value);
    if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) {
      showEnds(); // not a stretch: back to the one drawn
      return;
    }
    r.lo = a;
    r.hi = b;
    r.stretch = CUSTOM;
    stretch.value = CUSTOM;
    changed();
  };
  lo.addEventListener('change', typed);
  hi.addEventListener('change', typed);
  const dash = document.createElement('span');
  dash.textContent = 'to';
  line(lo, dash, hi);
  const shade = checkbox('hillshade', 'hillshade', `Hillshade ${ts.title}`, r.hillshade !== '');
  shade.input.addEventListener('change', () => {
    r.hillshade = shade.input.checked ? 'blend' : '';
    changed();
  });
  const toggles = [shade.label];
  if (isElevation(r)) {
    const terrain = checkbox('terrain', '3D terrain', `Show ${ts.title} as 3D terrain`, r.terrain);
    terrain.input.addEventListener('change', () => setTerrain(ts, terrain.input.checked));
    toggles.push(terrain.label);
  }
  line(...toggles);
  return box;
}

// checkbox is a labelled checkbox of class cls.
function checkbox(cls, text, label, checked) {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.className = cls;
  input.checked = checked;
  input.setAttribute('aria-label', label);
  const el = document.createElement('label');
  el.className = `raster-toggle ${cls}`;
  el.append(input, document.createTextNode(` ${text}`));
  return { input, label: el };
}

// terrainSource names the raster-dem source of a raster's elevations.
function terrainSource(ts) {
  return `${ts.source}:terrain`;
}

// setTerrain drapes the map over the raster's elevations (tilted, so that
// the relief shows) or lays it flat again. One raster at a time is the
// terrain: turning one on turns the others off.
export function setTerrain(ts, on) {
  const map = theMap;
  ts.raster.terrain = on;
  if (!map) return;
  if (!on) {
    if (map.getTerrain() && map.getTerrain().source === terrainSource(ts)) {
      map.setTerrain(null);
      map.easeTo({ pitch: 0 });
    }
    return;
  }
  const id = terrainSource(ts);
  if (!map.getSource(id)) {
    const url = new URL(`../tiles/${encodeURIComponent(ts.id)}.json`, location.href);
    url.searchParams.set('encoding', 'terrarium');
    map.addSource(id, { type: 'raster-dem', url: url.href, tileSize: ts.raster.tileSize, encoding: 'terrarium' });
  }
  for (const other of document.querySelectorAll('input.terrain')) {
    if (other.checked && other.closest('.outcrop-layer')?.dataset.id !== ts.id) other.checked = false;
  }
  map.setTerrain({ source: id, exaggeration: 1 });
  if (map.getPitch() < 30) map.easeTo({ pitch: 60 });
}

// swatchStyle fills a switcher swatch with the raster's ramp.
export function swatchStyle(el, ts, colormaps) {
  const colours = colourOf(colormaps, ts.raster.ramp);
  el.style.background = colours ? gradient(colours) : ts.color;
}

// colourBar is a raster's section of the legend panel: the band, the
// ramp as a bar, and the values at its ends (and middle) with units.
export function colourBar(ts, colormaps) {
  const r = ts.raster;
  const band = r.bands[r.band - 1];
  const section = document.createElement('section');
  section.dataset.id = ts.id;
  section.className = 'raster';
  const h = document.createElement('h4');
  h.textContent = ts.title;
  const what = document.createElement('p');
  what.className = 'what';
  what.textContent = `${band.name}${band.units ? ` (${band.units})` : ''}, ${r.ramp || 'default ramp'}`;
  const bar = document.createElement('div');
  bar.className = 'colour-bar';
  bar.dataset.ramp = r.ramp;
  const colours = colourOf(colormaps, r.ramp);
  if (colours) bar.style.background = gradient(colours);
  const ticks = document.createElement('div');
  ticks.className = 'colour-ticks';
  const unit = band.units ? ` ${band.units}` : '';
  if (r.lo !== null && r.hi !== null) {
    for (const [cls, v] of [['lo', r.lo], ['mid', (r.lo + r.hi) / 2], ['hi', r.hi]]) {
      const t = document.createElement('span');
      t.className = cls;
      t.dataset.value = String(v);
      t.textContent = `${cls === 'lo' ? '≤ ' : cls === 'hi' ? '≥ ' : ''}${formatNumber(v)}${unit}`;
      ticks.append(t);
    }
  }
  section.append(h, what, bar, ticks);
  if (ts.attribution) {
    const credit = document.createElement('p');
    credit.className = 'credit';
    credit.textContent = ts.attribution;
    section.append(credit);
  }
  return section;
}

function inBounds(b, lngLat) {
  return !b || (lngLat.lng >= b[0] && lngLat.lng <= b[2] && lngLat.lat >= b[1] && lngLat.lat <= b[3]);
}

// valueSection asks the server for the raster's band values at lngLat and
// makes the popup's section of them; null outside the data.
export async function valueSection(ts, lngLat, getJSON, colormaps) {
  if (!inBounds(ts.bounds, lngLat)) return null;
  const url = new URL(`../collections/${encodeURIComponent(ts.id)}/value`, location.href);
  url.searchParams.set('lon', String(lngLat.lng));
  url.searchParams.set('lat', String(lngLat.lat));
  let doc;
  try {
    doc = await getJSON(url);
  } catch (err) {
    return null; // 404: no tile of data there
  }
  const values = Array.isArray(doc.values) ? doc.values : [];
  if (values.every((v) => v.value === null || v.value === undefined)) return null;
  const section = document.createElement('section');
  section.dataset.id = ts.id;
  section.className = 'raster';
  const h = document.createElement('h3');
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatchStyle(swatch, ts, colormaps);
  h.append(swatch, document.createTextNode(ts.title));
  const table = document.createElement('table');
  for (const v of values) {
    const tr = table.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = v.band;
    const td = tr.insertCell();
    td.className = 'value';
    if (v.value === null || v.value === undefined) {
      td.textContent = 'no data';
    } else {
      td.dataset.value = String(v.value);
      td.textContent = `${formatNumber(v.value)}${v.units ? ` ${v.units}` : ''}`;
    }
    tr.prepend(th);
  }
  const where = document.createElement('p');
  where.className = 'where';
  where.textContent = `at ${formatNumber(doc.lat)}°, ${formatNumber(doc.lon)}° (zoom ${doc.zoom} cell)`;
  section.append(h, table, where);
  return section;
}
