// Starts the UI: resumes the session, draws the header and routes #/paths to pages.
import { session, resume, logout, onSession } from "./api.js";
import { h, fill, clearFlash, flash } from "./dom.js";
import { where, here, go, onRoute } from "./router.js";
import { loginPage, signupPage, sessionEndedPage } from "./auth-page.js";
import { jobsPage } from "./jobs-page.js";
import { jobPage } from "./job-page.js";
import { newJobPage } from "./new-job-page.js";
import { filesPage, filePage } from "./files-page.js";
import { accountPage } from "./account-page.js";
import { creditsPage } from "./credits-page.js";
import { consolePage } from "./console-page.js";

const PUBLIC = [
  [/^\/login$/, loginPage],
  [/^\/signup$/, signupPage],
  [/^\/session-ended$/, sessionEndedPage],
];
const PRIVATE = [
  [/^\/jobs$/, jobsPage],
  [/^\/jobs\/new$/, newJobPage],
  [/^\/jobs\/([0-9a-fA-F-]{36})$/, jobPage],
  [/^\/files$/, filesPage],
  [/^\/files\/([0-9a-fA-F-]{36})$/, filePage],
  [/^\/account$/, accountPage],
  [/^\/credits$/, creditsPage],
  [/^\/console(?:\/([a-z-]+))?$/, consolePage],
];

const main = document.getElementById("main");
let current = null;

function header() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  const account = session.account;
  if (!account) {
    fill(nav);
    fill(who, h("a", { href: "#/login" }, "Log in"), " ", h("a", { href: "#/signup", class: "btn small" }, "Sign up"));
    return;
  }
  const links = [["#/jobs", "Jobs"], ["#/jobs/new", "New job"], ["#/files", "Files"], ["#/credits", "Credits"], ["#/account", "Account"]];
  if (account.role === "ADMIN") links.push(["#/console", "Console"]);
  const path = where().path;
  fill(nav, h("ul", {}, links.map(([href, text]) => {
    const active = path === href.slice(1) || (href === "#/jobs" && /^\/jobs\/[0-9a-f-]{36}$/i.test(path))
      || (href !== "#/jobs" && href !== "#/jobs/new" && path.startsWith(href.slice(1)));
    return h("li", {}, h("a", { href, "aria-current": active ? "page" : null }, text));
  })));
  fill(who, h("span", { class: "email", title: account.email }, account.email), " ",
    h("button", { type: "button", class: "link", onclick: async () => { await logout(); flash("ok", "You are logged out."); go("#/login"); } }, "Log out"));
}

async function route() {
  if (current) current.abort();
  const controller = new AbortController();
  current = controller;
  const { path, query } = where();
  let page = null;
  let match = null;
  for (const [pattern, handler] of PUBLIC) if ((match = path.match(pattern))) { page = handler; break; }
  if (!page) {
    for (const [pattern, handler] of PRIVATE) if ((match = path.match(pattern))) { page = handler; break; }
    if (page && !session.account) {
      go("#/login?next=" + encodeURIComponent(here()), true);
      return;
    }
  }
  header();
  if (!page) {
    fill(main, h("h1", {}, "Page not found"), h("p", {}, "There is nothing at ", h("code", {}, path), ". ", h("a", { href: "#/jobs" }, "Go to your jobs.")));
    return;
  }
  fill(main, h("p", { class: "muted" }, "Loading…"));
  try {
    await page(main, { params: match.slice(1), query, signal: controller.signal });
    if (!controller.signal.aborted) {
      const title = main.querySelector("h1");
      if (title && document.activeElement === document.body) title.focus({ preventScroll: true });
    }
  } catch (e) {
    if (controller.signal.aborted || e.status === 401) return;
    fill(main, h("h1", {}, "Something went wrong"), h("p", { class: "note error", role: "alert" },
      h("span", { class: "icon", "aria-hidden": "true" }, "✖"), " ", e.message || String(e)));
  }
}

onSession((what) => {
  if (what === "ended") {
    const { path } = where();
    if (path !== "/session-ended" && path !== "/login") go("#/session-ended?next=" + encodeURIComponent(here()));
  } else {
    header();
  }
});

document.getElementById("skip").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

onRoute(route);
window.addEventListener("hashchange", () => { clearFlash(1500); route(); });

(async () => {
  const resumed = await resume().catch(() => "ended");
  const { path } = where();
  if (resumed === "ended" && path !== "/login" && path !== "/signup" && path !== "/session-ended") {
    go("#/session-ended?next=" + encodeURIComponent(here()), true);
    return;
  }
  route();
})();
