// One job: live progress by records and shards, throughput, time left, a shard map, cost, the
// outputs, the failed records, and cancel, retry, delete, run again.
import { api, follow, download } from "./api.js";
import { h, fill, badge, time, duration, usd, count, bytes, shortId, heading, act, flash, table } from "./dom.js";
import { go } from "./router.js";
import { TERMINAL } from "./jobs-page.js";

const MAX_CELLS = 512;

export async function jobPage(main, { params, signal }) {
  const id = params[0].toLowerCase();
  let job = await api("GET", "/api/v1/jobs/" + id);
  const samples = [];
  const names = new Map();
  const events = [];

  const stateEl = h("span", {});
  const bar = h("progress", { max: "100", value: "0", "aria-labelledby": "progress-label" });
  const progressText = h("p", { id: "progress-label", "aria-live": "polite", "aria-atomic": "true" });
  const stats = h("dl", { class: "stats" });
  const shardMap = h("div", { class: "shard-map", role: "img" });
  const actions = h("div", { class: "actions" });
  const outputs = h("div", {});
  const failures = h("div", {});
  const log = h("ol", { class: "events", "aria-label": "Events" });
  const reason = h("div", {});

  function record(view) {
    samples.push([Date.now(), view.progress.records]);
    while (samples.length > 2 && Date.now() - samples[0][0] > 30_000) samples.shift();
  }

  function rate() {
    if (samples.length >= 2) {
      const [t0, r0] = samples[0];
      const [t1, r1] = samples[samples.length - 1];
      if (t1 - t0 > 1500 && r1 > r0) return ((r1 - r0) * 1000) / (t1 - t0);
    }
    const elapsed = job.timings && job.timings.elapsedSeconds;
    return elapsed > 0 ? job.progress.records / elapsed : null;
  }

  function secondsLeft() {
    const p = job.progress;
    const elapsed = job.timings && job.timings.startedAt ? (Date.now() - Date.parse(job.timings.startedAt)) / 1000 : null;
    if (TERMINAL.has(job.state) || !elapsed || !p.percent) return null;
    return (elapsed * (100 - p.percent)) / p.percent;
  }

  function stat(label, value) { return [h("dt", {}, label), h("dd", {}, value)]; }

  function draw() {
    const p = job.progress;
    fill(stateEl, badge(job.state));
    bar.value = p.percent;
    progressText.textContent = Math.round(p.percent) + "% · " + p.shardsDone + " of " + p.shardsTotal + " shards · "
      + count(p.records) + " records · " + count(p.errors) + " failed";
    const r = rate();
    fill(stats,
      stat("Throughput", r ? count(Math.round(r)) + " records/s" : "–"),
      stat("Time left", TERMINAL.has(job.state) ? "done" : duration(secondsLeft())),
      stat("Elapsed", duration(job.timings.elapsedSeconds != null ? job.timings.elapsedSeconds
        : job.timings.startedAt ? (Date.now() - Date.parse(job.timings.startedAt)) / 1000 : null)),
      stat("Cost", usd(job.cost.usd)),
      stat("Agent-seconds", job.cost.agentSeconds.toFixed(1)),
      stat("Priority", String(job.priority)),
      stat("Created", time(job.timings.createdAt, true)),
      stat("Finished", time(job.timings.finishedAt, true)));
    drawShards();
    const notes = (job.inputs || []).filter((input) => input.shardNote)
      .map((input) => h("p", { class: "note" }, input.shardNote));
    fill(reason, job.failureReason ? h("p", { class: "note error", role: "alert" },
      h("span", { class: "icon", "aria-hidden": "true" }, "✖"), " ", job.failureReason) : null, ...notes);
    drawActions();
    drawOutputs();
  }

  function drawShards() {
    const p = job.progress;
    const total = Math.min(p.shardsTotal, MAX_CELLS);
    const scale = p.shardsTotal > MAX_CELLS ? p.shardsTotal / MAX_CELLS : 1;
    const done = Math.floor(p.shardsDone / scale);
    const failed = job.state === "FAILED" || job.state === "CANCELLED";
    shardMap.setAttribute("aria-label", p.shardsDone + " of " + p.shardsTotal + " shards done"
      + (scale > 1 ? " (each cell is " + scale.toFixed(1) + " shards)" : ""));
    fill(shardMap, p.shardsTotal === 0 ? h("span", { class: "muted" }, "The input is being split into shards…")
      : Array.from({ length: total }, (_, i) => h("span", {
        class: "cell " + (i < done ? "done" : failed ? "stopped" : job.state === "RUNNING" && i < done + 4 ? "running" : "waiting"),
      })));
  }

  function drawActions() {
    const buttons = [];
    if (!TERMINAL.has(job.state)) {
      buttons.push(h("button", { type: "button", class: "btn danger", onclick: (e) => act(e.currentTarget, async () => {
        setJob(await api("POST", "/api/v1/jobs/" + id + "/cancel"));
      }, "Job " + shortId(id) + " cancelled.") }, "Cancel job"));
    }
    if (job.state === "FAILED" || job.state === "CANCELLED") {
      const what = job.state === "FAILED" ? "its failed shards" : "what it had not finished";
      buttons.push(h("button", { type: "button", class: "btn", title: "Runs " + what + " again", onclick: (e) => act(e.currentTarget, async () => {
        await api("POST", "/api/v1/jobs/" + id + "/retry");
        setJob(await api("GET", "/api/v1/jobs/" + id));
        watch();
        return job;
      }, (again) => "Job " + shortId(id) + (again.state === "SUBMITTED" ? " is waiting to be planned again." : " is running again.")) }, "Retry"));
    }
    buttons.push(h("a", { class: "btn", href: "#/jobs/new?from=" + id }, "Run again with changes"));
    if (TERMINAL.has(job.state)) {
      buttons.push(h("button", { type: "button", class: "btn danger", onclick: (e) => {
        if (!confirm("Delete job " + shortId(id) + " and its outputs?")) return;
        act(e.currentTarget, async () => {
          await api("DELETE", "/api/v1/jobs/" + id);
          flash("ok", "Job " + shortId(id) + " deleted.");
          go("#/jobs");
        });
      } }, "Delete"));
    }
    fill(actions, buttons);
  }

  function drawOutputs() {
    fill(outputs, table("Inputs and outputs", ["#", "Input", "Output"], job.inputs.map((input) => h("tr", {},
      h("td", {}, String(input.position)),
      h("td", {}, h("a", { href: "#/files/" + input.fileId }, names.get(input.fileId) || shortId(input.fileId))),
      h("td", {}, input.outputFileId && job.state === "SUCCEEDED"
        ? h("button", { type: "button", class: "btn small", onclick: (e) => act(e.currentTarget, async () => {
          const link = await api("GET", "/api/v1/jobs/" + id + "/outputs/" + input.position + "/download");
          location.assign(link.url);
        }) }, "Download output")
        : h("span", { class: "muted" }, job.state === "SUCCEEDED" ? "none" : "when the job succeeds"))))));
  }

  let errorCursor = null;
  const errorRows = [];
  async function loadFailures(more) {
    const data = await api("GET", "/api/v1/jobs/" + id + "/errors?limit=20" + (more && errorCursor ? "&cursor=" + encodeURIComponent(errorCursor) : ""));
    if (!more) errorRows.length = 0;
    errorRows.push(...data.items);
    errorCursor = data.nextCursor;
    fill(failures,
      h("div", { class: "row-between" },
        h("p", { class: "muted" }, job.progress.errors ? count(job.progress.errors) + " record(s) failed." : "No record has failed."),
        job.progress.errors ? h("button", { type: "button", class: "btn small", onclick: (e) => act(e.currentTarget,
          () => download("/api/v1/jobs/" + id + "/errors.jsonl", id + "-errors.jsonl")) }, "Download failed records (JSON lines)") : null),
      errorRows.length ? table("Failed records", ["File", "Line", "Error", "Record"], errorRows.map((e) => h("tr", {},
        h("td", {}, e.fileName || shortId(e.fileId)),
        h("td", { class: "num" }, e.line != null ? String(e.line) : "byte " + e.offset),
        h("td", { class: "error-text" }, e.message),
        h("td", {}, h("code", { class: "record" }, e.record + (e.truncated ? "…" : "")))))) : null,
      errorCursor ? h("button", { type: "button", class: "btn small", onclick: (e) => act(e.currentTarget, () => loadFailures(true)) }, "Show more") : null);
  }

  function logEvent(type, data) {
    if (type === "progress") return;
    events.unshift(h("li", {}, h("span", { class: "mono" }, type), " ", time(data && data.createdAt ? data.createdAt : new Date().toISOString(), true)));
    fill(log, events.slice(0, 30));
  }

  let failuresAt = 0;
  let failuresShown = job.progress.errors;
  /** Takes a newer view of the job; reloads the failed records when their count or the state moves. */
  function setJob(next) {
    const wasOpen = !TERMINAL.has(job.state);
    job = next;
    record(job);
    draw();
    const ended = wasOpen && TERMINAL.has(job.state);
    if (ended || (job.progress.errors !== failuresShown && Date.now() - failuresAt > 3000)) {
      failuresAt = Date.now();
      failuresShown = job.progress.errors;
      loadFailures(false).catch(() => {});
    }
  }

  let stream = null;
  function watch() {
    if (stream) stream.abort();
    if (TERMINAL.has(job.state)) return;
    stream = new AbortController();
    signal.addEventListener("abort", () => stream.abort());
    follow("/api/v1/jobs/" + id + "/events", async (type, data) => {
      if (type === "progress" && data && data.progress) {
        setJob(data);
      } else if (type === "end") {
        setJob(await api("GET", "/api/v1/jobs/" + id));
        failuresShown = -1;
        loadFailures(false).catch(() => {});
      }
      logEvent(type, data);
    }, stream.signal);
  }

  fill(main,
    heading("Job " + shortId(id), stateEl),
    h("p", { class: "muted mono" }, id, " · ", job.processor, job.model ? [" · model ", h("a", { href: "#/files/" + job.model }, shortId(job.model))] : null),
    reason,
    h("section", { class: "card", "aria-labelledby": "h-progress" },
      h("h2", { id: "h-progress" }, "Progress"), bar, progressText, stats,
      h("h3", {}, "Shard map"), shardMap,
      h("p", { class: "legend muted" }, h("span", { class: "cell done" }), " done ", h("span", { class: "cell running" }), " running ",
        h("span", { class: "cell waiting" }), " waiting ", h("span", { class: "cell stopped" }), " stopped")),
    actions,
    h("section", { class: "card", "aria-labelledby": "h-outputs" }, h("h2", { id: "h-outputs" }, "Inputs and outputs"), outputs),
    h("section", { class: "card", "aria-labelledby": "h-failures" }, h("h2", { id: "h-failures" }, "Failed records"), failures),
    h("section", { class: "card", "aria-labelledby": "h-events" }, h("h2", { id: "h-events" }, "Events"), log),
    h("section", { class: "card", "aria-labelledby": "h-params" }, h("h2", { id: "h-params" }, "Settings"),
      h("pre", { class: "params" }, JSON.stringify(job.params || {}, null, 2))));
  record(job);
  draw();
  loadFailures(false).catch(() => {});
  Promise.all(job.inputs.slice(0, 20).map((input) => api("GET", "/api/v1/files/" + input.fileId)
    .then((file) => names.set(input.fileId, file.name + " (" + bytes(file.sizeBytes) + ")")).catch(() => {})))
    .then(() => { if (!signal.aborted) drawOutputs(); });
  watch();
  const timer = setInterval(async () => {
    if (document.hidden || TERMINAL.has(job.state)) return;
    try { setJob(await api("GET", "/api/v1/jobs/" + id)); } catch (e) { /* the stream goes on */ }
  }, 5000);
  signal.addEventListener("abort", () => clearInterval(timer));
}
