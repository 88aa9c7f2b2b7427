// The file library: drag-and-drop uploads with progress, pause, resume and cancel; the list with
// expiry, download and delete; one file's page.
import { api, page } from "./api.js";
import { h, fill, table, time, bytes, duration, heading, act, flash, badge } from "./dom.js";
import { go } from "./router.js";
import { Upload } from "./upload.js";

/** A drop area with a file chooser; onFiles gets the chosen File objects. */
export function dropZone(onFiles, text) {
  const input = h("input", { type: "file", multiple: true, class: "sr-only", "aria-label": "Choose files" });
  const zone = h("div", { class: "drop", tabindex: "0", role: "button", "aria-label": text },
    h("span", { class: "drop-icon", "aria-hidden": "true" }, "↑"), h("span", {}, text));
  const choose = () => input.click();
  zone.addEventListener("click", choose);
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(); } });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer.files.length) onFiles([...e.dataTransfer.files]);
  });
  input.addEventListener("change", () => { if (input.files.length) onFiles([...input.files]); input.value = ""; });
  return h("div", {}, zone, input);
}

/** One upload's line: name, bar, bytes, rate, time left, and its buttons. */
export function uploadRow(upload, onRemove) {
  const bar = h("progress", { max: "100", value: String(upload.percent), "aria-label": "Upload of " + upload.file.name });
  const detail = h("span", { class: "muted" });
  const buttons = h("span", { class: "actions" });
  const row = h("li", { class: "upload" }, h("strong", {}, upload.file.name), bar, detail, buttons);
  let shownKey = null;
  const update = () => {
    bar.value = upload.percent;
    const status = {
      waiting: "waiting", paused: "paused", done: "✔ uploaded", cancelled: "cancelled",
      failed: "✖ " + (upload.error || "failed"),
    }[upload.state];
    detail.textContent = bytes(upload.loaded) + " of " + bytes(upload.total) + " · "
      + (status || (Math.round(upload.percent) + "% · " + bytes(upload.rate) + "/s · " + duration(upload.secondsLeft) + " left"));
    row.className = "upload " + upload.state;
    const key = upload.state + (upload.created && upload.created.parts ? "+parts" : "");
    if (key === shownKey) return;
    shownKey = key;
    const list = [];
    if (upload.state === "uploading" && upload.created && upload.created.parts) list.push(h("button", { type: "button", class: "btn small", onclick: () => upload.pause() }, "Pause"));
    if (upload.state === "paused") list.push(h("button", { type: "button", class: "btn small", onclick: () => upload.start() }, "Resume"));
    if (["waiting", "uploading", "paused"].includes(upload.state)) {
      list.push(h("button", { type: "button", class: "btn small danger", onclick: () => upload.state === "waiting" && onRemove ? onRemove() : upload.cancel() }, upload.state === "waiting" ? "Remove" : "Cancel"));
    }
    fill(buttons, list);
  };
  const previous = upload.onChange;
  upload.onChange = (u) => { update(); if (previous) previous(u); };
  update();
  return row;
}

export async function filesPage(main, { signal }) {
  const list = h("div", {});
  const uploads = h("ul", { class: "uploads", "aria-live": "polite", "aria-label": "Uploads" });
  const pager = h("div", { class: "pager" });
  const cursors = [null];
  let at = 0;

  async function load() {
    const data = await page("/api/v1/files", { limit: 50, cursor: cursors[at] });
    fill(list, table("Your files", ["Name", "State", "Size", "Uploaded", "Expires", ""], data.items.map((f) => h("tr", {},
      h("td", {}, h("a", { href: "#/files/" + f.id }, f.name)),
      h("td", {}, badge(f.state)),
      h("td", { class: "num" }, bytes(f.sizeBytes)),
      h("td", {}, time(f.completedAt || f.createdAt)),
      h("td", {}, time(f.expiresAt)),
      h("td", { class: "actions" }, fileActions(f, load)))), "No files yet: drop some above."));
    fill(pager,
      h("button", { type: "button", class: "btn", disabled: at === 0, onclick: () => { at--; load(); } }, "← Newer"),
      h("span", { class: "muted" }, "Page " + (at + 1)),
      h("button", { type: "button", class: "btn", disabled: !data.nextCursor, onclick: () => { cursors[at + 1] = data.nextCursor; at++; load(); } }, "Older →"));
  }

  const running = [];
  const zone = dropZone((files) => {
    for (const file of files) {
      const upload = new Upload(file);
      running.push(upload);
      uploads.prepend(uploadRow(upload));
      upload.start().then(
        (done) => { flash("ok", done.name + " uploaded."); load(); },
        (e) => { if (upload.state === "failed") flash("error", e.message); load(); });
    }
  }, "Drop files here, or press to choose (uploads start at once)");
  signal.addEventListener("abort", () => running.forEach((u) => { if (!["done", "failed", "cancelled"].includes(u.state)) u.cancel(); }));
  fill(main, heading("Files"), h("section", { class: "card" }, zone, uploads), list, pager);
  await load();
}

function fileActions(file, reload) {
  const out = [];
  if (file.state === "READY") {
    out.push(h("button", { type: "button", class: "btn small", onclick: (e) => act(e.currentTarget, async () => {
      location.assign((await api("GET", "/api/v1/files/" + file.id + "/download")).url);
    }) }, "Download"));
    out.push(h("a", { class: "btn small", href: "#/jobs/new?input=" + file.id }, "New job"));
  }
  out.push(h("button", { type: "button", class: "btn small danger", onclick: (e) => {
    if (!confirm("Delete " + file.name + "?")) return;
    act(e.currentTarget, async () => { await api("DELETE", "/api/v1/files/" + file.id); await reload(); }, file.name + " deleted.");
  } }, "Delete"));
  return out;
}

export async function filePage(main, { params }) {
  const file = await api("GET", "/api/v1/files/" + params[0]);
  fill(main, heading(file.name),
    h("section", { class: "card" }, h("dl", { class: "stats" },
      h("dt", {}, "Id"), h("dd", { class: "mono" }, file.id),
      h("dt", {}, "State"), h("dd", {}, badge(file.state)),
      h("dt", {}, "Size"), h("dd", {}, bytes(file.sizeBytes) + " (" + file.sizeBytes.toLocaleString() + " bytes)"),
      h("dt", {}, "Uploaded"), h("dd", {}, time(file.completedAt || file.createdAt, true)),
      h("dt", {}, "Expires"), h("dd", {}, time(file.expiresAt, true)),
      h("dt", {}, "ETag"), h("dd", { class: "mono" }, file.etag || "–"))),
    h("div", { class: "actions" }, fileActions(file, async () => go("#/files")), h("a", { class: "btn", href: "#/files" }, "All files")));

}
