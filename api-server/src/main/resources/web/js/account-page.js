// The account: storage and budget use, API keys (the secret shown once), password, deletion.
import { api, adopt, forget, session } from "./api.js";
import { h, fill, field, notice, heading, table, time, bytes, usd, act, flash } from "./dom.js";
import { go } from "./router.js";

function meter(label, used, limit, text) {
  return h("div", { class: "meter-row" }, h("span", {}, label),
    limit ? h("meter", { min: "0", max: String(limit), value: String(Math.min(used, limit)), high: String(limit * 0.8), optimum: "0", "aria-label": label }) : null,
    h("span", { class: "muted" }, text));
}

export async function accountPage(main) {
  const [account, usage] = await Promise.all([
    api("GET", "/api/v1/account"),
    api("GET", "/api/v1/account/usage").catch(() => null),
  ]);
  const keys = h("div", {});
  const secret = h("div", { "aria-live": "polite" });

  async function loadKeys() {
    const list = await api("GET", "/api/v1/account/api-keys");
    fill(keys, table("API keys", ["Name", "Key", "Created", "Last used", ""], list.map((key) => h("tr", {},
      h("td", {}, key.name),
      h("td", { class: "mono" }, key.prefix + "…"),
      h("td", {}, time(key.createdAt)),
      h("td", {}, key.lastUsedAt ? time(key.lastUsedAt) : "never"),
      h("td", {}, key.revokedAt ? h("span", { class: "muted" }, "revoked ", time(key.revokedAt))
        : h("button", { type: "button", class: "btn small danger", onclick: (e) => {
          if (!confirm("Revoke the key " + key.name + "? Programs using it stop working.")) return;
          act(e.currentTarget, async () => { await api("DELETE", "/api/v1/account/api-keys/" + key.id); await loadKeys(); }, "Key " + key.name + " revoked.");
        } }, "Revoke")))), "No API keys yet."));
  }

  const keyName = h("input", { name: "keyName", required: true, maxlength: "100", placeholder: "e.g. laptop CLI" });
  const keyForm = h("form", { class: "inline" }, field("New key name", keyName), h("button", { type: "submit", class: "btn primary" }, "Create key"));
  keyForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    await act(keyForm.querySelector("button"), async () => {
      const created = await api("POST", "/api/v1/account/api-keys", { name: keyName.value.trim() });
      const value = h("code", { class: "secret" }, created.key);
      fill(secret, h("div", { class: "note ok", role: "status" },
        h("span", { class: "icon", "aria-hidden": "true" }, "✔"),
        h("div", {}, h("p", {}, "Key ", h("strong", {}, created.name), " created. Copy it now: it is shown only once."), value,
          h("button", { type: "button", class: "btn small", onclick: async (ev) => {
            try { await navigator.clipboard.writeText(created.key); ev.target.textContent = "Copied"; } catch (err) { ev.target.textContent = "Select and copy it"; }
          } }, "Copy"))));
      keyName.value = "";
      await loadKeys();
    });
  });

  const current = h("input", { type: "password", name: "currentPassword", autocomplete: "current-password", required: true });
  const next = h("input", { type: "password", name: "newPassword", autocomplete: "new-password", minlength: "10", required: true });
  const passwordMessage = h("div", { "aria-live": "polite" });
  const passwordForm = h("form", { class: "stack" }, field("Current password", current), field("New password", next, "At least 10 characters."),
    passwordMessage, h("button", { type: "submit", class: "btn primary" }, "Change password"));
  passwordForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = passwordForm.querySelector("button");
    button.disabled = true;
    try {
      adopt(await api("POST", "/api/v1/account/password", { currentPassword: current.value, newPassword: next.value }));
      current.value = next.value = "";
      fill(passwordMessage, notice("ok", "Password changed. Other sessions are logged out."));
    } catch (err) {
      if (err.status !== 401) fill(passwordMessage, notice("error", err.message));
    } finally { button.disabled = false; }
  });

  const confirmPassword = h("input", { type: "password", name: "deletePassword", autocomplete: "current-password", required: true });
  const sure = h("input", { type: "checkbox", name: "sure", required: true });
  const deleteMessage = h("div", { "aria-live": "polite" });
  const deleteForm = h("form", { class: "stack" },
    h("p", {}, "Deleting the account removes every job, file and output, and cannot be undone."),
    field("Password", confirmPassword), h("label", { class: "pick" }, sure, " I understand that everything is deleted"),
    deleteMessage, h("button", { type: "submit", class: "btn danger" }, "Delete my account"));
  deleteForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = deleteForm.querySelector("button");
    button.disabled = true;
    try {
      await api("POST", "/api/v1/account/delete", { password: confirmPassword.value });
      forget();
      flash("ok", "Your account and everything in it are deleted.");
      go("#/signup");
    } catch (err) {
      if (err.status !== 401) fill(deleteMessage, notice("error", err.message));
      button.disabled = false;
    }
  });

  const usageRows = [meter("Storage", account.bytesUsed, account.quotaBytes, bytes(account.bytesUsed) + " of " + bytes(account.quotaBytes))];
  if (usage) {
    usageRows.push(meter("Spend this month", usage.monthSpendUsd, usage.monthlyBudgetUsd,
      usd(usage.monthSpendUsd) + (usage.monthlyBudgetUsd != null ? " of " + usd(usage.monthlyBudgetUsd) + " budget" : " (no budget set)")));
    if (usage.budgetRefusal) usageRows.push(notice("error", usage.budgetRefusal));
  }
  fill(main, heading("Account"),
    h("section", { class: "card", "aria-labelledby": "h-me" }, h("h2", { id: "h-me" }, account.email),
      h("p", { class: "muted" }, account.role === "ADMIN" ? "Administrator" : "User", " since ", time(account.createdAt)), usageRows),
    h("section", { class: "card", "aria-labelledby": "h-keys" }, h("h2", { id: "h-keys" }, "API keys"),
      h("p", { class: "muted" }, "For the command line and programs: send it as ", h("code", {}, "Authorization: Bearer <key>"), "."),
      keyForm, secret, keys),
    h("section", { class: "card", "aria-labelledby": "h-password" }, h("h2", { id: "h-password" }, "Password"), passwordForm),
    h("section", { class: "card danger-zone", "aria-labelledby": "h-delete" }, h("h2", { id: "h-delete" }, "Delete the account"), deleteForm));
  session.account = account;
  await loadKeys();
}
