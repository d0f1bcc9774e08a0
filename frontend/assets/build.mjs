// `npm run build`: bundle the browser code into frontend/static/frontend/dist/ (committed, so running
// the site needs no Node). Deterministic: the same sources and package-lock give the same files.
import { rmSync } from "node:fs";
import * as esbuild from "esbuild";

const outdir = "frontend/static/frontend/dist";
rmSync(outdir, { recursive: true, force: true });

const common = { bundle: true, minify: true, target: ["es2020"], logLevel: "info", charset: "utf8" };

// The pages' code: one small module; the scanner (jsQR), the map (Leaflet) and its PMTiles basemap
// reader (pmtiles) load only where used.
await esbuild.build({
  ...common,
  entryPoints: { taza: "frontend/assets/taza.js" },
  outdir,
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // The country's outline (assets/outline.mjs writes it), bundled into the map's chunk.
  loader: { ".geojson": "json" },
});

// The service worker is a classic script served at /sw.js.
await esbuild.build({ ...common, entryPoints: { sw: "frontend/assets/sw.js" }, outdir, format: "iife" });

// Leaflet's stylesheet with its images, linked by the map only when it starts.
await esbuild.build({
  ...common,
  entryPoints: { leaflet: "node_modules/leaflet/dist/leaflet.css" },
  outdir,
  loader: { ".png": "file", ".svg": "file" },
  assetNames: "images/[name]-[hash]",
});
