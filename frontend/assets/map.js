// The maps: Leaflet (bundled from npm) drawn from the platform's own data. Always the country's
// outline (kazakhstan.geojson, Natural Earth, bundled: see outline.mjs); a basemap only where the
// settings give one: a PMTiles archive served by the site itself (pmtiles-layer.js, its own chunk),
// or an online tile URL (the CSP of a page with a map allows that origin only). So with the default
// settings no request leaves the site.
//
// initMap: points of a list (events, dumps), clustered on a grid of the screen, each to its page.
// initPointPicker: a form's point; a click or tap (or Enter at the centre) writes its inputs.
import L from "leaflet";
import outline from "./kazakhstan.geojson";

// The country's box (as dumps/places.py), for a map with no point yet.
const COUNTRY = [
  [40.5, 46.4],
  [55.5, 87.4],
];
const CELL = 48; // px: the points in one square of this size on the screen are drawn as one cluster
const MAX_ZOOM = 18;

function loadStylesheet(href) {
  if (document.querySelector(`link[data-map-stylesheet]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  link.dataset.mapStylesheet = "";
  document.head.append(link);
}

function asText(text) {
  // Leaflet's attribution is HTML: the setting's text goes in as text.
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

async function addBasemap(map, container) {
  const { pmtiles, tiles, attribution } = container.dataset;
  if (pmtiles) {
    const { pmtilesLayer } = await import("./pmtiles-layer.js");
    const layer = await pmtilesLayer(L, new URL(pmtiles, document.baseURI).href, { maxZoom: MAX_ZOOM, attribution: asText(attribution) });
    layer.addTo(map);
    container.classList.add("event-map--basemap");
  } else if (tiles) {
    L.tileLayer(tiles, { maxZoom: MAX_ZOOM, attribution: asText(attribution) }).addTo(map);
    container.classList.add("event-map--basemap");
  }
}

function baseMap(container, stylesheetUrl) {
  loadStylesheet(stylesheetUrl);
  container.closest("[data-map-block]").hidden = false;
  const map = L.map(container, { scrollWheelZoom: false, zoomControl: false, maxZoom: MAX_ZOOM });
  L.control.zoom({ zoomInTitle: container.dataset.zoomIn, zoomOutTitle: container.dataset.zoomOut }).addTo(map);
  map.attributionControl.setPrefix(false);
  L.geoJSON(outline, { interactive: false, style: { className: "map-outline" } }).addTo(map);
  addBasemap(map, container).catch(() => {}); // no basemap (a missing or broken file): the outline is the map
  return map;
}

function pinLink(pin) {
  const anchor = document.createElement("a");
  anchor.href = pin.url;
  anchor.textContent = pin.title; // data, never HTML
  anchor.translate = false;
  return anchor;
}

function pinMarker(pin, kind) {
  const icon = L.divIcon({ className: `map-pin map-pin--${kind}`, iconSize: [18, 18] });
  const marker = L.marker([pin.lat, pin.lon], { icon, title: pin.title, keyboard: true });
  // The title is data (an event's or a dump's), not the interface: as the list's, never translated.
  marker.on("add", () => marker.getElement()?.setAttribute("translate", "no"));
  return marker.bindPopup(pinLink(pin));
}

function clusterMarker(map, group, kind, words) {
  const count = document.createElement("span");
  count.textContent = String(group.length);
  const size = group.length < 10 ? 32 : group.length < 100 ? 38 : 44;
  const icon = L.divIcon({ className: `map-cluster map-cluster--${kind}`, html: count, iconSize: [size, size] });
  const lat = group.reduce((sum, pin) => sum + pin.lat, 0) / group.length;
  const lon = group.reduce((sum, pin) => sum + pin.lon, 0) / group.length;
  const marker = L.marker([lat, lon], { icon, title: `${words.cluster} (${group.length})`, keyboard: true });
  const bounds = L.latLngBounds(group.map((pin) => [pin.lat, pin.lon]));
  const together = bounds.getNorthEast().equals(bounds.getSouthWest());
  if (together || map.getZoom() >= map.getMaxZoom()) {
    // One place (or no closer view): the popup lists them, each to its page.
    const list = document.createElement("ul");
    list.className = "map-popup-list";
    for (const pin of group) {
      const item = document.createElement("li");
      item.append(pinLink(pin));
      list.append(item);
    }
    marker.bindPopup(list);
  } else {
    marker.on("click", () => map.fitBounds(bounds, { padding: [40, 40] }));
  }
  return marker;
}

// The pins on a grid of CELL px at the map's zoom: a square with one pin shows it, a square with more
// shows their number. Drawn again at every zoom; single pins first, then the clusters.
function drawPoints(map, layer, pins, kind, words) {
  layer.clearLayers();
  const zoom = map.getZoom();
  const cells = new Map();
  for (const pin of pins) {
    const point = map.project([pin.lat, pin.lon], zoom);
    const key = `${Math.floor(point.x / CELL)}:${Math.floor(point.y / CELL)}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(pin);
  }
  const groups = [...cells.values()];
  for (const group of groups.filter((g) => g.length === 1)) pinMarker(group[0], kind).addTo(layer);
  for (const group of groups.filter((g) => g.length > 1)) clusterMarker(map, group, kind, words).addTo(layer);
}

export function initMap(container, stylesheetUrl) {
  // The pins come from json_script (an inert application/json element) and are read as data only.
  const pins = JSON.parse(document.getElementById(container.dataset.pins)?.textContent || "[]").filter(
    (pin) => Number.isFinite(pin.lat) && Number.isFinite(pin.lon),
  );
  if (pins.length === 0) return null;
  const map = baseMap(container, stylesheetUrl);
  const kind = container.classList.contains("event-map--dumps") ? "dumps" : "events";
  const words = { cluster: container.dataset.cluster };
  const layer = L.layerGroup().addTo(map);
  map.on("zoomend", () => drawPoints(map, layer, pins, kind, words));
  map.fitBounds(L.latLngBounds(pins.map((pin) => [pin.lat, pin.lon])), { padding: [30, 30], maxZoom: 13 });
  drawPoints(map, layer, pins, kind, words);
  container.dataset.ready = "";
  return map;
}

export function initPointPicker(container, stylesheetUrl) {
  const latitude = document.getElementById(container.dataset.latitude);
  const longitude = document.getElementById(container.dataset.longitude);
  if (!latitude || !longitude) return null;
  const map = baseMap(container, stylesheetUrl);
  let marker = null;

  const current = () => {
    const lat = Number.parseFloat(latitude.value);
    const lon = Number.parseFloat(longitude.value);
    return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lat, lon] : null;
  };
  const show = () => {
    const point = current();
    if (!point) {
      marker?.remove();
      marker = null;
    } else if (marker) {
      marker.setLatLng(point);
    } else {
      const icon = L.divIcon({ className: "map-pin map-pin--chosen", iconSize: [22, 22] });
      marker = L.marker(point, { icon, interactive: false, keyboard: false }).addTo(map);
    }
  };
  const choose = (latlng) => {
    const wrapped = latlng.wrap();
    latitude.value = wrapped.lat.toFixed(5);
    longitude.value = wrapped.lng.toFixed(5);
    for (const input of [latitude, longitude]) input.dispatchEvent(new Event("change", { bubbles: true }));
    show();
  };

  map.on("click", (event) => choose(event.latlng));
  container.addEventListener("keydown", (event) => {
    if (event.target === container && event.key === "Enter") {
      event.preventDefault(); // not the form's submit
      choose(map.getCenter());
    }
  });
  latitude.addEventListener("input", show);
  longitude.addEventListener("input", show);
  const point = current();
  if (point) map.setView(point, 12);
  else map.fitBounds(COUNTRY);
  show();
  container.dataset.ready = "";
  return map;
}
