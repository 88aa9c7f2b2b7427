// Hash routes (#/jobs/ID?x=y): every page has a URL, and a reload keeps the place.
let render = () => {};

export function onRoute(handler) { render = handler; }

/** The route of location.hash: {path, query}. */
export function where() {
  const raw = location.hash.startsWith("#/") ? location.hash.slice(1) : "/jobs";
  const [path, qs] = raw.split("?");
  return { path, query: new URLSearchParams(qs || "") };
}

/** The current route as a "next" parameter. */
export function here() {
  const { path, query } = where();
  return path + (query.toString() ? "?" + query : "");
}

/** Goes to hash (a new history entry), or replaces the current entry. */
export function go(hash, replace) {
  if (replace) {
    history.replaceState(null, "", hash);
    render();
  } else if (location.hash !== hash) {
    location.hash = hash;
  } else {
    render();
  }
}

/** Rewrites the query of the current route without rendering again (filters, paging). */
export function setQuery(params) {
  const { path } = where();
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value != null && value !== "") query.set(key, value);
  const qs = query.toString();
  history.replaceState(null, "", "#" + path + (qs ? "?" + qs : ""));
}
