// A raster basemap read from a PMTiles archive (the npm package pmtiles) by HTTP ranges from the
// site's own address (frontend/views/maps.py). Each tile is decoded with createImageBitmap and drawn
// on a canvas, so no blob: URL is needed and the CSP's img-src stays 'self' data:. Loaded only by a
// map whose page names an archive.
import { PMTiles, TileType } from "pmtiles";

const RASTER = new Set([TileType.Png, TileType.Jpeg, TileType.Webp, TileType.Avif]);

export async function pmtilesLayer(L, url, options) {
  const archive = new PMTiles(url);
  const header = await archive.getHeader();
  if (!RASTER.has(header.tileType)) throw new Error("the basemap archive holds no raster tiles");

  const Layer = L.GridLayer.extend({
    createTile(coords, done) {
      const canvas = document.createElement("canvas");
      const size = this.getTileSize();
      canvas.width = size.x;
      canvas.height = size.y;
      archive
        .getZxy(coords.z, coords.x, coords.y)
        .then(async (tile) => {
          if (tile) {
            const image = await createImageBitmap(new Blob([tile.data]));
            canvas.getContext("2d").drawImage(image, 0, 0, size.x, size.y);
            image.close();
          }
          done(null, canvas);
        })
        .catch((error) => done(error, canvas));
      return canvas;
    },
  });
  return new Layer({
    ...options,
    className: "map-basemap",
    minNativeZoom: header.minZoom,
    maxNativeZoom: header.maxZoom,
    bounds: [
      [header.minLat, header.minLon],
      [header.maxLat, header.maxLon],
    ],
  });
}
