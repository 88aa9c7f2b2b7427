// Console: the audit log with filters, and the release history.
import { api } from "./api.js";
import { h, fill, table, time, shortId } from "./dom.js";
import { pagedList, text } from "./console-list.js";

function instant(local) {
  return local ? new Date(local).toISOString() : "";
}

export async function auditView(view) {
  const filters = [
    { name: "actor", label: "Actor (e-mail or id)", input: text("actor", "admin@example.com") },
    { name: "action", label: "Action (exact, or prefix ending in .)", input: text("action", "account.") },
    { name: "since", label: "Since", input: h("input", { type: "datetime-local", name: "since" }), toParam: instant },
    { name: "until", label: "Until", input: h("input", { type: "datetime-local", name: "until" }), toParam: instant },
  ];
  await pagedList(view, {
    path: "/api/v1/admin/audit",
    caption: "Audit log",
    headers: ["When", "Actor", "Action", "Target", "Detail"],
    filters,
    empty: "No entry matches.",
    row: (e) => h("tr", {},
      h("td", {}, time(e.createdAt, true)),
      h("td", {}, e.actorEmail || shortId(e.actorId) || "system"),
      h("td", { class: "mono" }, e.action),
      h("td", {}, e.targetType ? e.targetType + " " : "", h("span", { class: "mono" }, e.targetId ? shortId(e.targetId) : "")),
      h("td", {}, e.detailJson && e.detailJson !== "{}" ? h("code", { class: "record" }, e.detailJson) : "")),
  });
}

export async function releasesView(view) {
  const { body } = view;
  view.reload = async () => {
    const data = await api("GET", "/api/v1/admin/releases?limit=50");
    fill(body, data.note ? h("p", { class: "muted" }, data.note) : null,
      table("Releases", ["When", "Who", "Action", "Role", "AMI", "Colours", "Outcome", "Reason"], data.items.map((r) => h("tr", {},
        h("td", {}, time(r.at, true)), h("td", {}, r.actor), h("td", {}, r.action), h("td", {}, r.role), h("td", { class: "mono" }, r.ami || "–"),
        h("td", {}, r.fromColor ? r.fromColor + " → " + r.toColor : "–"),
        h("td", {}, h("span", { class: "badge outcome-" + String(r.outcome).toLowerCase() }, r.outcome)), h("td", {}, r.reason || ""))),
      "No releases recorded."));
  };
  await view.reload();
}
