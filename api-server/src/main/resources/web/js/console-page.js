// The operator console (admins): tabs, auto-refresh with "updated N s ago", and the overview.
import { api, session } from "./api.js";
import { h, fill, svg, heading, freshness, usd, count, time, table, notice } from "./dom.js";
import { queuesView, deadLettersView } from "./console-queues.js";
import { consoleJobsView, agentsView } from "./console-fleet.js";
import { usersView } from "./console-users.js";
import { auditView, releasesView } from "./console-audit.js";

const TABS = [
  ["", "Overview", overviewView],
  ["queues", "Queues", queuesView],
  ["dead-letters", "Dead letters", deadLettersView],
  ["jobs", "All jobs", consoleJobsView],
  ["agents", "Agents", agentsView],
  ["users", "Users", usersView],
  ["audit", "Audit log", auditView],
  ["releases", "Releases", releasesView],
];

export async function consolePage(main, { params, query, signal }) {
  if (!session.account || session.account.role !== "ADMIN") {
    fill(main, heading("Operator console"), notice("error", "The console is for administrators."));
    return;
  }
  const tab = TABS.find(([slug]) => slug === (params[0] || "")) || TABS[0];
  const fresh = freshness();
  const auto = h("input", { type: "checkbox", checked: localStorage.getItem("kiln.autoRefresh") !== "0" });
  const body = h("div", {});
  const refreshButton = h("button", { type: "button", class: "btn small" }, "Refresh");
  const nav = h("nav", { class: "tabs", "aria-label": "Console sections" }, h("ul", {}, TABS.map(([slug, title]) =>
    h("li", {}, h("a", { href: "#/console" + (slug ? "/" + slug : ""), "aria-current": slug === tab[0] ? "page" : null }, title)))));
  fill(main, heading("Console · " + tab[1]), nav,
    h("div", { class: "row-between toolbar" }, h("label", { class: "pick" }, auto, " Refresh every 10 s"), h("span", {}, fresh.el, " ", refreshButton)),
    body);
  const view = { body, query, signal, reload: null };
  const reload = async () => {
    try {
      await view.reload();
      fresh.mark();
    } catch (e) {
      if (e.status !== 401) fresh.el.textContent = "✖ refresh failed: " + e.message;
    }
  };
  await tab[2](view);
  fresh.mark();
  refreshButton.addEventListener("click", reload);
  auto.addEventListener("change", () => localStorage.setItem("kiln.autoRefresh", auto.checked ? "1" : "0"));
  const timer = setInterval(() => { if (auto.checked && !document.hidden && view.reload && !view.busy) reload(); }, 10_000);
  signal.addEventListener("abort", () => { clearInterval(timer); fresh.stop(); });
}

/** Calls an endpoint the operator API added; null (and a note in place) when the server lacks it. */
export async function optional(path, place) {
  try {
    return await api("GET", path);
  } catch (e) {
    if (e.status === 404 || e.status === 405) {
      fill(place, notice("error", "This server does not offer " + path + " yet; update the API server."));
      return null;
    }
    throw e;
  }
}

function chart(series) {
  const width = 600;
  const height = 180;
  const pad = 28;
  if (!series || series.length < 2) return h("p", { class: "muted" }, "The chart fills in as the scheduler records a point each minute.");
  const times = series.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times) || t0 + 1;
  const top = Math.max(1, ...series.map((p) => Math.max(p.agents, p.backlog)));
  const x = (t) => pad + ((t - t0) / (t1 - t0 || 1)) * (width - 2 * pad);
  const y = (v) => height - pad - (v / top) * (height - 2 * pad);
  const line = (key) => series.map((p, i) => (i ? "L" : "M") + x(times[i]).toFixed(1) + " " + y(p[key]).toFixed(1)).join(" ");
  return h("figure", { class: "chart" },
    svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "Agents and backlog over the last hour" },
      svg("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: "axis" }),
      svg("line", { x1: pad, y1: pad, x2: pad, y2: height - pad, class: "axis" }),
      svg("text", { x: 2, y: pad, class: "tick" }, String(top)),
      svg("text", { x: 2, y: height - pad, class: "tick" }, "0"),
      svg("path", { d: line("backlog"), class: "series backlog" }),
      svg("path", { d: line("agents"), class: "series agents" })),
    h("figcaption", {}, h("span", { class: "key backlog" }), " backlog (shards) ", h("span", { class: "key agents" }), " agents · last 60 min"));
}

function card(label, value, sub) {
  return h("div", { class: "stat-card" }, h("span", { class: "muted" }, label), h("strong", {}, value), sub ? h("small", {}, sub) : null);
}

function decisionText(d, age) {
  if (!d) return "The autoscaler has not decided anything yet (is a scheduler with a fleet running?).";
  return d.fleet + ": " + d.current + " agent(s) running, " + d.desired + " wanted. " + d.reason
    + (age != null ? " (decided " + age + " s ago)" : "");
}

async function overviewView(view) {
  const { body } = view;
  view.reload = async () => {
    let o;
    try {
      o = await api("GET", "/api/v1/admin/overview");
    } catch (e) {
      if (e.status !== 404) throw e;
      const fleet = await api("GET", "/api/v1/admin/fleet");
      o = { agents: fleet.agents.length, decision: fleet.decision, decisionAgeSeconds: fleet.decisionAgeSeconds,
        queued: fleet.decision && fleet.decision.queued, leased: fleet.decision && fleet.decision.leased,
        monthSpendUsd: fleet.decision && fleet.decision.spend, monthlyBudgetUsd: fleet.decision && fleet.decision.budget,
        recentDecisions: [], series: [] };
    }
    const capped = o.decision && o.decision.budgetCapped;
    fill(body,
      capped ? notice("error", "The fleet is held back by the global budget: " + o.decision.reason) : null,
      h("div", { class: "stat-cards" },
        card("Agents", count(o.agents), o.drainingAgents ? o.drainingAgents + " draining" : null),
        card("Queued shards", count(o.queued)),
        card("Leased shards", count(o.leased)),
        card("Dead letters", count(o.dead), o.dead ? h("a", { href: "#/console/dead-letters" }, "review") : null),
        card("Shards / min", o.shardsDonePerMinute != null ? Number(o.shardsDonePerMinute).toFixed(1) : "–"),
        card("Spend this month", usd(o.monthSpendUsd), o.monthlyBudgetUsd != null ? "of " + usd(o.monthlyBudgetUsd) : "no global budget")),
      o.monthlyBudgetUsd ? h("meter", { class: "wide", min: "0", max: String(o.monthlyBudgetUsd), value: String(Math.min(o.monthSpendUsd || 0, o.monthlyBudgetUsd)), high: String(o.monthlyBudgetUsd * 0.8), optimum: "0", "aria-label": "Month spend against budget" }) : null,
      h("section", { class: "card", "aria-labelledby": "h-auto" }, h("h2", { id: "h-auto" }, "Autoscaler"), h("p", {}, decisionText(o.decision, o.decisionAgeSeconds))),
      h("section", { class: "card", "aria-labelledby": "h-chart" }, h("h2", { id: "h-chart" }, "Agents and backlog"), chart(o.series)),
      h("section", { class: "card", "aria-labelledby": "h-recent" }, h("h2", { id: "h-recent" }, "Recent decisions"),
        table("Recent decisions", ["When", "Agents", "Wanted", "Queued", "Reason"], (o.recentDecisions || []).map((d) => h("tr", {},
          h("td", {}, time(d.at, true)), h("td", { class: "num" }, String(d.current)), h("td", { class: "num" }, String(d.desired)),
          h("td", { class: "num" }, count(d.queued)), h("td", {}, d.reason))), "No decisions recorded yet.")));
  };
  await view.reload();
}
