// Feature search: a name, unit code or commodity typed into the layer panel
// is looked up in every vector tileset with one request each, through the
// items' free-text parameter (/collections/{id}/items?q=): features with a
// string property holding the text, whatever its case ("u-2" finds "Cu-2").
// Each result names the property that holds it, a name or unit field first.

import { t } from './i18n.js';

// SEARCH_FIELD matches the fields a result is best named by.
const SEARCH_FIELD = /(^|_)(name|names|unit|unit_code|code|symbol|commodity|commodities|lithology|title|label)($|_)/i;
// At most this many results per tileset are asked for.
const MAX_RESULTS = 8;

// matchedField is the property of a found feature that holds text: a
// name-like one first, a vocabulary URI last.
function matchedField(properties, text) {
  const low = text.toLowerCase();
  const holds = Object.entries(properties)
    .filter(([, v]) => typeof v === 'string' && v.toLowerCase().includes(low))
    .map(([k]) => k);
  const rank = (k) => (SEARCH_FIELD.test(k) && !k.endsWith('_uri') ? 0 : k.endsWith('_uri') ? 2 : 1);
  return holds.sort((a, b) => rank(a) - rank(b))[0] || '';
}

// bboxOf is the WGS 84 bound of a GeoJSON geometry, or null.
export function bboxOf(geometry) {
  if (!geometry) return null;
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else {
      for (const x of c) walk(x);
    }
  };
  if (geometry.type === 'GeometryCollection') {
    for (const g of geometry.geometries || []) {
      const gb = bboxOf(g);
      if (gb) walk([[gb[0], gb[1]], [gb[2], gb[3]]]);
    }
  } else {
    walk(geometry.coordinates || []);
  }
  return Number.isFinite(b[0]) ? b : null;
}

// searchFeatures finds features with a string property holding text in
// the tilesets, each result {ts, field, value, id, bbox, properties}.
export async function searchFeatures(text, tilesets, getJSON) {
  const q = text.trim();
  if (q === '') return [];
  const jobs = tilesets.filter((x) => !x.error && !x.raster).map(async (ts) => {
    const url = new URL(`../collections/${encodeURIComponent(ts.id)}/items`, location.href);
    url.searchParams.set('q', q);
    url.searchParams.set('limit', String(MAX_RESULTS));
    const doc = await getJSON(url).catch(() => ({ features: [] }));
    return (doc.features || []).map((f) => {
      const properties = f.properties || {};
      const field = matchedField(properties, q);
      return { ts, field, value: properties[field] ?? q, id: f.id, bbox: bboxOf(f.geometry), properties };
    });
  });
  return (await Promise.all(jobs)).flat();
}

// SearchBox is the search form and its result list; onPick(result) is
// called when a result is chosen.
export class SearchBox {
  constructor(tilesets, getJSON, onPick) {
    this.tilesets = tilesets;
    this.getJSON = getJSON;
    this.onPick = onPick;
    this.el = document.createElement('form');
    this.el.className = 'outcrop-search';
    this.el.setAttribute('role', 'search');
    this.input = document.createElement('input');
    this.input.type = 'search';
    this.input.name = 'q';
    this.input.placeholder = t('find_placeholder');
    this.input.setAttribute('aria-label', t('find_label'));
    const go = document.createElement('button');
    go.type = 'submit';
    go.textContent = t('find');
    this.results = document.createElement('ol');
    this.results.className = 'results';
    this.results.setAttribute('aria-live', 'polite');
    this.el.append(this.input, go, this.results);
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.run(this.input.value);
    });
  }

  // run searches for text and lists what it finds; it resolves with the
  // results.
  async run(text) {
    this.input.value = text;
    this.el.dataset.state = 'searching';
    const found = await searchFeatures(text, this.tilesets, this.getJSON);
    const items = found.map((r) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.id = r.ts.id;
      b.dataset.feature = String(r.id);
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = String(r.properties[r.field] ?? r.value);
      const where = document.createElement('span');
      where.className = 'where';
      where.textContent = `${r.ts.title} · ${r.field}`;
      b.append(name, where);
      b.addEventListener('click', () => this.onPick(r));
      li.append(b);
      return li;
    });
    if (items.length === 0 && text.trim() !== '') {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = t('nothing_named', { text: text.trim() });
      items.push(li);
    }
    this.results.replaceChildren(...items);
    this.el.dataset.state = 'done';
    return found;
  }
}
