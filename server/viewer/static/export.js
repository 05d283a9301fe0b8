// Export of the map as a PNG: the map as drawn, with a legend of the
// visible tilesets beside it, a scale bar, a north arrow and the data's
// attributions under it, composed on a 2D canvas, its words in the
// interface language (i18n.js).

import { t } from './i18n.js';

const LEGEND_WIDTH = 260;
const FOOTER = 30;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

// snapshot copies the map's WebGL canvas during a render event, while its
// drawing buffer still holds the frame (the map is not created with
// preserveDrawingBuffer, which would slow every frame).
function snapshot(map) {
  return new Promise((resolve) => {
    map.once('render', () => {
      const src = map.getCanvas();
      const c = document.createElement('canvas');
      c.width = src.width;
      c.height = src.height;
      c.getContext('2d').drawImage(src, 0, 0);
      resolve(c);
    });
    map.triggerRepaint();
  });
}

// niceLength is the longest of 1, 2 or 5 × 10^n metres not over max.
function niceLength(max) {
  const p = 10 ** Math.floor(Math.log10(max));
  return [5, 2, 1].map((m) => m * p).find((l) => l <= max) || p;
}

function drawScaleBar(ctx, map, x, y, dpr) {
  const h = map.getContainer().clientHeight / 2;
  const a = map.unproject([0, h]);
  const b = map.unproject([100, h]);
  const perPx = a.distanceTo(b) / 100; // metres per CSS pixel
  if (!(perPx > 0)) return;
  const metres = niceLength(perPx * 120);
  const w = (metres / perPx) * dpr;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(x - 4 * dpr, y - 18 * dpr, w + 8 * dpr, 24 * dpr);
  ctx.strokeStyle = '#222';
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(x, y - 6 * dpr);
  ctx.lineTo(x, y);
  ctx.lineTo(x + w, y);
  ctx.lineTo(x + w, y - 6 * dpr);
  ctx.stroke();
  ctx.fillStyle = '#222';
  ctx.font = `${11 * dpr}px ${FONT}`;
  ctx.fillText(metres >= 1000 ? `${metres / 1000} km` : `${metres} m`, x + 2 * dpr, y - 8 * dpr);
}

function drawNorthArrow(ctx, map, cx, cy, dpr) {
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate((-map.getBearing() * Math.PI) / 180);
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.beginPath();
  ctx.arc(0, 0, 16 * dpr, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = '#222';
  ctx.beginPath();
  ctx.moveTo(0, -12 * dpr);
  ctx.lineTo(6 * dpr, 8 * dpr);
  ctx.lineTo(0, 4 * dpr);
  ctx.lineTo(-6 * dpr, 8 * dpr);
  ctx.closePath();
  ctx.fill();
  ctx.font = `bold ${9 * dpr}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.fillText(t('export.north'), 0, 14 * dpr);
  ctx.restore();
}

// legendItems flattens what the legend shows for the tilesets:
// {heading} and {colour, symbol, label, depth} entries.
function legendItems(tilesets) {
  const items = [];
  for (const ts of tilesets) {
    items.push({ heading: ts.title });
    const leg = ts.style && ts.legend;
    if (leg && Array.isArray(leg.entries)) {
      for (const e of leg.entries) {
        items.push({ colour: e.colour, symbol: e.symbol || leg.symbol, label: e.label || '', depth: e.depth || 0 });
      }
    } else if (!ts.raster) {
      items.push({ colour: ts.color, symbol: 'fill', label: t('export.all_features') });
    }
  }
  return items;
}

// composeMap draws the export: the map, the legend of tilesets (those
// visible and in view) to its right, scale bar and north arrow on it and
// the attributions below. It resolves with the canvas.
export async function composeMap(map, tilesets) {
  const shot = await snapshot(map);
  const dpr = shot.width / map.getContainer().clientWidth || 1;
  const items = legendItems(tilesets);
  const row = 16 * dpr;
  const legendW = LEGEND_WIDTH * dpr;
  const height = Math.max(shot.height, (items.length + 2) * row) + FOOTER * dpr;
  const canvas = document.createElement('canvas');
  canvas.width = shot.width + legendW;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(shot, 0, 0);
  drawScaleBar(ctx, map, 14 * dpr, shot.height - 14 * dpr, dpr);
  drawNorthArrow(ctx, map, shot.width - 26 * dpr, 26 * dpr, dpr);

  // Legend.
  let y = row * 1.5;
  const left = shot.width + 12 * dpr;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#222';
  ctx.font = `600 ${13 * dpr}px ${FONT}`;
  ctx.fillText(t('legend'), left, y);
  y += row * 1.2;
  for (const it of items) {
    if (y > height - FOOTER * dpr) break;
    if (it.heading) {
      ctx.fillStyle = '#222';
      ctx.font = `600 ${11 * dpr}px ${FONT}`;
      ctx.fillText(it.heading, left, y, legendW - 20 * dpr);
    } else {
      const x = left + (it.depth || 0) * 10 * dpr;
      ctx.fillStyle = it.colour || '#888';
      ctx.strokeStyle = it.colour || '#888';
      if (it.symbol === 'line') {
        ctx.lineWidth = 2 * dpr;
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + 14 * dpr, y);
        ctx.stroke();
      } else if (it.symbol === 'circle') {
        ctx.beginPath();
        ctx.arc(x + 6 * dpr, y, 5 * dpr, 0, 2 * Math.PI);
        ctx.fill();
      } else {
        ctx.fillRect(x, y - 6 * dpr, 14 * dpr, 12 * dpr);
      }
      ctx.fillStyle = '#333';
      ctx.font = `${11 * dpr}px ${FONT}`;
      ctx.fillText(it.label, x + 20 * dpr, y, legendW - 36 * dpr);
    }
    y += row;
  }

  // Attribution.
  const credits = [...new Set(tilesets.map((ts) => ts.attribution).filter(Boolean))];
  ctx.fillStyle = '#444';
  ctx.font = `${10 * dpr}px ${FONT}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(`${credits.join(' · ') || 'Outcrop'} · ${new Date().toISOString().slice(0, 10)}`,
    8 * dpr, height - (FOOTER / 2) * dpr, canvas.width - 16 * dpr);
  return canvas;
}

// downloadPNG composes the export and saves it as outcrop-map.png.
export async function downloadPNG(map, tilesets) {
  const canvas = await composeMap(map, tilesets);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'outcrop-map.png';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
