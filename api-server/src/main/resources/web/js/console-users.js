// Console: accounts with search and paging; role, disable, enable, delete, budget, quota, and
// prepaid credits (the balance, and grants with a memo for the statement).
import { api, session } from "./api.js";
import { h, bytes, usd, count, act, time, flash } from "./dom.js";
import { pagedList, select, text } from "./console-list.js";
import { credits, amountProblem } from "./credits-page.js";

const GIB = 1024 ** 3;

function editor(label, value, placeholder, save) {
  const input = h("input", { type: "number", min: "0", step: "any", value: value == null ? "" : String(value), placeholder, "aria-label": label, class: "short" });
  const button = h("button", { type: "submit", class: "btn small" }, "Set");
  const form = h("form", { class: "inline-edit" }, input, button);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    act(button, () => save(input.value === "" ? null : Number(input.value)), label + " saved.");
  });
  return form;
}

/** The account's credits and a form to grant more (audited; the memo shows on its statement). */
function creditsCell(a, reload) {
  const amount = h("input", { type: "text", inputmode: "decimal", name: "grantUsd", placeholder: "USD", autocomplete: "off", "aria-label": "Credits to grant to " + a.email, class: "short" });
  const memo = h("input", { type: "text", name: "grantMemo", maxlength: "200", placeholder: "memo", "aria-label": "Memo for the grant to " + a.email, class: "short" });
  const button = h("button", { type: "submit", class: "btn small" }, "Grant");
  const form = h("form", { class: "inline-edit", novalidate: true }, amount, memo, button);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const problem = amountProblem(amount.value);
    amount.setAttribute("aria-invalid", problem ? "true" : "false");
    if (problem) {
      flash("error", "Credits for " + a.email + ": " + problem);
      amount.focus();
      return;
    }
    act(button, async () => {
      const balance = await api("POST", "/api/v1/admin/accounts/" + a.id + "/credits",
        { amountUsd: Number(amount.value.trim()), memo: memo.value.trim() || null });
      await reload();
      return balance;
    }, (balance) => "Granted " + credits(amount.value.trim()) + " of credits to " + a.email + "; " + credits(balance.availableUsd) + " available now.");
  });
  const held = Number(a.creditsReservedUsd) > 0 ? h("div", { class: "muted" }, credits(a.creditsReservedUsd), " held") : null;
  return h("td", {}, h("span", { "data-credits": a.email }, credits(a.creditsAvailableUsd)), " available", held, form);
}

export async function usersView(view) {
  await pagedList(view, {
    path: "/api/v1/admin/accounts",
    caption: "Users",
    headers: ["E-mail", "Role", "State", "Jobs", "Storage (GiB quota)", "Spend / budget (USD)", "Credits (USD)", ""],
    filters: [
      { name: "q", label: "Search e-mail", input: text("q", "part of an e-mail") },
      { name: "role", label: "Role", input: select("role", [["", "Any role"], ["USER", "user"], ["ADMIN", "admin"]]) },
      { name: "state", label: "State", input: select("state", [["", "Any state"], ["active", "active"], ["disabled", "disabled"]]) },
    ],
    empty: "No account matches.",
    row: (a, reload) => {
      const self = session.account && a.id === session.account.id;
      const role = select("role-" + a.id, [["USER", "user"], ["ADMIN", "admin"]]);
      role.value = a.role;
      role.setAttribute("aria-label", "Role of " + a.email);
      role.addEventListener("change", () => act(role, async () => { await api("PUT", "/api/v1/admin/accounts/" + a.id + "/role", { role: role.value }); },
        a.email + " is now " + role.value.toLowerCase() + ".").then(() => reload()));
      return h("tr", { class: a.disabled ? "disabled" : null },
        h("td", {}, h("strong", {}, a.email), h("div", { class: "muted" }, "since ", time(a.createdAt))),
        h("td", {}, role),
        h("td", {}, a.disabled ? h("span", { class: "badge state-failed" }, "disabled") : h("span", { class: "badge state-succeeded" }, "active")),
        h("td", { class: "num" }, count(a.jobs)),
        h("td", {}, bytes(a.bytesUsed), a.quotaBytes != null ? " of " + bytes(a.quotaBytes) : "",
          editor("Quota of " + a.email, a.quotaBytes != null ? +(a.quotaBytes / GIB).toFixed(2) : null, "default",
            (gib) => api("PUT", "/api/v1/admin/accounts/" + a.id + "/quota", { quotaBytes: gib == null ? null : Math.round(gib * GIB) }))),
        h("td", {}, usd(a.monthSpendUsd), " spent",
          editor("Budget of " + a.email, a.monthlyBudgetUsd, "none",
            (value) => api("PUT", "/api/v1/admin/accounts/" + a.id + "/budget", { monthlyBudgetUsd: value }))),
        creditsCell(a, reload),
        h("td", { class: "actions" },
          a.disabled
            ? h("button", { type: "button", class: "btn small", onclick: (e) => act(e.currentTarget, async () => {
              await api("POST", "/api/v1/admin/accounts/" + a.id + "/enable"); await reload();
            }, a.email + " enabled.") }, "Enable")
            : h("button", { type: "button", class: "btn small danger", disabled: self, onclick: (e) => {
              if (!confirm("Disable " + a.email + "? They are logged out at once.")) return;
              act(e.currentTarget, async () => { await api("POST", "/api/v1/admin/accounts/" + a.id + "/disable"); await reload(); }, a.email + " disabled.");
            } }, "Disable"),
          h("button", { type: "button", class: "btn small danger", disabled: self, onclick: (e) => {
            if (!confirm("Delete " + a.email + " with every job and file? This cannot be undone.")) return;
            act(e.currentTarget, async () => { await api("DELETE", "/api/v1/admin/accounts/" + a.id); await reload(); }, a.email + " deleted.");
          } }, "Delete")));
    },
  });
}
