// The organiser's console: queued check-ins (scan or typed pass, and roster ticks while offline)
// uploaded through the API's batch endpoint, a visible queue count, and a roster that refreshes itself.
// Each scan gets one answer, which replaces the last: checked in (with the name), already checked in,
// not registered, invalid, or saved offline to upload.
import { CheckinQueue } from "./queue.js";

const ROSTER_POLL_MS = 5000;
const FLUSH_EVERY_MS = 15000;

export function initCheckin(root) {
  const queue = new CheckinQueue(root.dataset.event);
  const messages = root.querySelector("template[data-messages]")?.content;
  const text = (name) => messages?.querySelector(`[data-msg="${name}"]`)?.textContent.trim() || name;
  const answerBox = root.querySelector("[data-scan-answer]");
  const box = root.querySelector("[data-queue]");
  const count = root.querySelector("[data-queue-count]");
  const label = root.querySelector("[data-queue-label]");
  const offlineBadge = root.querySelector("[data-offline-badge]");
  const problems = root.querySelector("[data-queue-problems]");
  const roster = document.querySelector("[data-roster]");
  let flushing = false;
  let again = false;
  let latest = null; // the fact_id of the last scan, typed code or offline tick: the one answered

  // The answer of the last scan, and only it: a kind (its colour) and a message, with the name.
  function say(kind, message, name = "") {
    if (!answerBox) return;
    answerBox.dataset.answer = kind;
    answerBox.replaceChildren(message);
    if (name) {
      answerBox.append(" ", Object.assign(document.createElement("strong"), { translate: false, textContent: name }));
    }
  }

  const NOT_REGISTERED = new Set(["not_registered", "registration_not_found", "registration_cancelled"]);
  const INVALID = new Set(["invalid_pass", "pass_code_unknown"]);

  function answer(result) {
    const name = result.checkin?.volunteer_name || "";
    if (result.status === "ok") return say("ok", text("checked-in"), name);
    if (result.status === "duplicate") return say("duplicate", text("already"), name);
    const code = result.error?.code;
    if (NOT_REGISTERED.has(code)) return say("refused", text("not-registered"));
    if (INVALID.has(code)) return say("refused", text("invalid"));
    if (code === "pass_code_mistyped") return say("refused", text("mistyped"));
    return say("refused", result.error?.message || text("invalid"));
  }

  function show() {
    const waiting = queue.items().length;
    count.textContent = String(waiting);
    label.textContent = waiting === 1 ? label.dataset.one : label.dataset.many;
    offlineBadge.hidden = navigator.onLine;
    box.hidden = waiting === 0 && problems.children.length === 0;
  }

  async function refreshRoster() {
    if (!roster || !navigator.onLine || roster.contains(document.activeElement)) return;
    try {
      const response = await fetch(root.dataset.rosterUrl, { cache: "no-store", credentials: "same-origin" });
      // Only the roster fragment itself, not a page it was redirected to (signed out: the login page).
      if (response.ok && !response.redirected) {
        const html = await response.text();
        if (html !== roster.dataset.html) {
          // The fragment is the server's autoescaped template; parsed inertly (no script in it can
          // run) and moved in as nodes rather than assigned to innerHTML.
          const fragment = new DOMParser().parseFromString(html, "text/html");
          roster.replaceChildren(...fragment.body.childNodes);
          roster.dataset.html = html;
        }
      }
    } catch {
      // offline or the server is unreachable: keep what is shown
    }
  }

  async function flush() {
    const items = queue.items();
    if (flushing) {
      again = true; // scanned while the last upload was under way: upload it right after, not in 15 s
      return show();
    }
    if (items.length === 0 || !navigator.onLine) return show();
    flushing = true;
    const asked = latest;
    try {
      const response = await fetch(root.dataset.uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf, Accept: "application/json" },
        body: JSON.stringify({ items }),
      });
      if (!response.ok) {
        // the server refused the whole batch (signed out?): keep it queued
        if (asked && asked === latest) say("queued", text("queued"));
        return;
      }
      const body = await response.json();
      // Check-ins queued earlier (offline) that were refused are listed; the last scan is answered.
      problems.replaceChildren();
      for (const result of body.results) {
        if (result.fact_id === latest) {
          answer(result);
        } else if (result.status === "error") {
          const li = document.createElement("li");
          li.textContent = result.error?.message || result.status;
          problems.append(li);
        }
      }
      queue.remove(body.results.map((result) => result.fact_id));
      await refreshRoster();
    } catch {
      // the signal dropped during the upload: everything stays queued, fact ids keep it safe to resend
      if (asked && asked === latest) say("queued", text("queued"));
    } finally {
      flushing = false;
      show();
      if (again) {
        again = false;
        flush();
      }
    }
  }

  function enqueue(what) {
    const factId = queue.add(what);
    if (!factId) {
      say("queued", text("already-queued"));
    } else {
      latest = factId;
      problems.replaceChildren();
      say(navigator.onLine ? "checking" : "queued", text(navigator.onLine ? "checking" : "queued"));
      if (navigator.vibrate) navigator.vibrate(80);
    }
    show();
    flush();
  }

  // The typed or pasted pass goes through the queue too, so it works offline.
  const passForm = root.querySelector("[data-pass-form]");
  passForm?.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = passForm.querySelector("input[name=token]");
    const token = input.value.trim();
    if (!token) return;
    input.value = "";
    enqueue({ token });
  });

  // Roster ticks are plain form posts; without a signal they are queued instead.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-roster-tick]");
    if (!form || navigator.onLine) return;
    event.preventDefault();
    const line = form.closest("[data-registration]");
    enqueue({ registration_id: form.querySelector("input[name=registration_id]").value });
    line?.classList.add("roster__line--queued");
    form.replaceWith(Object.assign(document.createElement("span"), { textContent: "⏳" }));
  });

  // The camera, where the phone has one: jsQR is loaded only when asked for.
  const scanner = root.querySelector("[data-scanner]");
  if (scanner && navigator.mediaDevices?.getUserMedia) {
    scanner.hidden = false;
    const start = scanner.querySelector("[data-scan-start]");
    const stop = scanner.querySelector("[data-scan-stop]");
    const video = scanner.querySelector("[data-scan-video]");
    let session = null;
    // Loaded now, while there is a signal: the camera may be needed after it drops.
    const scannerModule = import("./scanner.js");
    start.addEventListener("click", async () => {
      const { startScanner } = await scannerModule;
      try {
        session = await startScanner(video, (token) => enqueue({ token }));
        start.hidden = true;
        stop.hidden = false;
      } catch {
        say("refused", text("camera-error"));
      }
    });
    stop.addEventListener("click", () => {
      session?.stop();
      session = null;
      start.hidden = false;
      stop.hidden = true;
    });
  }

  root.querySelector("[data-queue-flush]")?.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  setInterval(flush, FLUSH_EVERY_MS);
  setInterval(refreshRoster, ROSTER_POLL_MS);
  show();
  flush();
  root.dataset.ready = "true"; // scans typed from now on are answered here (before, the form posts)
}
