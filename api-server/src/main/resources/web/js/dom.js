// Small DOM and formatting helpers shared by every page.

/** Creates an element: h("a", {href: "#/x", class: "btn", onclick: fn}, "text", child...). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];
export function bytes(n) {
  if (n == null || Number.isNaN(n)) return "–";
  let value = Number(n);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) { value /= 1000; unit++; }
  return (unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)) + " " + UNITS[unit];
}

export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
  return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
}

export const usd = (value) => value == null ? "–" : "$" + Number(value).toFixed(Number(value) < 1 && Number(value) > 0 ? 4 : 2);
export const count = (value) => value == null ? "–" : Number(value).toLocaleString();

const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const TIME_EXACT = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** A <time> in the reader's zone, the exact instant in its title. */
export function time(iso, exact) {
  if (!iso) return h("span", { class: "muted" }, "–");
  const date = new Date(iso);
  return h("time", { datetime: iso, title: date.toString() }, (exact ? TIME_EXACT : TIME).format(date));
}

export function ago(iso) {
  if (!iso) return "–";
  return duration((Date.now() - Date.parse(iso)) / 1000) + " ago";
}

export const shortId = (id) => id ? String(id).slice(0, 8) : "";

const flashes = () => document.getElementById("flash");

/** Shows a message under the header: kind "ok" (green, tick) or "error" (red, cross). */
export function flash(kind, text) {
  const box = flashes();
  const note = h("div", { class: "note " + kind, role: kind === "error" ? "alert" : null, "data-at": String(Date.now()) },
    h("span", { class: "icon", "aria-hidden": "true" }, kind === "error" ? "✖" : kind === "ok" ? "✔" : "ℹ"),
    h("span", {}, text),
    h("button", { class: "close", type: "button", "aria-label": "Dismiss", onclick: () => note.remove() }, "×"));
  box.append(note);
  while (box.children.length > 3) box.firstElementChild.remove();
  if (kind !== "error") setTimeout(() => note.remove(), 8000);
  return note;
}

/** Removes the messages older than olderThanMs (those of the page before, not the one just said). */
export function clearFlash(olderThanMs) {
  for (const note of [...flashes().children]) {
    if (!olderThanMs || Date.now() - Number(note.dataset.at || 0) > olderThanMs) note.remove();
  }
}

/** An inline message inside a page (for forms). */
export function notice(kind, text) {
  return h("p", { class: "note " + kind, role: kind === "error" ? "alert" : "status" },
    h("span", { class: "icon", "aria-hidden": "true" }, kind === "error" ? "✖" : "✔"), " ", text);
}

export function badge(state) {
  return h("span", { class: "badge state-" + String(state || "").toLowerCase() }, state || "–");
}

/** A table wrapped so that it scrolls sideways by itself on narrow screens. */
export function table(caption, headers, rows, empty) {
  const body = h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: headers.length, class: "muted" }, empty || "Nothing here yet.")));
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h("table", {}, h("caption", { class: "sr-only" }, caption),
      h("thead", {}, h("tr", {}, headers.map((title) => h("th", { scope: "col" }, title)))), body));
}

export function field(label, input, hint) {
  const id = input.id || (input.id = "f-" + Math.random().toString(36).slice(2, 9));
  const hintEl = hint ? h("small", { class: "hint", id: id + "-hint" }, hint) : null;
  if (hintEl) input.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hintEl);
}

/** Runs an action from a button: disables it meanwhile, reports the outcome. */
export async function act(button, work, success) {
  button.disabled = true;
  try {
    const result = await work();
    if (success) flash("ok", typeof success === "function" ? success(result) : success);
    return result;
  } catch (e) {
    if (e && e.status !== 401) flash("error", e.message || String(e));
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function heading(title, ...extra) {
  document.title = title + " · Kiln";
  return h("div", { class: "page-head" }, h("h1", { tabindex: "-1" }, title), ...extra);
}

/** Keeps "updated N s ago" current under a refreshing view. */
export function freshness() {
  const el = h("span", { class: "muted fresh", "aria-live": "off" }, "loading…");
  let at = 0;
  const tick = () => { if (at) el.textContent = "updated " + Math.round((Date.now() - at) / 1000) + " s ago"; };
  const timer = setInterval(tick, 1000);
  return { el, mark() { at = Date.now(); tick(); }, stop() { clearInterval(timer); } };
}
