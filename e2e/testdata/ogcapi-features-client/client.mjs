// Pages through a collection's items with datetime queries through
// @ogcapi-js/features, an OGC API - Features client Outcrop did not write,
// and prints what it got as one JSON object, for e2e/ogc_datetime_test.go.
//
// usage: node client.mjs BASE_URL COLLECTION QUERIES_JSON
// QUERIES_JSON is an array of {"instant": ISO} or {"start": ISO, "end": ISO}
// (either end may be left out for an open interval).
// The client's getFeatures sends no offset, so pages after the first are
// fetched by following each next link, with the client's own request.
import features from '@ogcapi-js/features';
import shared from '@ogcapi-js/shared';

const { FeatureService } = features;
const [baseUrl, collectionId, queriesJSON] = process.argv.slice(2);
const service = new FeatureService({ baseUrl });

const collection = await service.getCollection(collectionId);
const out = { extent: collection.extent ?? null, queries: [] };
for (const q of JSON.parse(queriesJSON)) {
  const datetime = q.instant !== undefined ? new Date(q.instant) : {
    ...(q.start !== undefined && { start: new Date(q.start) }),
    ...(q.end !== undefined && { end: new Date(q.end) }),
  };
  const result = { matched: [], ids: [], next: [] };
  let page = await service.getFeatures(collectionId, { datetime, limit: 100 });
  for (let pages = 1; ; pages++) {
    result.matched.push(page.numberMatched);
    for (const f of page.features) result.ids.push(Number(f.id));
    const next = (page.links ?? []).find((l) => l.rel === 'next');
    if (!next) break;
    if (pages > 50) throw new Error('more than 50 pages: the next links do not end');
    result.next.push(next.href);
    const u = new URL(next.href);
    page = await shared.request({ url: u.origin + u.pathname, params: Object.fromEntries(u.searchParams) });
  }
  out.queries.push(result);
}
console.log(JSON.stringify(out));
