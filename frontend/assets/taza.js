// Taza's browser code: enhancements only; every page works without it. Each part starts where the
// page has its element; the heavy parts (checking in, the map) load on the pages that use them.
import { initCounters } from "./counters.js";
import { initShare } from "./share.js";
import { initNearMe } from "./nearme.js";

const language = document.body.dataset.language || document.documentElement.lang || "kk";
const staticBase = new URL(".", import.meta.url); // …/static/frontend/dist/

function registerServiceWorker() {
  const url = document.body.dataset.sw;
  if (!url || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {});
  // Signing out forgets the kept pages: a pass must not stay on a shared phone.
  for (const form of document.querySelectorAll('form[action$="/accounts/logout/"]')) {
    form.addEventListener("submit", () => navigator.serviceWorker.controller?.postMessage("forget-pages"));
  }
}

function keepPasses() {
  // Opening "My events" with a signal keeps every pass for later, not only the ones opened.
  if (!navigator.onLine || !navigator.serviceWorker?.controller) return;
  for (const link of document.querySelectorAll("[data-pass-link]")) {
    fetch(link.href, { credentials: "same-origin", mode: "same-origin", headers: { Accept: "text/html" } }).catch(() => {});
  }
}

function showOfflineNote() {
  for (const note of document.querySelectorAll("[data-offline-note]")) note.hidden = navigator.onLine;
}

function autosubmit() {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
}

function printButtons() {
  for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());
}

registerServiceWorker();
navigator.serviceWorker?.ready.then(keepPasses);
showOfflineNote();
window.addEventListener("online", showOfflineNote);
window.addEventListener("offline", showOfflineNote);
autosubmit();
printButtons();

const totals = document.querySelector("[data-live-totals]");
if (totals) initCounters(totals, language);

const finder = document.querySelector("[data-near-me-form]");
if (finder) initNearMe(finder);

const share = document.querySelector("[data-share]");
if (share) initShare(share);

const checkin = document.querySelector("[data-checkin]");
if (checkin) import("./checkin.js").then(({ initCheckin }) => initCheckin(checkin));

// Photos chosen offline wait on the phone and are sent when the signal returns (photoqueue.js).
const photoForm = document.querySelector("form[data-photo-queue]");
if (photoForm && "indexedDB" in window) import("./photoqueue.js").then(({ initPhotoQueue }) => initPhotoQueue(photoForm));

// The maps (map.js, with Leaflet): a list's points, or a form's point picker.
const maps = document.querySelectorAll("[data-map]");
const pickers = document.querySelectorAll("[data-point-map]");
if (maps.length || pickers.length) {
  const stylesheet = new URL("leaflet.css", staticBase).href;
  import("./map.js").then(({ initMap, initPointPicker }) => {
    for (const map of maps) initMap(map, stylesheet);
    for (const picker of pickers) initPointPicker(picker, stylesheet);
  });
}
