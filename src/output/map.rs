//! The HTML report's map: places placed by Web Mercator (the projection of
//! web map tiles), fitted to the map's box; with a tile URL, the zoom
//! level whose tiles fit and the tiles that cover the box.

use serde::Serialize;

/// The map's size in pixels, and the margin kept around the places.
pub(super) const WIDTH: f64 = 640.0;
pub(super) const HEIGHT: f64 = 420.0;
const PAD: f64 = 60.0;
/// The size of a map tile, and the deepest zoom level used.
const TILE: f64 = 256.0;
const MAX_ZOOM: i32 = 17;

/// A map tile: its address and where it goes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(super) struct Tile {
    pub(super) href: String,
    pub(super) x: f64,
    pub(super) y: f64,
}

/// Web Mercator in world units (`0..1` both ways, y down); latitudes past
/// ±85.0511° (where the projection ends) are clamped.
fn mercator([latitude, longitude]: [f64; 2]) -> (f64, f64) {
    let lat = latitude.clamp(-85.0511, 85.0511).to_radians();
    let x = (longitude + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x, y)
}

/// The places' positions in the box (to 0.1 px), and the tiles under them
/// when `tiles` is a URL template with `{z}`, `{x}` and `{y}`.
pub(super) fn layout(points: &[[f64; 2]], tiles: Option<&str>) -> (Vec<(f64, f64)>, Vec<Tile>) {
    let world: Vec<(f64, f64)> = points.iter().map(|&p| mercator(p)).collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, y) in &world {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    if world.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Pixels per world unit: the largest that fits, or with tiles the
    // largest zoom level's that fits.
    let fit = ((WIDTH - 2.0 * PAD) / (x1 - x0).max(1e-12)).min((HEIGHT - 2.0 * PAD) / (y1 - y0).max(1e-12));
    let zoom = (fit / TILE).log2().floor().clamp(0.0, f64::from(MAX_ZOOM));
    let scale = match tiles {
        Some(_) => TILE * zoom.exp2(),
        None => fit.min(TILE * f64::from(MAX_ZOOM).exp2()),
    };
    // The box's top left corner, in world pixels, centring the places.
    let left = (x0 + x1) / 2.0 * scale - WIDTH / 2.0;
    let top = (y0 + y1) / 2.0 * scale - HEIGHT / 2.0;
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let positions = world.iter().map(|&(x, y)| (round(x * scale - left), round(y * scale - top))).collect();
    let mut covering = Vec::new();
    if let Some(template) = tiles {
        let count = zoom.exp2() as i64;
        let first = |v: f64| (v / TILE).floor() as i64;
        for ty in first(top).max(0)..=first(top + HEIGHT).min(count - 1) {
            for tx in first(left)..=first(left + WIDTH) {
                let href = template
                    .replace("{z}", &format!("{zoom}"))
                    .replace("{x}", &tx.rem_euclid(count).to_string())
                    .replace("{y}", &ty.to_string());
                covering.push(Tile { href, x: round(tx as f64 * TILE - left), y: round(ty as f64 * TILE - top) });
            }
        }
    }
    (positions, covering)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_is_the_tile_projection() {
        // The equator and the prime meridian are the middle of the world,
        // north is up, east is right.
        assert_eq!(mercator([0.0, 0.0]), (0.5, 0.5));
        let (x, y) = mercator([85.0511, 180.0]);
        assert_eq!(x, 1.0);
        assert!(y.abs() < 1e-4, "{y}");
        assert!(mercator([10.0, 10.0]).1 < 0.5 && mercator([10.0, 10.0]).0 > 0.5);
    }

    #[test]
    fn places_fit_the_box_and_tiles_cover_it() {
        let points = [[35.9167, 35.9833], [35.84, 36.0], [35.91, 35.93]];
        let (positions, tiles) = layout(&points, Some("t/{z}/{x}/{y}.png"));
        for &(x, y) in &positions {
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=HEIGHT).contains(&y), "{x}, {y}");
        }
        // The southernmost place is lowest, the westernmost leftmost.
        assert!(positions[1].1 > positions[0].1 && positions[2].0 < positions[0].0);
        // Tiles of one zoom level, 256 px apart, covering the whole box.
        assert!(!tiles.is_empty());
        let zoom: std::collections::BTreeSet<&str> =
            tiles.iter().map(|t| t.href.split('/').nth(1).unwrap_or("")).collect();
        assert_eq!(zoom.len(), 1);
        assert!(tiles.iter().any(|t| t.x <= 0.0 && t.y <= 0.0));
        assert!(tiles.iter().any(|t| t.x + TILE >= WIDTH && t.y + TILE >= HEIGHT));
        // Without tiles, one place alone is in the middle.
        assert_eq!(layout(&[[35.0, 36.0]], None), (vec![(WIDTH / 2.0, HEIGHT / 2.0)], Vec::new()));
    }
}
