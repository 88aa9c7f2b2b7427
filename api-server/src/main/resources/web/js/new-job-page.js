// A new job: inputs and model from the file library or new uploads, processor, settings with their
// defaults and limits, priority. Everything checkable is checked before any byte is uploaded.
import { api, page } from "./api.js";
import { h, fill, field, notice, heading, bytes, time, flash } from "./dom.js";
import { credits } from "./credits-page.js";
import { go } from "./router.js";
import { Upload } from "./upload.js";
import { dropZone, uploadRow } from "./files-page.js";

export const PROCESSORS = [
  { name: "parse", model: false, text: "parse: check and normalise CSV, JSON lines or text records" },
  { name: "tf-savedmodel", model: true, text: "tf-savedmodel: run a TensorFlow SavedModel over every record" },
];

const SETTINGS = [
  { key: "format", label: "Record format", options: ["", "csv", "jsonl", "text", "parquet"], hint: "Empty: guessed from the file name." },
  { key: "split", label: "Split", options: ["", "lines", "none"], hint: "lines (default): shards of whole lines; none: one shard per file." },
  { key: "shardMiB", label: "Shard size (MiB)", min: 0.0625, max: 5120, step: "any", hint: "Default 64 MiB; 0.0625 (64 KiB) to 5120 (5 GiB)." },
  { key: "batchSize", label: "Batch size", min: 1, max: 100000, step: 1, hint: "Records per model call; 1 to 100,000." },
  { key: "maxErrorRate", label: "Max error rate", min: 0, max: 1, step: "any", hint: "Share of records that may fail before the job fails (0 to 1)." },
  { key: "maxAttempts", label: "Attempts per shard", min: 1, max: 20, step: 1, hint: "1 to 20; default from the scheduler." },
  { key: "outputFormat", label: "Output format", options: ["", "jsonl", "parquet"], hint: "Empty: JSON lines; parquet: one Parquet file per input, a column per output field." },
];

async function readyFiles() {
  const files = [];
  let cursor = null;
  do {
    const data = await page("/api/v1/files", { limit: 200, cursor });
    files.push(...data.items.filter((f) => f.state === "READY"));
    cursor = data.nextCursor;
  } while (cursor && files.length < 1000);
  return files;
}

/** What to tell someone whose job the credits do not cover, with the way to the credits page. */
export function creditsRefusal(problem) {
  const figures = problem && problem.neededUsd != null
    ? "This job needs about " + credits(problem.neededUsd) + " of credits to start; you have " + credits(problem.availableUsd)
      + " available" + (Number(problem.reservedUsd) > 0 ? " (" + credits(problem.reservedUsd) + " held by your running jobs)" : "") + ". "
    : "Your credits do not cover this job. ";
  const canBuy = !problem || problem.canBuy !== false;
  return notice("error", [figures, canBuy ? "Buy credits, then start the job again: " : "Ask an administrator to grant you credits, then start the job again: ",
    h("a", { href: "#/credits" }, canBuy ? "go to Credits" : "see your credits"), "."]);
}

const isCreditsRefusal = (e) => e && e.status === 402 && e.problem && String(e.problem.type || "").endsWith("/credits-insufficient");

export async function newJobPage(main, { query, signal }) {
  const [library, from] = await Promise.all([
    readyFiles(),
    query.get("from") ? api("GET", "/api/v1/jobs/" + query.get("from")).catch(() => null) : null,
  ]);
  const staged = { inputs: [], model: null };
  const chosen = new Set(from ? from.inputs.map((i) => i.fileId) : (query.get("input") ? [query.get("input")] : []));

  const processor = h("select", { name: "processor", required: true },
    PROCESSORS.map((p) => h("option", { value: p.name, selected: from && from.processor === p.name }, p.text)));
  const modelSelect = h("select", { name: "model" }, h("option", { value: "" }, "— choose a model file —"),
    library.map((f) => h("option", { value: f.id, selected: from && from.model === f.id }, f.name + " (" + bytes(f.sizeBytes) + ")")));
  const modelUpload = h("input", { type: "file", name: "modelUpload", "aria-label": "Upload a model file" });
  const modelBox = h("fieldset", { class: "card" }, h("legend", {}, "Model"),
    field("From your files", modelSelect), field("Or upload a model (zip of a SavedModel)", modelUpload));
  const priority = h("input", { type: "number", name: "priority", min: "0", max: "9", step: "1", value: String(from ? from.priority : 0), required: true });
  const settings = {};
  const params = from && from.params ? from.params : {};
  const settingFields = SETTINGS.map((s) => {
    let input;
    if (s.options) {
      input = h("select", { name: s.key }, s.options.map((o) => h("option", { value: o, selected: params[s.key] === o }, o || "default")));
    } else {
      let value = s.key === "shardMiB" ? (params.shardBytes ? params.shardBytes / 1048576 : "") : (params[s.key] ?? "");
      input = h("input", { type: "number", name: s.key, min: String(s.min), max: String(s.max), step: String(s.step), value: String(value), placeholder: "default" });
    }
    settings[s.key] = input;
    return field(s.label, input, s.hint);
  });

  const inputList = h("div", { class: "pick-list", role: "group", "aria-label": "Input files from your library" });
  function drawInputs() {
    fill(inputList, library.length ? library.map((f) => h("label", { class: "pick" },
      h("input", { type: "checkbox", value: f.id, checked: chosen.has(f.id), onchange: (e) => e.target.checked ? chosen.add(f.id) : chosen.delete(f.id) }),
      " ", f.name, " ", h("span", { class: "muted" }, bytes(f.sizeBytes), " · ", time(f.createdAt))))
      : h("p", { class: "muted" }, "No uploaded files yet; add some below."));
  }
  drawInputs();
  const stagedList = h("ul", { class: "uploads", "aria-live": "polite" });
  const rows = new Map();
  function drawStaged() {
    fill(stagedList, staged.inputs.map((u) => {
      if (!rows.has(u)) rows.set(u, uploadRow(u, () => { staged.inputs = staged.inputs.filter((x) => x !== u); drawStaged(); }));
      return rows.get(u);
    }));
  }
  const drop = dropZone((files) => { for (const file of files) staged.inputs.push(new Upload(file)); drawStaged(); },
    "Drop input files here, or choose them (they upload when you start the job)");

  const message = h("div", { "aria-live": "assertive" });
  const submit = h("button", { type: "submit", class: "btn primary" }, "Start job");
  const form = h("form", { class: "stack" },
    h("fieldset", { class: "card" }, h("legend", {}, "Inputs"), inputList, drop, stagedList),
    h("fieldset", { class: "card" }, h("legend", {}, "Processor"), field("Processor", processor)),
    modelBox,
    h("fieldset", { class: "card" }, h("legend", {}, "Settings"), h("div", { class: "grid" }, settingFields),
      field("Priority", priority, "0 (default) to 9; higher runs first among your jobs.")),
    message, submit);
  const needsModel = () => PROCESSORS.find((p) => p.name === processor.value).model;
  const syncModel = () => { modelBox.hidden = !needsModel(); };
  processor.addEventListener("change", syncModel);
  syncModel();

  function collectParams() {
    const out = {};
    for (const s of SETTINGS) {
      const input = settings[s.key];
      if (input.value === "") continue;
      if (s.options) out[s.key] = input.value;
      else if (s.key === "shardMiB") out.shardBytes = Math.round(Number(input.value) * 1048576);
      else out[s.key] = Number(input.value);
    }
    return out;
  }

  /** What can be known before uploading: the form, the model, storage left and the budget. */
  async function check() {
    if (!form.reportValidity()) return "Some settings are out of range; see the marked fields.";
    if (!chosen.size && !staged.inputs.length) return "Choose at least one input file, or add one to upload.";
    if (needsModel() && !modelSelect.value && !modelUpload.files.length) return "This processor needs a model: choose one from your files or upload one.";
    if (!needsModel() && (modelSelect.value || modelUpload.files.length)) return "The parse processor takes no model; clear the model.";
    if (modelSelect.value && needsModel()) {
      try {
        const model = await api("GET", "/api/v1/files/" + modelSelect.value);
        if (model.state !== "READY") return "The model file is not completely uploaded.";
      } catch (e) { return "The chosen model no longer exists; choose another."; }
    }
    const account = await api("GET", "/api/v1/account");
    const adding = staged.inputs.reduce((n, u) => n + u.file.size, 0) + (modelUpload.files[0] ? modelUpload.files[0].size : 0);
    if (account.bytesUsed + adding > account.quotaBytes) {
      return "These uploads (" + bytes(adding) + ") do not fit in your storage (" + bytes(account.quotaBytes - account.bytesUsed) + " left); delete some files first.";
    }
    try {
      const usage = await api("GET", "/api/v1/account/usage");
      if (usage.budgetRefusal) return usage.budgetRefusal;
    } catch (e) { /* an older server: the submission checks the budget */ }
    // The API offers no estimate before submission; an account without credits is refused anyway.
    const balance = await api("GET", "/api/v1/credits").catch(() => null);
    if (balance && balance.required && !(Number(balance.availableUsd) > 0)) {
      return creditsRefusal({ neededUsd: null, canBuy: balance.canBuy });
    }
    return null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = "Checking…";
    fill(message);
    try {
      const problem = await check();
      if (problem) { fill(message, problem instanceof Node ? problem : notice("error", problem)); return; }
      let model = needsModel() ? modelSelect.value : null;
      if (needsModel() && !model) {
        submit.textContent = "Uploading the model…";
        staged.model = new Upload(modelUpload.files[0]);
        stagedList.append(uploadRow(staged.model));
        model = (await staged.model.start()).id;
      }
      staged.inputs = staged.inputs.map((u) => ["failed", "cancelled"].includes(u.state) ? new Upload(u.file) : u);
      drawStaged();
      submit.textContent = "Uploading inputs…";
      const uploaded = await Promise.all(staged.inputs.map((u) => u.start()));
      submit.textContent = "Starting…";
      const job = await api("POST", "/api/v1/jobs", {
        processor: processor.value,
        inputs: [...chosen, ...uploaded.map((f) => f.id)],
        model: model || undefined,
        params: collectParams(),
        priority: Number(priority.value),
      });
      flash("ok", "Job " + job.id.slice(0, 8) + " started.");
      go("#/jobs/" + job.id);
    } catch (e) {
      if (isCreditsRefusal(e)) fill(message, creditsRefusal(e.problem));
      else if (e.status !== 401) fill(message, notice("error", e.message || String(e)));
    } finally {
      submit.disabled = false;
      submit.textContent = "Start job";
    }
  });
  signal.addEventListener("abort", () => staged.inputs.forEach((u) => { if (u.state !== "done") u.cancel(); }));
  fill(main, heading(from ? "Run job " + from.id.slice(0, 8) + " again" : "New job"),
    from ? h("p", { class: "muted" }, "The form starts from the settings of job ", h("a", { href: "#/jobs/" + from.id }, from.id.slice(0, 8)), "; change what you need.") : null,
    form);
}
