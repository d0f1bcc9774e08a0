// The event finder's map: Leaflet (bundled from npm) with tiles from the one host the settings name
// (TAZA_MAP_TILE_URL, given in data-tiles; the CSP allows no other). The map shows only once a tile
// has loaded; without tiles (offline, blocked) the list below stays the finder.
import L from "leaflet";

export function initMap(container, stylesheetUrl, words) {
  // The pins come from json_script (an inert application/json element) and are read as data only.
  const pins = JSON.parse(document.getElementById("event-pins")?.textContent || "[]");
  if (pins.length === 0 || !container.dataset.tiles) return;

  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = stylesheetUrl;
  document.head.append(link);

  container.hidden = false;
  container.classList.add("event-map--pending");
  const map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
  L.control.zoom({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut }).addTo(map);
  map.attributionControl.setPrefix(false);
  const tiles = L.tileLayer(container.dataset.tiles, {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright" translate="no">OpenStreetMap</a>',
  });
  tiles.once("tileload", () => {
    container.classList.remove("event-map--pending");
    map.invalidateSize();
  });
  tiles.addTo(map);

  const bounds = [];
  for (const pin of pins) {
    const marker = L.circleMarker([pin.lat, pin.lon], { radius: 9, color: "#06402e", fillColor: "#0b6e4f", fillOpacity: 0.9 });
    const anchor = document.createElement("a");
    anchor.href = pin.url;
    anchor.textContent = pin.title;
    marker.bindPopup(anchor).addTo(map);
    bounds.push([pin.lat, pin.lon]);
  }
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
}
