// "Near me" on the finder: asks the browser where the visitor is, rounds it to about a hundred
// metres (three decimals: the finder needs no more, and the address bar shows no more), puts it in
// the form's hidden lat/lon and sends the form. Without a location (refused, no signal, no
// support) the typed settlement still works; the button says why it did nothing.
export function initNearMe(form) {
  const button = form.querySelector("[data-near-me]");
  const status = form.querySelector("[data-near-me-status]");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.lat.value = position.coords.latitude.toFixed(3);
        form.elements.lon.value = position.coords.longitude.toFixed(3);
        form.elements.near.value = "";
        form.requestSubmit();
      },
      () => {
        button.disabled = false;
        status.textContent = button.dataset.refused;
      },
      { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 },
    );
  });
  // Typing a settlement replaces the location: the two never search together.
  form.elements.near.addEventListener("input", () => {
    form.elements.lat.value = "";
    form.elements.lon.value = "";
  });
}
