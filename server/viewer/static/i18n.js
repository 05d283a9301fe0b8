// The viewer's interface language: its strings come from the server's
// /map/i18n.json, the table (i18n/{lang}.json) of the reader's language as
// the server picks it (?lang=, then the switch's cookie, then serve --lang,
// then Accept-Language). The switch sets the cookie, which the catalogue
// reads too, and reloads the page.

// COOKIE is the switch's cookie (server.LangCookie).
const COOKIE = 'outcrop-lang';

let strings = {};
let languages = [];

// lang is the interface language, a BCP 47 tag.
export let lang = 'en';

// loadStrings fetches the strings of the reader's language. Without them
// (an older server) the keys' English is lost, so each t() says its key.
export async function loadStrings(getJSON) {
  const url = new URL('i18n.json', location.href);
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked) url.searchParams.set('lang', asked);
  try {
    const doc = await getJSON(url);
    strings = doc.strings || {};
    languages = Array.isArray(doc.languages) ? doc.languages : [];
    lang = doc.lang || 'en';
  } catch (err) {
    console.warn('outcrop viewer: no interface strings:', err.message);
  }
  document.documentElement.lang = lang;
}

// t is the string of key in the interface language, its {name}s replaced
// by vars' values.
export function t(key, vars = {}) {
  const s = strings[key] ?? key;
  return s.replace(/\{([a-z]+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// languageSwitch is a menu of the interface languages; choosing one
// remembers it for a year and reloads the page in it, at the same view.
export function languageSwitch() {
  const select = document.createElement('select');
  select.className = 'language';
  select.setAttribute('aria-label', t('language_label'));
  for (const l of languages) select.append(new Option(l.name, l.lang));
  select.value = lang;
  select.hidden = languages.length < 2;
  select.addEventListener('change', () => {
    document.cookie = `${COOKIE}=${encodeURIComponent(select.value)}; path=/; max-age=31536000; SameSite=Lax`;
    // A ?lang= in the URL would win over the choice.
    const url = new URL(location.href);
    url.searchParams.delete('lang');
    location.replace(url.href);
    if (url.href === location.href) location.reload();
  });
  return select;
}
