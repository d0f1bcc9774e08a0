// The organiser's console: queued check-ins (scan or typed pass, and roster ticks while offline)
// uploaded through the API's batch endpoint, a visible queue count, and a roster that refreshes itself.
import { CheckinQueue } from "./queue.js";

const ROSTER_POLL_MS = 5000;
const FLUSH_EVERY_MS = 15000;

export function initCheckin(root) {
  const queue = new CheckinQueue(root.dataset.event);
  const messages = root.querySelector("template[data-messages]")?.content;
  const text = (name) => messages?.querySelector(`[data-msg="${name}"]`)?.textContent.trim() || name;
  const status = root.querySelector("[data-scan-status]");
  const box = root.querySelector("[data-queue]");
  const count = root.querySelector("[data-queue-count]");
  const label = root.querySelector("[data-queue-label]");
  const offlineBadge = root.querySelector("[data-offline-badge]");
  const problems = root.querySelector("[data-queue-problems]");
  const roster = document.querySelector("[data-roster]");
  let flushing = false;

  function say(message) {
    if (status) status.textContent = message;
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
    if (flushing || items.length === 0 || !navigator.onLine) return show();
    flushing = true;
    try {
      const response = await fetch(root.dataset.uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf, Accept: "application/json" },
        body: JSON.stringify({ items }),
      });
      if (!response.ok) return; // the server refused the whole batch (signed out?): keep it queued
      const answer = await response.json();
      for (const result of answer.results) {
        if (result.status === "error") {
          const li = document.createElement("li");
          li.textContent = result.error?.message || result.status;
          problems.append(li);
        }
      }
      queue.remove(answer.results.map((result) => result.fact_id));
      say(text("uploaded"));
      await refreshRoster();
    } catch {
      // the signal dropped during the upload: everything stays queued, fact ids keep it safe to resend
    } finally {
      flushing = false;
      show();
    }
  }

  function enqueue(what) {
    if (!queue.add(what)) {
      say(text("already-queued"));
    } else {
      say(text("queued"));
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
        say(text("camera-error"));
      }
    });
    stop.addEventListener("click", () => {
      session?.stop();
      session = null;
      start.hidden = false;
      stop.hidden = true;
    });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  setInterval(flush, FLUSH_EVERY_MS);
  setInterval(refreshRoster, ROSTER_POLL_MS);
  show();
  flush();
}
