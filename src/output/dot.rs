//! The control graphs in Graphviz DOT: one cluster per location, edge
//! styles by type.

use crate::analysis::Analysis;
use crate::describe;
use crate::graph::EdgeKind;
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

/// Writes every non-empty location's control graph.
pub(crate) fn write(analysis: &Analysis<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let dataset = analysis.dataset();
    out.write_all(
        b"digraph frontline {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n",
    )?;
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
            let label = format!(
                "{}\n{}\n{}",
                describe::when(claim.when()),
                dataset.source(claim.source()).name(),
                describe::assertion(dataset, claim)
            );
            writeln!(out, "    {} [label={}];", quote(claim.id()), quote(&label))?;
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
