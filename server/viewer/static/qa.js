// The edge-matching layer of outcrop compile in the viewer: an {id}-qa
// tileset drawn over its compiled map in the server's edge-matching style
// (border segments by class, gaps and overlaps hatched), and a report panel
// listing, per pair of countries, every segment that is not a match, every
// gap and every overlap, each of which flies the map there.
//
// app.js calls hatched() on every server style layer it adds, qaBefore()
// to place a QA tileset's layers, and adds a ReportPanel when a tileset
// offers the edge-matching style. The report is
// ../collections/{id}/report (JSON); its issues carry center [lon, lat]
// and zoom, the same place as their viewer links (/map#z/lat/lon).

// QA_KIND is the kind of the server's style for {id}-qa tilesets.
export const QA_KIND = 'edge-matching';

const CLASS_LABELS = {
  compatible: 'compatible',
  age_mismatch: 'age mismatch',
  lithology_mismatch: 'lithology mismatch',
  both_mismatch: 'age and lithology mismatch',
  gap: 'gap at the border',
  match: 'match',
};

// isQA tells whether the server styles ts as an edge-matching layer.
export function isQA(ts) {
  return ts.styles.some((st) => st.kind === QA_KIND);
}

// hatchImage is a tileable square of diagonal lines in colour, on a
// transparent ground, as MapLibre's addImage takes it.
function hatchImage(colour, spacing, width) {
  const size = Math.max(2, Math.round(spacing));
  const w = Math.max(1, Math.round(width));
  const rgb = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour) || [0, '00', '00', '00'];
  const [r, g, b] = rgb.slice(1).map((h) => parseInt(h, 16));
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % size < w) {
        data.set([r, g, b, 255], (y * size + x) * 4);
      }
    }
  }
  return { width: size, height: size, data };
}

// hatched returns a style layer as the viewer draws it: a fill carrying the
// server's "outcrop:hatch" hint is filled with a hatch pattern of its colour
// (an image added to the map once), others unchanged. The style itself keeps
// a translucent fill, which clients without the pattern draw.
export function hatched(map, layer) {
  const hint = layer.type === 'fill' && layer.metadata && layer.metadata['outcrop:hatch'];
  if (!hint || !/^#[0-9a-f]{6}$/i.test(hint.colour)) return layer;
  const spacing = Number(hint.spacing) || 8;
  const width = Number(hint.width) || 2;
  const name = `outcrop-hatch-${hint.colour.slice(1).toLowerCase()}-${spacing}-${width}`;
  if (!map.hasImage(name)) map.addImage(name, hatchImage(hint.colour, spacing, width));
  return { ...layer, paint: { ...(layer.paint || {}), 'fill-pattern': name, 'fill-opacity': 1 } };
}

// qaBefore is the layer a QA tileset's layer of the given type goes under,
// so that it lies over every other tileset's of its kind: areas over all
// fills, border lines over all lines (undefined: on top).
export function qaBefore(map, type) {
  const over = type === 'fill' ? ['line', 'circle', 'symbol'] : ['circle', 'symbol'];
  const l = map.getStyle().layers.find((x) => over.includes(x.type));
  return l ? l.id : undefined;
}

// ReportPanel is a MapLibre control, collapsible, with the edge-matching
// report of each QA tileset: per pair of countries its border length and
// share of matches, then every issue as a button that flies the map there.
export class ReportPanel {
  // tilesets: the QA tilesets; getJSON(url) fetches a JSON document.
  constructor(tilesets, getJSON) {
    this.tilesets = tilesets;
    this.getJSON = getJSON;
    this.reports = new Map(); // tileset id -> report
  }

  onAdd(map) {
    this.map = map;
    const el = document.createElement('details');
    el.className = 'maplibregl-ctrl maplibregl-ctrl-group outcrop-report';
    el.open = true;
    const summary = document.createElement('summary');
    summary.textContent = 'Edge-matching report';
    this.body = document.createElement('div');
    this.body.textContent = 'Loading…';
    el.append(summary, this.body);
    this.el = el;
    this.loaded = this.load();
    return el;
  }

  async load() {
    const sections = await Promise.all(this.tilesets.map(async (ts) => {
      const url = new URL(`../collections/${encodeURIComponent(ts.id)}/report`, location.href);
      url.searchParams.set('f', 'json');
      const legendURL = new URL(`../collections/${encodeURIComponent(ts.id)}/legend`, location.href);
      legendURL.searchParams.set('style', QA_KIND);
      try {
        const [rep, legend] = await Promise.all([this.getJSON(url), this.getJSON(legendURL).catch(() => null)]);
        this.reports.set(ts.id, rep);
        return this.section(ts, rep, coloursOf(legend), url);
      } catch (err) {
        const p = document.createElement('p');
        p.className = 'error';
        p.textContent = `${ts.title}: no report (${err.message})`;
        return p;
      }
    }));
    this.body.replaceChildren(...sections);
  }

  section(ts, rep, colours, url) {
    const section = document.createElement('section');
    section.dataset.id = ts.id;
    const h = document.createElement('h4');
    h.textContent = rep.title || ts.title;
    const full = document.createElement('a');
    full.href = url.pathname; // the HTML report
    full.textContent = 'full report';
    full.target = '_blank';
    full.rel = 'noopener';
    section.append(h, full);
    for (const pair of Array.isArray(rep.pairs) ? rep.pairs : []) {
      const ph = document.createElement('h5');
      ph.textContent = (pair.countries || []).join('–');
      const what = document.createElement('p');
      what.className = 'what';
      const share = pair.border_share_by_class || {};
      what.textContent = `${fixed(pair.border_km, 1)} km of border, ${fixed(100 * (share.match || 0), 0)} % match; ` +
        `${count(pair.gaps, 'gap')}, ${count(pair.overlaps, 'overlap')}`;
      const list = document.createElement('ul');
      for (const is of Array.isArray(pair.issues) ? pair.issues : []) list.append(this.entry(is, colours));
      section.append(ph, what, list);
    }
    return section;
  }

  entry(is, colours) {
    const li = document.createElement('li');
    li.dataset.kind = is.kind;
    if (is.class) li.dataset.class = is.class;
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.featureId = String(is.feature_id);
    const sw = document.createElement('span');
    const key = is.kind === 'segment' ? is.class : is.kind;
    sw.className = `swatch ${is.kind === 'segment' ? 'line' : 'hatch'}`;
    const colour = colours[`${is.kind === 'segment' ? 'class' : 'kind'}:${key}`] || '#888888';
    sw.style.setProperty('--c', colour);
    const label = document.createElement('span');
    label.className = 'label';
    const detail = document.createElement('span');
    detail.className = 'detail';
    if (is.kind === 'segment') {
      label.textContent = `${CLASS_LABELS[is.class] || is.class}, ${fixed(is.length_m / 1000, 2)} km`;
      detail.textContent = [is.a, is.b].map(unitText).join(' | ');
    } else if (is.kind === 'gap') {
      label.textContent = `gap in ${is.country}, ${fixed(is.area_km2, 2)} km²`;
      detail.textContent = `${is.country}'s map leaves its own territory uncovered`;
    } else {
      label.textContent = `overlap of ${is.country} onto ${is.onto}, ${fixed(is.area_km2, 2)} km²`;
      detail.textContent = `${is.country}'s map spills over the border`;
    }
    b.title = `Show on the map (${is.viewer || ''})`;
    b.append(sw, label, detail);
    b.addEventListener('click', () => this.fly(is));
    li.append(b);
    return li;
  }

  // fly moves the map to an issue: its center and zoom, as in its link.
  fly(is) {
    const c = is.center;
    if (!Array.isArray(c) || !c.every(Number.isFinite)) return;
    this.map.flyTo({ center: c, zoom: Number.isFinite(is.zoom) ? is.zoom : this.map.getZoom(), essential: true });
  }

  onRemove() {
    this.el.remove();
  }
}

// coloursOf maps "class:{class}" and "kind:{kind}" to the legend's colours.
function coloursOf(legend) {
  const out = {};
  for (const e of (legend && Array.isArray(legend.entries)) ? legend.entries : []) {
    const field = e.field || legend.field;
    for (const v of Array.isArray(e.values) ? e.values : []) out[`${field}:${v}`] = e.colour;
  }
  return out;
}

function unitText(u) {
  if (!u) return 'nothing';
  const what = [u.age, u.lithology].filter(Boolean).join(' ');
  return `${u.country}: ${[u.identifier || u.name, what].filter(Boolean).join(' ')}`;
}

function fixed(x, digits) {
  return Number(x || 0).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function count(m, noun) {
  const n = (m && m.count) || 0;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
