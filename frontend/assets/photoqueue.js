// The offline photo queue: photos chosen while the network is down are kept in IndexedDB (files
// are too large for localStorage) and sent to the API when the signal returns, even after a reload.
// Each photo gets its Idempotency-Key when it is queued, so sending it twice (a lost answer, two
// tabs) records it once. Without this script the form is a plain multipart post.

const DB = "taza-photos";
const STORE = "queue";

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result?.result ?? result);
    tx.onerror = () => reject(tx.error);
  });
}

export const photoQueue = {
  add: (item) => run("readwrite", (store) => store.put(item)),
  remove: (key) => run("readwrite", (store) => store.delete(key)),
  all: () => run("readonly", (store) => store.getAll()),
};

export function initPhotoQueue(form) {
  const status = form.querySelector("[data-photo-queue-status]");
  const texts = document.querySelector("[data-photo-queue-messages]")?.dataset || {};
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const mine = (item) => item.subject === form.dataset.subject && item.subject_id === form.dataset.subjectId;
  let sending = false;

  function say(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  async function showWaiting() {
    const waiting = (await photoQueue.all()).filter(mine).length;
    form.dataset.photoQueueCount = String(waiting);
    // A label and a figure, not a sentence with the count in it: no plural rules needed here.
    if (waiting > 0) say(`${texts.waiting || ""} ${waiting}`.trim());
    else if (!status.dataset.sent) say("");
  }

  async function send() {
    if (sending || !navigator.onLine) return showWaiting();
    sending = true;
    let sent = 0;
    try {
      for (const item of (await photoQueue.all()).filter(mine)) {
        const body = new FormData();
        body.append("file", new File([item.blob], item.name, { type: item.type }));
        for (const name of ["subject", "subject_id", "role"]) body.append(name, item[name]);
        let answer;
        try {
          answer = await fetch(form.dataset.api, {
            method: "POST",
            body,
            credentials: "same-origin",
            headers: { Accept: "application/json", "X-CSRFToken": csrf, "Idempotency-Key": item.key },
          });
        } catch {
          break; // still offline: keep it for the next signal
        }
        if (answer.ok) {
          await photoQueue.remove(item.key);
          sent += 1;
        } else if (answer.status >= 400 && answer.status < 500 && ![401, 403, 408, 429].includes(answer.status)) {
          // refused for good (not an image, too large): tell why and let it go
          const error = (await answer.json().catch(() => ({}))).error || {};
          const why = Object.values(error.fields || {}).flat().join(" ") || error.message || "";
          await photoQueue.remove(item.key);
          status.dataset.sent = "";
          say(`${texts.refused || ""} ${item.name}: ${why}`.trim());
          return;
        } else {
          break; // the server is busy or the session ended: try again later
        }
      }
    } finally {
      sending = false;
    }
    if (sent) {
      status.dataset.sent = "1";
      say(texts.sent || "");
      form.dataset.photoQueueSent = String(Number(form.dataset.photoQueueSent || 0) + sent);
    }
    await showWaiting();
  }

  form.addEventListener("submit", async (event) => {
    const input = form.querySelector("input[type=file]");
    const files = [...(input?.files || [])];
    if (!files.length) return; // the server says what is missing
    event.preventDefault();
    const role = form.querySelector("input[name=role]:checked")?.value || "after";
    for (const file of files) {
      await photoQueue.add({
        key: newKey(),
        subject: form.dataset.subject,
        subject_id: form.dataset.subjectId,
        role,
        name: file.name,
        type: file.type,
        blob: file,
        queued_at: new Date().toISOString(),
      });
    }
    input.value = "";
    delete status.dataset.sent;
    await send();
  });
  window.addEventListener("online", send);
  send();
}
