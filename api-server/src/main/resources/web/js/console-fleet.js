// Console: every account's jobs (filter, cancel) and the agents (drain).
import { api } from "./api.js";
import { h, fill, table, ago, count, act, shortId, badge } from "./dom.js";
import { pagedList, select, text } from "./console-list.js";
import { JOB_HEADERS, STATES, TERMINAL, jobRow } from "./jobs-page.js";

export async function consoleJobsView(view) {
  await pagedList(view, {
    path: "/api/v1/admin/jobs",
    caption: "All jobs",
    headers: [...JOB_HEADERS, ""],
    filters: [
      { name: "owner", label: "Owner (e-mail or id)", input: text("owner", "someone@example.com") },
      { name: "state", label: "State", input: select("state", [["", "Any state"], ...STATES.map((s) => [s, s.toLowerCase()])]) },
      { name: "q", label: "Search", input: text("q", "id, processor or e-mail") },
    ],
    empty: "No job matches.",
    row: (job, reload) => jobRow(job, () => h("td", {}, TERMINAL.has(job.state) ? null
      : h("button", { type: "button", class: "btn small danger", onclick: (e) => {
        if (!confirm("Cancel job " + shortId(job.id) + " of its owner?")) return;
        act(e.currentTarget, async () => { await api("POST", "/api/v1/admin/jobs/" + job.id + "/cancel"); await reload(); }, "Job " + shortId(job.id) + " cancelled.");
      } }, "Cancel"))),
  });
}

export async function agentsView(view) {
  const { body } = view;
  view.reload = async () => {
    let agents;
    try {
      agents = (await api("GET", "/api/v1/admin/agents")).items;
    } catch (e) {
      if (e.status !== 404) throw e;
      agents = (await api("GET", "/api/v1/admin/fleet")).agents;
    }
    fill(body, table("Agents", ["Agent", "Instance", "AMI", "Version", "Device", "State", "Leases", "Done", "Failed", "Heartbeat", ""],
      agents.map((a) => h("tr", {},
        h("td", { class: "mono" }, a.agentId),
        h("td", {}, a.instanceId || "–", a.instanceType ? h("div", { class: "muted" }, a.instanceType) : null),
        h("td", { class: "mono" }, a.ami || "–"),
        h("td", {}, a.version || "–"),
        h("td", {}, a.device || "–", a.gpu ? h("div", { class: "muted" }, a.gpu) : null),
        h("td", {}, badge(a.draining && a.state !== "DRAINING" ? "DRAINING" : a.state), a.drainReason ? h("div", { class: "muted" }, a.drainReason) : null),
        h("td", { class: "num" }, count(a.leases)),
        h("td", { class: "num" }, count(a.shardsDone)),
        h("td", { class: "num" }, count(a.shardsFailed)),
        h("td", {}, a.lastHeartbeat ? h("span", { title: new Date(a.lastHeartbeat).toString() }, ago(a.lastHeartbeat)) : "–"),
        h("td", {}, a.draining || a.state === "DRAINING" ? h("span", { class: "muted" }, "draining")
          : h("button", { type: "button", class: "btn small", onclick: (e) => {
            if (!confirm("Drain agent " + a.agentId + "? It finishes its shards and takes no more.")) return;
            act(e.currentTarget, async () => { await api("POST", "/api/v1/admin/agents/" + encodeURIComponent(a.agentId) + "/drain"); await view.reload(); },
              "Agent " + a.agentId + " is draining.");
          } }, "Drain")))), "No live agents."));
  };
  await view.reload();
}
