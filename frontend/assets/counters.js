// The home page's counters: poll the national totals and update the figures without a reload.
import { formatClock, formatMetric } from "./format.js";

const POLL_MS = 4000;

export function initCounters(root, language) {
  const url = root.dataset.liveTotals;
  let position = Number(root.dataset.position || 0);

  async function poll() {
    if (document.hidden || !navigator.onLine) return;
    let answer;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) return;
      answer = await response.json();
    } catch {
      return; // no signal: try again at the next tick
    }
    for (const time of root.querySelectorAll("[data-fresh]")) {
      time.dateTime = answer.as_of_time || "";
      time.textContent = formatClock(answer.as_of_time, language);
    }
    if (answer.as_of_position === position) return;
    position = answer.as_of_position;
    root.dataset.position = String(position);
    const parts = { total: answer.data.total, verified: answer.data.verified };
    for (const element of root.querySelectorAll("[data-metric]")) {
      const value = parts[element.dataset.part]?.[element.dataset.metric];
      if (value === undefined || String(value) === element.dataset.value) continue;
      element.dataset.value = String(value);
      element.textContent = formatMetric(element.dataset.metric, value, language);
      element.classList.add("is-changed");
      setTimeout(() => element.classList.remove("is-changed"), 1500);
    }
  }

  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
}
