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
      + (job.failureReason ? " - " + job.failureReason : "")
      + job.inputs.filter((input) => input.shardNote).map((input) => " - " + input.shardNote).join("");
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

  function row(table, cells) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const td = document.createElement("td");
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell == null ? "" : String(cell);
      tr.appendChild(td);
    }
    $(table).tBodies[0].appendChild(tr);
  }

  function clear(table) { $(table).tBodies[0].replaceChildren(); }

  const usd = (value) => value == null ? "none" : Number(value).toFixed(2);

  function budgetEditor(account) {
    const form = document.createElement("form");
    const input = document.createElement("input");
    input.type = "number"; input.min = "0"; input.step = "0.01"; input.placeholder = "none";
    input.value = account.monthlyBudgetUsd == null ? "" : account.monthlyBudgetUsd;
    input.setAttribute("aria-label", "Monthly budget of " + account.email);
    const save = document.createElement("button");
    save.type = "submit"; save.textContent = "Set";
    form.append(input, save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("PUT", "/api/v1/admin/accounts/" + account.id + "/budget",
          { monthlyBudgetUsd: input.value === "" ? null : Number(input.value) });
        say("Budget of " + account.email + " set to " + (input.value === "" ? "none" : input.value) + ".");
      } catch (e) { say(e.message); }
    });
    return form;
  }

  async function loadConsole() {
    const [fleet, accounts, releases] = await Promise.all([
      api("GET", "/api/v1/admin/fleet"),
      api("GET", "/api/v1/admin/accounts?limit=200"),
      api("GET", "/api/v1/admin/releases?limit=20"),
    ]);
    $("budget-capped").hidden = !fleet.budgetCapped;
    $("budget-capped").textContent = fleet.budgetNotice || "";
    const d = fleet.decision;
    $("fleet-decision").textContent = d == null
      ? "The autoscaler has not published a decision yet (is a scheduler with a fleet running?)."
      : d.fleet + ": " + d.current + " agent(s), " + d.desired + " wanted. " + d.reason
        + " Queued " + d.queued + ", leased " + d.leased + ". Spent $" + usd(d.spend) + " of "
        + (d.budget == null ? "no global budget" : "$" + usd(d.budget)) + " this month."
        + " Decided " + fleet.decisionAgeSeconds + " s ago.";
    clear("agents");
    for (const a of fleet.agents) {
      row("agents", [a.agentId, a.instanceId, a.instanceType, a.ami, a.version, a.device,
        a.state + (a.drainReason ? " (" + a.drainReason + ")" : ""), a.leases, a.shardsDone,
        a.shardsFailed, a.lastHeartbeat]);
    }
    if (fleet.agents.length === 0) row("agents", ["No live agents."]);
    clear("accounts");
    for (const a of accounts.items) {
      row("accounts", [a.email + (a.disabled ? " (disabled)" : ""), a.role, a.jobs,
        usd(a.monthSpendUsd), budgetEditor(a)]);
    }
    $("releases-note").textContent = releases.note || "";
    clear("releases");
    for (const r of releases.items) {
      row("releases", [r.at, r.actor, r.action, r.role, r.ami,
        r.fromColor ? r.fromColor + " -> " + r.toColor : "", r.outcome, r.reason]);
    }
  }

  async function enter() {
    const me = await api("GET", "/api/v1/account");
    $("who").textContent = me.email;
    $("auth").hidden = true;
    $("work").hidden = false;
    if (me.role === "ADMIN") {
      $("console").hidden = false;
      await loadConsole();
    }
  }

  $("console-refresh").addEventListener("click", () => loadConsole().catch((e) => say(e.message)));

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
