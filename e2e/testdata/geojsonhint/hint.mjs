// Lints GeoJSON documents (file paths, or - for standard input) with
// @mapbox/geojsonhint at its defaults: RFC 7946 structure, the right-hand
// rule of §3.1.6 and no duplicate members. Prints one JSON object mapping
// each document to its hints ([] when there are none).
import { readFileSync } from 'node:fs';
import geojsonhint from '@mapbox/geojsonhint';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['-'];
const out = {};
for (const file of files) {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  out[file] = geojsonhint.hint(text).map(({ message, level, line }) => ({ message, level, line }));
}
console.log(JSON.stringify(out));
