// The basemap: the style the server names at basemap.json (by default the
// Natural Earth tileset `basemap` in its basemap style: sea, land, lakes,
// rivers, coastlines, dashed borders, places; or `outcrop serve --basemap
// ID`, or an external style with --basemap-style URL), drawn below every
// other layer of the map. Its layers and sources are renamed "basemap/…" so
// they cannot clash with the viewer's own. Nothing is fetched from outside
// the server unless an external style was asked for.
//
// Place names are drawn in the interface language where the data has them:
// a label of Natural Earth's `name` shows `name_{lang}` (name_id, name_vi,
// name_zh…) instead, falling back to `name` (localise).
//
// app.js calls loadBasemap() as it starts, leaves the basemap's tileset out
// of its tilesets, and calls addBasemap() once the map has loaded; the
// layer tree lists the basemap under its Basemap theme, to hide it
// (setBasemapVisible) or fade it (setBasemapOpacity).

// No tileset id holds a slash, so these never clash with the viewer's own
// (`${id}:fill`, `ts:${id}`).
const PREFIX = 'basemap/';

// loadBasemap resolves to { tileset, title, style, layers, sources, glyphs,
// fontFaces, visible, opacity } for the basemap the server names, or null when it names none or the
// style cannot be read (the map is then drawn without, and the console
// says why).
export async function loadBasemap(getJSON) {
  try {
    const conf = await getJSON(new URL('basemap.json', location.href));
    if (!conf || !conf.style) return null;
    const url = new URL(conf.style, location.href);
    const doc = await getJSON(url);
    const sources = {};
    for (const [id, src] of Object.entries(doc.sources || {})) {
      const s = { ...src };
      // Relative URLs in an external style are relative to the style.
      if (typeof s.url === 'string') s.url = new URL(s.url, url).href;
      if (Array.isArray(s.tiles)) s.tiles = s.tiles.map((t) => new URL(t, url).href.replace(/%7B/g, '{').replace(/%7D/g, '}'));
      sources[PREFIX + id] = s;
    }
    // Text needs glyphs: without them a style's symbol layers are left out.
    const layers = (Array.isArray(doc.layers) ? doc.layers : [])
      .filter((l) => l.type !== 'symbol' || doc.glyphs)
      .map((l) => ({ ...l, id: PREFIX + l.id, ...(l.source ? { source: PREFIX + l.source } : {}) }));
    return {
      tileset: conf.tileset || '', title: conf.title || doc.name || 'Basemap', style: url.href,
      layers, sources, glyphs: doc.glyphs || '', fontFaces: doc['font-faces'] || null, visible: true, opacity: 1,
    };
  } catch (err) {
    console.warn('outcrop viewer: no basemap:', err.message);
    return null;
  }
}

// NAME is the field of a place's name in its own language (Natural Earth's).
const NAME = ['get', 'name'];

// localise returns a symbol layer's text-field showing the name in lang
// (a BCP 47 tag; its language subtag names the field name_{lang}), falling
// back to the plain name where a feature has none. A text-field that is not
// the plain name (a style's own expression) is kept as it is, and so is
// every field in English, the names' own language in Natural Earth.
export function localise(field, lang) {
  const sub = String(lang || '').toLowerCase().split('-')[0];
  if (!/^[a-z]{2,3}$/.test(sub) || sub === 'en') return field;
  const plain = field === '{name}' || JSON.stringify(field) === JSON.stringify(NAME);
  return plain ? ['coalesce', ['get', `name_${sub}`], NAME] : field;
}

// addBasemap adds the basemap's sources and layers under every layer of the
// map but its plain background, whenever it is called, with place names in
// lang (localise).
export function addBasemap(map, basemap, lang) {
  if (!basemap) return;
  for (const l of basemap.layers) {
    if (l.type !== 'symbol' || !l.layout || l.layout['text-field'] === undefined) continue;
    l.layout = { ...l.layout, 'text-field': localise(l.layout['text-field'], lang) };
  }
  if (basemap.glyphs && !map.getStyle().glyphs) map.setGlyphs(basemap.glyphs);
  // Thai, Lao, Khmer and Myanmar names are drawn from the font files the
  // style names (MapLibre GL JS 6 shapes them from fonts, not glyph PBFs).
  if (basemap.fontFaces) map.setFontFaces({ ...(map.getFontFaces() || {}), ...basemap.fontFaces });
  for (const [id, src] of Object.entries(basemap.sources)) {
    if (!map.getSource(id)) map.addSource(id, src);
  }
  const above = map.getStyle().layers.find((l) => l.id !== 'background' && !l.id.startsWith(PREFIX));
  for (const l of basemap.layers) {
    if (!map.getLayer(l.id)) map.addLayer(l, above ? above.id : undefined);
  }
}

// setBasemapVisible shows or hides every layer of the basemap, and
// remembers it in basemap.visible.
export function setBasemapVisible(map, basemap, visible) {
  if (!basemap) return;
  basemap.visible = visible;
  for (const l of basemap.layers) {
    if (map.getLayer(l.id)) map.setLayoutProperty(l.id, 'visibility', visible ? 'visible' : 'none');
  }
}

// OPACITY_PROPS are the paint properties a layer's opacity is in, by type.
const OPACITY_PROPS = {
  background: ['background-opacity'],
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity', 'icon-opacity'],
  raster: ['raster-opacity'],
};

// setBasemapOpacity draws every layer of the basemap at opacity (0 to 1)
// times its own, and remembers it in basemap.opacity. A layer whose own
// opacity is a zoom expression (which must stay outermost) keeps it.
export function setBasemapOpacity(map, basemap, opacity) {
  if (!basemap) return;
  basemap.opacity = opacity;
  for (const l of basemap.layers) {
    if (!map.getLayer(l.id)) continue;
    for (const prop of OPACITY_PROPS[l.type] || []) {
      const own = l.paint ? l.paint[prop] : undefined;
      let v;
      if (opacity === 1) v = own;
      else if (own === undefined || own === null) v = opacity;
      else if (typeof own === 'number') v = own * opacity;
      else if (Array.isArray(own) && !JSON.stringify(own).includes('"zoom"')) v = ['*', own, opacity];
      else continue;
      map.setPaintProperty(l.id, prop, v);
    }
  }
}
