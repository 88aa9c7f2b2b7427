"use strict";
(() => {
  let token = sessionStorage.getItem("kiln.token");
  const $ = (id) => document.getElementById(id);
  const say = (text) => { $("message").textContent = text || ""; };

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ "Content-Type": "application/json" },
        token ? { Authorization: "Bearer " + token } : {}),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(data && data.detail ? data.detail : "HTTP " + response.status);
    return data;
  }

  async function upload(file) {
    const created = await api("POST", "/api/v1/files", { name: file.name, sizeBytes: file.size });
    if (created.uploadUrl) {
      const put = await fetch(created.uploadUrl, { method: "PUT", body: file });
      if (!put.ok) throw new Error("S3 refused the upload (" + put.status + ")");
      return api("POST", "/api/v1/files/" + created.id + "/complete", {});
    }
    const parts = [];
    for (const part of created.parts) {
      const start = (part.partNumber - 1) * created.partSize;
      const put = await fetch(part.url, { method: "PUT", body: file.slice(start, start + created.partSize) });
      if (!put.ok) throw new Error("S3 refused part " + part.partNumber);
      parts.push({ partNumber: part.partNumber, etag: put.headers.get("ETag") });
    }
    return api("POST", "/api/v1/files/" + created.id + "/complete", { parts });
  }

  function show(job) {
    $("job").hidden = false;
    $("job-id").textContent = job.id;
    $("job-state").textContent = job.state;
    $("job-progress").value = job.progress.percent;
    $("job-detail").textContent = job.progress.shardsDone + " / " + job.progress.shardsTotal
      + " shards, " + job.progress.records + " records, " + job.progress.errors + " errors"
      + (job.failureReason ? " - " + job.failureReason : "");
    if (job.state === "SUCCEEDED" && job.inputs[0].outputFileId) {
      api("GET", "/api/v1/jobs/" + job.id + "/outputs/0/download").then((link) => {
        $("job-output").href = link.url;
        $("job-output").hidden = false;
      });
    }
  }

  function follow(jobId) {
    const events = new EventSource("/api/v1/jobs/" + jobId + "/events?access_token=" + encodeURIComponent(token));
    events.addEventListener("progress", (event) => show(JSON.parse(event.data)));
    events.addEventListener("end", () => events.close());
  }

  async function enter() {
    const me = await api("GET", "/api/v1/account");
    $("who").textContent = me.email;
    $("auth").hidden = true;
    $("work").hidden = false;
  }

  $("auth-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const action = event.submitter.dataset.action;
    try {
      const answer = await api("POST", "/api/v1/auth/" + action,
        { email: $("email").value, password: $("password").value });
      token = answer.accessToken;
      sessionStorage.setItem("kiln.token", token);
      say("");
      await enter();
    } catch (e) { say(e.message); }
  });

  $("logout").addEventListener("click", async () => {
    try { await api("POST", "/api/v1/auth/logout"); } catch (e) { /* already logged out */ }
    sessionStorage.removeItem("kiln.token");
    location.reload();
  });

  $("job-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      say("Uploading...");
      const input = await upload($("file").files[0]);
      const model = $("model").files[0] ? await upload($("model").files[0]) : null;
      const job = await api("POST", "/api/v1/jobs", {
        processor: $("processor").value,
        inputs: [input.id],
        model: model ? model.id : undefined,
      });
      say("");
      show(job);
      follow(job.id);
    } catch (e) { say(e.message); }
  });

  if (token) enter().catch(() => { sessionStorage.removeItem("kiln.token"); token = null; });
})();
