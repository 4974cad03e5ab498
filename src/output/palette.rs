//! The colours the pictures share (DOT, SVG, HTML): one per side, in the
//! order of [`Dataset::sides`](crate::Dataset::sides), and one for
//! `contested` and for independent sources.

use crate::model::{ActorId, ControlState};
use crate::Dataset;

/// The first sides' colours: distinct, readable on white, and not the
/// contested grey.
const SIDES: [&str; 8] = ["#d62728", "#2ca02c", "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/// `contested` (hatched in the SVG).
pub(crate) const CONTESTED: &str = "#555555";

/// A source affiliated with no side.
#[cfg(feature = "svg")]
pub(crate) const INDEPENDENT: &str = "#222222";

/// The colour of the side at position `index` of the dataset's sides: the
/// fixed list, then hues spaced by the golden angle.
pub(crate) fn side_colour(index: usize) -> String {
    match SIDES.get(index) {
        Some(colour) => (*colour).to_owned(),
        None => {
            let hue = (index as f64 * 137.507_764) % 360.0;
            hsv_hex(hue, 0.65, 0.75)
        }
    }
}

/// The colour of a side (an actor that is a root), or of the side of any actor.
pub(crate) fn actor_colour(dataset: &Dataset, actor: ActorId) -> String {
    let side = dataset.side_of(actor);
    side_colour(dataset.sides().binary_search(&side).unwrap_or(dataset.sides().len()))
}

/// The colour of a state: its side's, the contested grey, or none (white)
/// for `unknown`.
pub(crate) fn state_colour(dataset: &Dataset, state: ControlState) -> String {
    match state {
        ControlState::Held(side) => actor_colour(dataset, side),
        ControlState::Contested => CONTESTED.to_owned(),
        ControlState::Unknown => "#ffffff".to_owned(),
    }
}

/// `#rrggbb` for a hue in degrees, a saturation and a value in `0..=1`.
fn hsv_hex(hue: f64, saturation: f64, value: f64) -> String {
    let c = value * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = value - c;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

/// A colour mixed with white: `share` of the colour (for filled DOT nodes,
/// whose labels must stay readable).
pub(crate) fn tint(hex: &str, share: f64) -> String {
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("ff"), 16).unwrap_or(255) as f64;
    let mix = |v: f64| (v * share + 255.0 * (1.0 - share)).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", mix(channel(1)), mix(channel(3)), mix(channel(5)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex_and_distinct_for_many_sides() {
        let colours: std::collections::BTreeSet<String> = (0..40).map(side_colour).collect();
        assert_eq!(colours.len(), 40);
        assert!(colours.iter().all(|c| c.len() == 7 && c.starts_with('#')));
        assert_eq!(hsv_hex(0.0, 1.0, 1.0), "#ff0000");
        assert_eq!(hsv_hex(120.0, 1.0, 1.0), "#00ff00");
        assert_eq!(tint("#000000", 0.5), "#808080");
        assert_eq!(tint("#d62728", 1.0), "#d62728");
    }
}
