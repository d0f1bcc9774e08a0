// The offline check-in queue of one event, kept in localStorage so it survives a reload or a closed
// tab. Each item gets its fact_id when it is queued; the server records a fact_id once, so
// uploading an item twice (a lost answer, two tabs) never counts a volunteer twice.

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class CheckinQueue {
  constructor(eventId) {
    this.key = `taza.checkins.${eventId}`;
  }

  items() {
    try {
      return JSON.parse(localStorage.getItem(this.key) || "[]");
    } catch {
      return [];
    }
  }

  save(items) {
    localStorage.setItem(this.key, JSON.stringify(items));
  }

  /** Queue a check-in ({token} or {registration_id}); its fact_id, or null if the same one is waiting already. */
  add(what) {
    const items = this.items();
    const same = items.some(
      (item) =>
        (what.token && item.token === what.token) ||
        (what.registration_id && item.registration_id === what.registration_id),
    );
    if (same) return null;
    const item = { fact_id: newId(), checked_in_at: new Date().toISOString(), ...what };
    items.push(item);
    this.save(items);
    return item.fact_id;
  }

  /** Forget the items the server answered (recorded, counted before, or refused for good). */
  remove(factIds) {
    const done = new Set(factIds);
    this.save(this.items().filter((item) => !done.has(item.fact_id)));
  }
}
