// `node frontend/assets/outline.mjs`: Kazakhstan's outline for the maps, written once into
// frontend/assets/kazakhstan.geojson (committed; the map chunk bundles it). The source is the npm
// package world-atlas (ISC), Natural Earth's 1:50m Admin 0 countries (public domain data, version
// 4.1.0), converted from TopoJSON with topojson-client. Coordinates are rounded to 0.001° (about
// 100 m, far below what 1:50m draws). Run again only to change the source.
import { readFileSync, writeFileSync } from "node:fs";
import { feature } from "topojson-client";

const KAZAKHSTAN = "398"; // ISO 3166-1 numeric, world-atlas's feature id
const world = JSON.parse(readFileSync("node_modules/world-atlas/countries-50m.json", "utf8"));
const country = feature(world, world.objects.countries).features.find((f) => f.id === KAZAKHSTAN);
if (!country) throw new Error("Kazakhstan is not in world-atlas's countries");

const round = (ring) => ring.map(([lon, lat]) => [Math.round(lon * 1000) / 1000, Math.round(lat * 1000) / 1000]);
const { type, coordinates } = country.geometry;
const polygons = type === "Polygon" ? [coordinates] : coordinates;
const outline = {
  type: "Feature",
  properties: { name: "Kazakhstan", source: "Natural Earth 1:50m Admin 0 (public domain), via world-atlas 2.0.2" },
  geometry: { type: "MultiPolygon", coordinates: polygons.map((polygon) => polygon.map(round)) },
};
writeFileSync("frontend/assets/kazakhstan.geojson", JSON.stringify(outline) + "\n");
console.log(`${polygons.length} polygon(s), ${polygons.flat(2).length} points`);
