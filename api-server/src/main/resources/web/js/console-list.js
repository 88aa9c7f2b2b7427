// A paged, filtered, refreshing table for the console views.
import { page } from "./api.js";
import { h, fill, table, field } from "./dom.js";
import { setQuery } from "./router.js";

/**
 * filters: [{name, label, input, param?, toParam?}]: their values go into the page's URL as they
 * are, and to the API as param (default name) after toParam;
 * row(item, reload) -> <tr>. Sets view.reload.
 */
export async function pagedList(view, { path, caption, headers, filters, row, empty, above }) {
  const { body, query } = view;
  const list = h("div", {});
  const pager = h("div", { class: "pager" });
  const cursors = [null];
  let at = 0;
  for (const f of filters || []) if (query.get(f.name)) f.input.value = query.get(f.name);
  const values = () => Object.fromEntries((filters || []).map((f) => [f.name, f.input.value.trim()]));

  async function load() {
    const params = { limit: 50, cursor: cursors[at] };
    for (const f of filters || []) {
      const value = f.input.value.trim();
      if (value) params[f.param || f.name] = f.toParam ? f.toParam(value) : value;
    }
    const data = await page(path, params);
    fill(list, table(caption, headers, data.items.map((item) => row(item, load)), empty));
    fill(pager,
      h("button", { type: "button", class: "btn", disabled: at === 0, onclick: () => { at--; load(); } }, "← Previous"),
      h("span", { class: "muted" }, "Page " + (at + 1)),
      h("button", { type: "button", class: "btn", disabled: !data.nextCursor, onclick: () => { cursors[at + 1] = data.nextCursor; at++; load(); } }, "Next →"));
    return data;
  }

  const form = h("form", { class: "filters", role: "search" },
    (filters || []).map((f) => field(f.label, f.input)),
    h("button", { type: "submit", class: "btn" }, "Apply"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    setQuery(values());
    cursors.length = 1;
    at = 0;
    view.busy = true;
    load().finally(() => { view.busy = false; });
  });
  for (const f of filters || []) if (f.input.tagName === "SELECT") f.input.addEventListener("change", () => form.requestSubmit());
  fill(body, above || null, filters && filters.length ? form : null, list, pager);
  view.reload = load;
  await load();
  return { load, values };
}

export function select(name, options) {
  return h("select", { name }, options.map(([value, text]) => h("option", { value }, text)));
}

export function text(name, placeholder, type) {
  return h("input", { name, type: type || "search", placeholder: placeholder || "" });
}
