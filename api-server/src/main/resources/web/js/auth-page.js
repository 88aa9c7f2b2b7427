// Log in, sign up, and the screen shown when a session has ended.
import { authenticate, session } from "./api.js";
import { h, fill, field, notice, heading, flash } from "./dom.js";
import { go } from "./router.js";

function nextOf(query) {
  const next = query.get("next");
  return next && next.startsWith("/") && !next.startsWith("/login") && !next.startsWith("/session-ended") ? "#" + next : "#/jobs";
}

function authForm(main, query, action) {
  const signup = action === "signup";
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", {
    type: "password", name: "password", required: true, minlength: signup ? "10" : null,
    autocomplete: signup ? "new-password" : "current-password",
  });
  const submit = h("button", { type: "submit", class: "btn primary" }, signup ? "Create account" : "Log in");
  const message = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card narrow", novalidate: false },
    field("E-mail", email),
    field("Password", password, signup ? "At least 10 characters; a passphrase of a few words is good." : null),
    message, submit,
    h("p", { class: "muted" }, signup
      ? ["Have an account? ", h("a", { href: "#/login" + (query.get("next") ? "?next=" + encodeURIComponent(query.get("next")) : "") }, "Log in")]
      : ["New here? ", h("a", { href: "#/signup" }, "Create an account")]));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    submit.disabled = true;
    fill(message);
    try {
      await authenticate(action, email.value.trim(), password.value);
      flash("ok", signup ? "Welcome to Kiln, " + session.account.email + "." : "Logged in as " + session.account.email + ".");
      go(nextOf(query));
    } catch (e) {
      fill(message, notice("error", e.message));
      submit.disabled = false;
    }
  });
  fill(main, heading(signup ? "Create your account" : "Log in"), form);
  email.focus();
}

export function loginPage(main, { query }) {
  if (session.account) { go(nextOf(query), true); return; }
  authForm(main, query, "login");
}

export function signupPage(main, { query }) {
  if (session.account) { go("#/jobs", true); return; }
  authForm(main, query, "signup");
}

export function sessionEndedPage(main, { query }) {
  const next = query.get("next") || "/jobs";
  fill(main, heading("Your session ended"),
    h("div", { class: "card narrow", role: "alert" },
      h("p", { class: "note info" }, h("span", { class: "icon", "aria-hidden": "true" }, "ℹ"),
        " You were signed out: the session expired, you logged out in another tab, or your password or account changed."),
      h("p", {}, "Log in again to carry on where you were."),
      h("a", { class: "btn primary", href: "#/login?next=" + encodeURIComponent(next) }, "Log in again")));
}
