// The viewer's permalink: everything a shared link must bring back, in the
// URL's hash beside MapLibre's view.
//
//   #map=6.5/-22.1/118.3&layers=geology~geology-age~80,faults~~100
//
// map= is MapLibre's own (zoom/lat/lng[/bearing/pitch]); MapLibre rewrites it
// as the view moves and keeps the other parameters. layers= lists the
// visible tilesets, bottom to top as drawn, each as id~style~opacity: the
// kind of the server style drawing it ("" for the viewer's own colours) and
// its opacity in percent; a bare id asks for its preferred style, opaque.
// A tileset not listed is hidden. Tileset ids and
// style kinds are [A-Za-z0-9._-], so they need no escaping. basemap= is the
// basemap's opacity in percent, or off when it is hidden; without it the
// basemap is drawn, opaque.

// VIEW is the hash parameter MapLibre keeps the view in.
export const VIEW = 'map';
const LAYERS = 'layers';
const BASEMAP = 'basemap';

function params() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

// upgradeLegacyHash rewrites an older link's bare view (#z/lat/lng, as
// MapLibre writes with hash: true) to map=, before the map reads it. It
// reports whether the URL names a view.
export function upgradeLegacyHash() {
  if (/^#\d/.test(location.hash)) {
    history.replaceState(history.state, '', `#${VIEW}=${location.hash.slice(1)}`);
  }
  return params().has(VIEW);
}

// readLayers returns the layer states of the URL, by tileset id
// ({style, opacity}), or null when the URL does not give them.
export function readLayers() {
  const raw = params().get(LAYERS);
  if (raw === null) return null;
  const out = new Map();
  for (const item of raw.split(',')) {
    // A bare id asks for the tileset in its preferred style (style null).
    const [id, style = null, opacity = '100'] = item.split('~');
    if (!id) continue;
    const pct = Number(opacity);
    out.set(id, { style, opacity: Number.isFinite(pct) ? Math.min(1, Math.max(0, pct / 100)) : 1 });
  }
  return out;
}

// readBasemap returns the basemap's state in the URL ({visible, opacity}),
// or null when the URL does not give it.
export function readBasemap() {
  const raw = params().get(BASEMAP);
  if (raw === null) return null;
  if (raw === 'off') return { visible: false, opacity: 1 };
  const pct = Number(raw);
  return { visible: true, opacity: Number.isFinite(pct) ? Math.min(1, Math.max(0, pct / 100)) : 1 };
}

// layersValue is the layers= value for the tilesets' state: each visible
// one as id~kind~percent.
export function layersValue(tilesets) {
  return tilesets.filter((ts) => !ts.error && ts.visible)
    .map((ts) => `${ts.id}~${ts.style ? ts.style.kind || '' : ''}~${Math.round(ts.opacity * 100)}`)
    .join(',');
}

// writeLayers records the tilesets' state, and the basemap's when there is
// one, in the URL without a new history entry, as MapLibre records the view.
export function writeLayers(tilesets, basemap) {
  const p = params();
  p.set(LAYERS, layersValue(tilesets));
  if (basemap) p.set(BASEMAP, basemap.visible ? String(Math.round(basemap.opacity * 100)) : 'off');
  // MapLibre writes its parameters unescaped; so do we (no value needs it).
  const hash = `#${decodeURIComponent(p.toString())}`;
  if (hash !== location.hash) history.replaceState(history.state, '', hash);
}
