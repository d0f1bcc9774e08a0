// The event page's Share button: the system's share sheet where the browser has one (phones), else
// the link copied to the clipboard. The read-only link and the plain share links stay for everyone.
export function initShare(box) {
  const field = box.querySelector("[data-share-url]");
  const button = box.querySelector("[data-share-button]");
  const status = box.querySelector("[data-share-status]");
  if (!field || !button || !status) return;
  const url = field.value;
  const data = { title: document.querySelector("h1")?.textContent.trim() || document.title, url };
  const canShare = typeof navigator.share === "function" && (!navigator.canShare || navigator.canShare(data));
  const canCopy = typeof navigator.clipboard?.writeText === "function";
  field.addEventListener("focus", () => field.select());
  if (!canShare && !canCopy) return; // the field and the links are all there is: nothing to add
  button.hidden = false;
  button.addEventListener("click", async () => {
    status.textContent = "";
    if (canShare) {
      try {
        await navigator.share(data);
        return;
      } catch (error) {
        if (error?.name === "AbortError") return; // the person closed the sheet: nothing to say
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = button.dataset.copied;
    } catch {
      field.focus();
      status.textContent = button.dataset.failed;
    }
  });
}
