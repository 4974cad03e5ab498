//! The control graphs in Graphviz DOT: one cluster per location, edge
//! styles by type, each claim filled with the colour of the reconciled
//! state at the end of its window, and a legend.

use super::palette;
use crate::analysis::Analysis;
use crate::describe;
use crate::graph::EdgeKind;
use crate::model::ControlState;
use crate::report::round4;
use crate::Dataset;
use petgraph::visit::EdgeRef;

/// Quotes a string as a DOT identifier.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for ch in text.chars() {
        match ch {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => {}
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

fn style(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Corroborates => "color=\"#2e7d32\", style=dashed, dir=none",
        EdgeKind::Contradicts => "color=\"#c62828\", penwidth=2, dir=none",
        EdgeKind::Denies => "color=\"#6a1b9a\", penwidth=2, style=bold",
        EdgeKind::Precedes => "color=\"#9e9e9e\"",
        EdgeKind::Reverses => "color=\"#ef6c00\", penwidth=2",
    }
}

/// Escapes text for a Graphviz HTML-like label.
fn html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\n' | '\r' => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A node name no claim has: `legend`, or `legend_`, `legend__`, ...
fn legend_name(dataset: &Dataset) -> String {
    let mut name = "legend".to_owned();
    while dataset.claim_id(&name).is_some() {
        name.push('_');
    }
    name
}

/// The legend: one node whose label is a table of the sides' colours, the
/// contested and unknown fills, and the edge colours.
fn legend(dataset: &Dataset, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut rows = String::new();
    let mut row = |fill: &str, text: &str| {
        rows.push_str(&format!(
            "\n    <tr><td bgcolor=\"{fill}\" width=\"24\"></td><td align=\"left\">{}</td></tr>",
            html(text)
        ));
    };
    for &side in dataset.sides() {
        let colour = palette::tint(&palette::actor_colour(dataset, side), 0.45);
        row(&colour, &format!("timeline: held by {}", dataset.actor(side).name()));
    }
    row(&palette::tint(palette::CONTESTED, 0.45), "timeline: contested");
    row("#ffffff", "timeline: unknown, or no segment");
    let mut edges = String::new();
    for kind in
        [EdgeKind::Corroborates, EdgeKind::Contradicts, EdgeKind::Denies, EdgeKind::Precedes, EdgeKind::Reverses]
    {
        let colour = match kind {
            EdgeKind::Corroborates => "#2e7d32",
            EdgeKind::Contradicts => "#c62828",
            EdgeKind::Denies => "#6a1b9a",
            EdgeKind::Precedes => "#9e9e9e",
            EdgeKind::Reverses => "#ef6c00",
        };
        edges.push_str(&format!(
            "\n    <tr><td align=\"left\"><font color=\"{colour}\">━━</font></td><td align=\"left\">{}</td></tr>",
            kind.name()
        ));
    }
    writeln!(
        out,
        "  {} [shape=plaintext, label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n    <tr><td colspan=\"2\"><b>Legend</b>: a claim's fill is the reconciled state at the end of its window</td></tr>{rows}{edges}\n  </table>>];",
        quote(&legend_name(dataset))
    )
}

/// Writes every non-empty location's control graph.
pub(crate) fn write(analysis: &Analysis<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let dataset = analysis.dataset();
    out.write_all(
        b"digraph frontline {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n",
    )?;
    legend(dataset, out)?;
    for graph in analysis.graphs() {
        let g = graph.graph();
        if g.node_count() == 0 {
            continue;
        }
        let location = dataset.location(graph.location());
        writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{}", location.id())))?;
        writeln!(out, "    label={};", quote(location.name()))?;
        for node in g.node_indices() {
            let claim = dataset.claim(g[node]);
            // The reconciled state at the last instant of the claim's window.
            let last = claim.window().end() - chrono::TimeDelta::nanoseconds(1);
            let segment = analysis.reconciliation().timeline(graph.location()).segment_at(last);
            let (state, fill) = match segment {
                Some(s) if s.state != ControlState::Unknown => (
                    format!("timeline: {} ({:.2})", describe::state(dataset, s.state), round4(s.confidence)),
                    palette::tint(&palette::state_colour(dataset, s.state), 0.45),
                ),
                _ => ("timeline: unknown".to_owned(), "#ffffff".to_owned()),
            };
            let label = format!(
                "{}\n{}\n{}\n{state}",
                describe::when(claim.when()),
                dataset.source(claim.source()).name(),
                describe::assertion(dataset, claim)
            );
            writeln!(out, "    {} [label={}, style=filled, fillcolor=\"{fill}\"];", quote(claim.id()), quote(&label))?;
        }
        for edge in g.edge_references() {
            let (a, b) = (dataset.claim(g[edge.source()]), dataset.claim(g[edge.target()]));
            writeln!(
                out,
                "    {} -> {} [label={}, {}];",
                quote(a.id()),
                quote(b.id()),
                quote(edge.weight().name()),
                style(*edge.weight())
            )?;
        }
        writeln!(out, "  }}")?;
    }
    out.write_all(b"}\n")
}
