// Console: the queues per processor, and the dead letters with requeue and discard.
import { api } from "./api.js";
import { h, fill, table, count, time, shortId, act } from "./dom.js";
import { optional } from "./console-page.js";
import { pagedList, text } from "./console-list.js";

export async function queuesView(view) {
  const { body } = view;
  view.reload = async () => {
    const data = await optional("/api/v1/admin/queues", body);
    if (!data) return;
    fill(body, table("Queues per processor", ["Processor", "Queued", "Leased", "Dead", "Cap", "Owners"], data.items.map((q) => h("tr", {},
      h("td", {}, h("strong", {}, q.processor)),
      h("td", { class: "num" }, count(q.queued)),
      h("td", { class: "num" }, count(q.leased)),
      h("td", { class: "num" }, q.dead ? h("a", { href: "#/console/dead-letters?processor=" + encodeURIComponent(q.processor) }, count(q.dead)) : "0"),
      h("td", { class: "num" }, q.cap == null ? "none" : String(q.cap)),
      h("td", {}, q.owners && q.owners.length ? h("ul", { class: "owners" }, q.owners.map((o) => {
        const share = q.queued + q.leased ? Math.round((100 * (o.queued + o.leased)) / (q.queued + q.leased)) : 0;
        return h("li", {}, o.email || shortId(o.ownerId), ": ", count(o.queued), " queued, ", count(o.leased), " leased (", share, "%)");
      })) : h("span", { class: "muted" }, "–")))), "No queue holds work."));
  };
  await view.reload();
}

export async function deadLettersView(view) {
  const processor = text("processor", "any processor");
  const jobId = text("jobId", "job id");
  const requeueAll = h("button", { type: "button", class: "btn" }, "Requeue all matching");
  requeueAll.addEventListener("click", () => {
    const filter = {};
    if (processor.value.trim()) filter.processor = processor.value.trim();
    if (jobId.value.trim()) filter.jobId = jobId.value.trim();
    if (!confirm("Requeue every dead letter" + (Object.keys(filter).length ? " matching the filters" : "") + "?")) return;
    act(requeueAll, async () => {
      const done = await api("POST", "/api/v1/admin/dead-letters/requeue", filter);
      await view.reload();
      return done;
    }, (done) => "Requeued " + done.shards + " shard(s) of " + done.jobs + " job(s)"
      + ((done.unpaid || []).length ? "; " + done.unpaid.length + " job(s) left failed: their owners lack credits, grant them in Users" : "")
      + (done.more ? "; more are left, press again." : "."));
  });
  try {
    await pagedList(view, {
      path: "/api/v1/admin/dead-letters",
      caption: "Dead letters",
      headers: ["Job", "Shard", "Processor", "Owner", "Reason", "Attempts", "Last error", "Dead since", ""],
      filters: [{ name: "processor", label: "Processor", input: processor }, { name: "jobId", label: "Job id", input: jobId }],
      above: h("div", { class: "actions" }, requeueAll),
      empty: "No dead letters.",
      row: (d, reload) => h("tr", {},
        h("td", { class: "mono" }, shortId(d.jobId)),
        h("td", { class: "num" }, String(d.shardIndex)),
        h("td", {}, d.processor),
        h("td", {}, d.ownerEmail || shortId(d.ownerId)),
        h("td", {}, d.reason),
        h("td", { class: "num" }, d.attempts == null ? "–" : String(d.attempts)),
        h("td", { class: "error-text" }, d.lastError),
        h("td", {}, time(d.deadAt)),
        h("td", { class: "actions" },
          h("button", { type: "button", class: "btn small", onclick: (e) => act(e.currentTarget, async () => {
            const done = await api("POST", "/api/v1/admin/dead-letters/" + d.jobId + "/" + d.shardIndex + "/requeue");
            await reload();
            return done;
          }, (done) => "Requeued " + done.shards + " shard(s) of job " + shortId(d.jobId) + ".") }, "Requeue"),
          h("button", { type: "button", class: "btn small danger", onclick: (e) => {
            if (!confirm("Discard shard " + d.shardIndex + " of job " + shortId(d.jobId) + "? Its job stays failed for good.")) return;
            act(e.currentTarget, async () => { await api("DELETE", "/api/v1/admin/dead-letters/" + d.jobId + "/" + d.shardIndex); await reload(); },
              "Shard " + d.shardIndex + " of job " + shortId(d.jobId) + " discarded.");
          } }, "Discard"))),
    });
  } catch (e) {
    if (e.status === 404) { await optional("/api/v1/admin/dead-letters", view.body); view.reload = async () => {}; return; }
    throw e;
  }
}
