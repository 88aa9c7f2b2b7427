// Prepaid credits: the balance, a month's statement (with its CSV), and buying more through the
// payment provider's checkout, which comes back to #/credits?paid=1.
import { api, download } from "./api.js";
import { h, fill, field, notice, heading, table, time, shortId, act } from "./dom.js";
import { setQuery } from "./router.js";

const BEFORE = "kiln.creditsBefore";
const MAX_USD = 100000;

/** Credits in USD, to the cent (a movement smaller than a cent keeps its digits). */
export function credits(value) {
  if (value == null) return "–";
  const n = Number(value);
  const digits = n !== 0 && Math.abs(n) < 0.01 ? 6 : 2;
  return (n < 0 ? "−$" : "$") + Math.abs(n).toFixed(digits);
}

const signed = (value) => Number(value) > 0 ? "+" + credits(value) : credits(value);
const thisMonth = () => new Date().toISOString().slice(0, 7);

/** Checks an amount typed in the buy form; answers the problem, or null when it is good. */
export function amountProblem(text) {
  const value = String(text).trim();
  if (!value) return "Enter how many US dollars of credits to buy.";
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return "Enter an amount in US dollars such as 20 or 12.50, to the cent.";
  const n = Number(value);
  if (n < 0.01 || n > MAX_USD) return "Enter an amount from $0.01 to $" + MAX_USD.toLocaleString("en-US") + ".";
  return null;
}

function statementTable(statement) {
  const rows = statement.lines.map((line) => h("tr", {},
    h("td", {}, time(line.at)),
    h("td", {}, h("span", { class: "badge kind-" + line.kind }, line.kind)),
    h("td", {}, line.jobId ? h("a", { href: "#/jobs/" + line.jobId, class: "mono" }, shortId(line.jobId)) : "–"),
    h("td", {}, line.memo || ""),
    h("td", { class: "num" }, signed(line.availableChangeUsd)),
    h("td", { class: "num" }, Number(line.reservedChangeUsd) ? signed(line.reservedChangeUsd) : "–"),
    h("td", { class: "num" }, credits(line.availableAfterUsd))));
  return table("Statement of " + statement.month, ["Date", "Kind", "Job", "Memo", "Available", "Held", "Available after"],
    rows, "No movement of credits in " + statement.month + ".");
}

export async function creditsPage(main, { query, signal }) {
  const month = h("input", { type: "month", name: "month", value: /^\d{4}-\d{2}$/.test(query.get("month") || "") ? query.get("month") : thisMonth(), max: thisMonth(), required: true });
  const statementBox = h("div", { "aria-live": "polite" });
  const balanceBox = h("div", { class: "stat-cards" });
  const paidBox = h("div", { "aria-live": "polite" });
  let balance = await api("GET", "/api/v1/credits");

  function drawBalance() {
    fill(balanceBox,
      h("div", { class: "stat-card" }, h("span", { class: "muted" }, "Available"), h("strong", { "data-balance": "available" }, credits(balance.availableUsd)),
        h("small", {}, balance.required ? "Each job holds its estimated cost when it starts." : "Jobs here run without credits.")),
      h("div", { class: "stat-card" }, h("span", { class: "muted" }, "Held by running jobs"), h("strong", { "data-balance": "reserved" }, credits(balance.reservedUsd)),
        h("small", {}, "Settled to the actual cost when each job ends.")));
  }

  async function loadStatement() {
    const value = month.value || thisMonth();
    const statement = await api("GET", "/api/v1/credits/statement?month=" + encodeURIComponent(value));
    fill(statementBox,
      h("p", { class: "muted" }, "Opening balance ", h("strong", {}, credits(statement.openingUsd)), " · closing balance ",
        h("strong", {}, credits(statement.closingUsd)), " · dates in your time zone, months in UTC."),
      statementTable(statement));
  }

  const csv = h("button", { type: "button", class: "btn" }, "Download CSV");
  csv.addEventListener("click", () => act(csv, () => download("/api/v1/credits/statement.csv?month=" + encodeURIComponent(month.value || thisMonth()),
    "kiln-credits-" + (month.value || thisMonth()) + ".csv")));
  const monthForm = h("form", { class: "inline", role: "search" }, field("Month", month), h("button", { type: "submit", class: "btn" }, "Show"), csv);
  monthForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!monthForm.reportValidity()) return;
    setQuery({ month: month.value });
    await act(monthForm.querySelector("button[type=submit]"), loadStatement);
  });

  fill(main, heading("Credits"), paidBox, balanceBox,
    h("section", { class: "card", "aria-labelledby": "h-buy" }, h("h2", { id: "h-buy" }, "Buy credits"), buyForm(balance)),
    h("section", { class: "card", "aria-labelledby": "h-statement" }, h("h2", { id: "h-statement" }, "Statement"), monthForm, statementBox));
  drawBalance();
  await loadStatement();
  if (query.get("paid") === "1") await awaitPayment();

  /** After the checkout: waits (up to a minute) for the provider's confirmation to credit the account. */
  async function awaitPayment() {
    const kept = sessionStorage.getItem(BEFORE);
    const before = kept == null ? NaN : Number(kept);
    sessionStorage.removeItem(BEFORE);
    const credited = () => !Number.isFinite(before) || Number(balance.availableUsd) > before;
    fill(paidBox, notice("ok", "Payment made; waiting for the payment provider to confirm it…"));
    for (let i = 0; i < 30 && !credited() && !signal.aborted; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      balance = await api("GET", "/api/v1/credits");
    }
    if (signal.aborted) return;
    drawBalance();
    await loadStatement();
    fill(paidBox, credited()
      ? notice("ok", "Payment received: your balance is now " + credits(balance.availableUsd) + ".")
      : notice("error", "The payment provider has not confirmed the payment yet. Reload this page in a few minutes; if the credits do not arrive, ask an administrator."));
  }
}

function buyForm(balance) {
  if (!balance.canBuy) {
    return h("p", { class: "note info", role: "status" }, h("span", { class: "icon", "aria-hidden": "true" }, "ℹ"), " ",
      "Credits cannot be bought on this installation. Ask an administrator to grant you some: they do it from the console's Users view.");
  }
  const amount = h("input", { type: "text", inputmode: "decimal", name: "amountUsd", required: true, placeholder: "20.00", autocomplete: "off", class: "short" });
  const message = h("div", { "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "btn primary" }, "Buy credits");
  const form = h("form", { class: "stack", novalidate: true },
    field("Amount (USD)", amount, "From $0.01 to $100,000, to the cent. You pay on the payment provider's page and come back here."),
    message, submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const problem = amountProblem(amount.value);
    amount.setAttribute("aria-invalid", problem ? "true" : "false");
    if (problem) {
      fill(message, notice("error", problem));
      amount.focus();
      return;
    }
    fill(message);
    submit.disabled = true;
    try {
      const checkout = await api("POST", "/api/v1/credits/checkout", { amountUsd: Number(amount.value.trim()) });
      sessionStorage.setItem(BEFORE, String(balance.availableUsd));
      submit.textContent = "Opening the checkout…";
      location.assign(checkout.url);
    } catch (err) {
      if (err.status !== 401) fill(message, notice("error", err.message));
      submit.disabled = false;
    }
  });
  return form;
}
