// The jobs list: state filter, search, paging, and states kept live while jobs run.
import { page } from "./api.js";
import { h, fill, table, badge, time, duration, usd, shortId, heading, field, freshness } from "./dom.js";
import { setQuery } from "./router.js";

export const STATES = ["SUBMITTED", "RUNNING", "ASSEMBLING", "SUCCEEDED", "FAILED", "CANCELLED"];
export const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

export function jobRow(job, extra) {
  const percent = job.progress ? job.progress.percent : 0;
  return h("tr", {},
    h("td", {}, h("a", { href: "#/jobs/" + job.id, class: "mono" }, shortId(job.id))),
    h("td", {}, badge(job.state)),
    h("td", {}, job.processor),
    h("td", {}, h("progress", { max: "100", value: String(percent), "aria-label": "Progress of job " + shortId(job.id) }),
      " ", h("span", { class: "muted" }, Math.round(percent) + "%")),
    h("td", {}, time(job.timings && job.timings.createdAt)),
    h("td", {}, duration(job.timings && job.timings.elapsedSeconds)),
    h("td", {}, usd(job.cost && job.cost.usd)),
    extra ? extra(job) : null);
}

export const JOB_HEADERS = ["Job", "State", "Processor", "Progress", "Created", "Elapsed", "Cost"];

export function matches(job, q) {
  if (!q) return true;
  const needle = q.toLowerCase();
  return job.id.startsWith(needle) || job.processor.toLowerCase().includes(needle)
    || String(job.state).toLowerCase().includes(needle);
}

export async function jobsPage(main, { query, signal }) {
  const state = h("select", { name: "state" }, h("option", { value: "" }, "Any state"),
    STATES.map((s) => h("option", { value: s, selected: query.get("state") === s }, s.toLowerCase())));
  const search = h("input", { type: "search", name: "q", value: query.get("q") || "", placeholder: "id or processor" });
  const list = h("div", {});
  const pager = h("div", { class: "pager" });
  const fresh = freshness();
  signal.addEventListener("abort", () => fresh.stop());
  const cursors = [null];
  let at = 0;
  let items = [];
  let next = null;

  async function load() {
    const data = await page("/api/v1/jobs", { state: state.value, limit: 25, cursor: cursors[at] });
    items = data.items;
    next = data.nextCursor;
    fresh.mark();
    draw();
  }

  function draw() {
    const shown = items.filter((job) => matches(job, search.value.trim()));
    fill(list, table("Your jobs", JOB_HEADERS, shown.map((job) => jobRow(job)),
      items.length ? "No job on this page matches the search." : "No jobs yet. Start one with New job."));
    fill(pager,
      h("button", { type: "button", class: "btn", disabled: at === 0, onclick: () => { at--; load(); } }, "← Newer"),
      h("span", { class: "muted" }, "Page " + (at + 1)),
      h("button", { type: "button", class: "btn", disabled: !next, onclick: () => { cursors[at + 1] = next; at++; load(); } }, "Older →"));
  }

  const filters = h("form", { class: "filters", role: "search", onsubmit: (e) => e.preventDefault() },
    field("State", state), field("Search", search));
  state.addEventListener("change", () => { setQuery({ state: state.value, q: search.value }); cursors.length = 1; at = 0; load(); });
  search.addEventListener("input", () => { setQuery({ state: state.value, q: search.value }); draw(); });

  fill(main, heading("Jobs", h("a", { class: "btn primary", href: "#/jobs/new" }, "+ New job")),
    filters, h("div", { class: "row-between" }, h("span", {}), fresh.el), list, pager);
  await load();
  const timer = setInterval(() => {
    if (!document.hidden && items.some((job) => !TERMINAL.has(job.state))) load().catch(() => {});
  }, 3000);
  signal.addEventListener("abort", () => clearInterval(timer));
}
