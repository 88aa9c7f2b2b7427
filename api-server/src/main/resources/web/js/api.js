// The session (a short access token in memory, renewed through the HttpOnly refresh cookie) and
// calls to the API, whose errors become ApiError with the problem's detail.

const SIGNED_IN = "kiln.signedIn";
let access = null;
let refreshing = null;
let renewTimer = 0;
const listeners = new Set();

export const session = { account: null };

export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** Called with "in" or "ended" (the session could not be renewed) or "out" (logged out). */
export function onSession(listener) { listeners.add(listener); }
const tell = (what) => listeners.forEach((listener) => listener(what));

export const signedInBefore = () => localStorage.getItem(SIGNED_IN) === "1";

export function adopt(answer) {
  access = { token: answer.accessToken, expiresAt: Date.parse(answer.expiresAt) };
  session.account = answer.account;
  localStorage.setItem(SIGNED_IN, "1");
  clearTimeout(renewTimer);
  const lifetime = access.expiresAt - Date.now();
  const wait = Math.max(5_000, lifetime - Math.min(60_000, lifetime / 4));
  renewTimer = setTimeout(() => refresh(), wait);
}

export function token() { return access && access.token; }

/** Renews the access token with the refresh cookie; true when the session goes on. */
export function refresh() {
  if (!refreshing) {
    const exchange = async () => {
      const response = await fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" });
      if (!response.ok) return false;
      adopt(await response.json());
      return true;
    };
    // One tab at a time: a refresh cookie works once, so a second tab must wait for the next one.
    const locked = navigator.locks ? () => navigator.locks.request("kiln-refresh", exchange) : exchange;
    refreshing = locked().catch(() => false).finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** Resumes the session after a reload: "in", "ended" (the cookie no longer holds) or "none". */
export async function resume() {
  if (!signedInBefore()) return "none";
  if (!(await refresh())) {
    localStorage.removeItem(SIGNED_IN);
    return "ended";
  }
  await loadAccount();
  return "in";
}

async function loadAccount() {
  session.account = await api("GET", "/api/v1/account");
  return session.account;
}

export async function authenticate(action, email, password) {
  const answer = await call("POST", "/api/v1/auth/" + action, { email, password }, false);
  adopt(answer);
  await loadAccount();
  tell("in");
}

export async function logout() {
  try { await api("POST", "/api/v1/auth/logout"); } catch (e) { /* the session may be over already */ }
  forget();
  tell("out");
}

/** Drops the session locally (after logout, account deletion or a password change elsewhere). */
export function forget() {
  access = null;
  session.account = null;
  clearTimeout(renewTimer);
  localStorage.removeItem(SIGNED_IN);
}

function ended() {
  const was = access != null || signedInBefore();
  access = null;
  session.account = null;
  clearTimeout(renewTimer);
  localStorage.removeItem(SIGNED_IN);
  if (was) tell("ended");
}

async function call(method, path, body, authorized) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (authorized && access) headers.Authorization = "Bearer " + access.token;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return read(response);
}

async function read(response) {
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = { detail: text.slice(0, 200) }; }
  }
  if (!response.ok) {
    const message = data && (data.detail || data.title) ? (data.detail || data.title) : "The server answered " + response.status + ".";
    throw new ApiError(response.status, message, data);
  }
  return data;
}

/** Calls the API as the signed-in account; renews the session once on 401. */
export async function api(method, path, body) {
  if (access && access.expiresAt - Date.now() < 20_000) await refresh();
  try {
    return await call(method, path, body, true);
  } catch (e) {
    if (e.status !== 401) throw e;
    if (!(await refresh())) {
      ended();
      throw new ApiError(401, "Your session has ended; log in again.");
    }
    return call(method, path, body, true);
  }
}

/** Fetches a protected download as a file the browser saves. */
export async function download(path, fileName) {
  const get = () => fetch(path, { headers: { Authorization: "Bearer " + token() } });
  let response = await get();
  if (response.status === 401 && (await refresh())) response = await get();
  if (!response.ok) await read(response);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Follows a server-sent event stream, resuming with Last-Event-ID whenever the server ends it or
 * the connection drops, until an "end" event or until signal aborts. onEvent(type, data, id).
 */
export async function follow(path, onEvent, signal) {
  let lastId = null;
  let pause = 1000;
  while (!signal.aborted) {
    try {
      if (!access || access.expiresAt - Date.now() < 20_000) await refresh();
      const headers = { Accept: "text/event-stream", Authorization: "Bearer " + token() };
      if (lastId) headers["Last-Event-ID"] = lastId;
      const response = await fetch(path, { headers, signal, cache: "no-store" });
      if (response.status === 401) {
        if (!(await refresh())) { ended(); return; }
        continue;
      }
      if (!response.ok) throw new Error("event stream answered " + response.status);
      pause = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, "\n");
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let type = "message";
          let id = null;
          const data = [];
          for (const line of block.split("\n")) {
            const colon = line.indexOf(":");
            const name = colon < 0 ? line : line.slice(0, colon);
            const content = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (name === "event") type = content;
            else if (name === "data") data.push(content);
            else if (name === "id") id = content;
          }
          if (id) lastId = id;
          if (!data.length) continue;
          let parsed = data.join("\n");
          try { parsed = JSON.parse(parsed); } catch (e) { /* plain text */ }
          onEvent(type, parsed, id);
          if (type === "end") return;
        }
      }
    } catch (e) {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 15_000);
  }
}

/** Pages of a keyset list: {items, nextCursor}; tolerates a bare array. */
export async function page(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value != null && value !== "") query.set(key, value);
  }
  const qs = query.toString();
  const data = await api("GET", path + (qs ? (path.includes("?") ? "&" : "?") + qs : ""));
  return Array.isArray(data) ? { items: data, nextCursor: null } : data;
}
