//! A hand-written SVG bar chart: per workload, the cost of Orus and of Lua relative to
//! CPython (= 1), one panel per metric (wall time, instructions).

use std::fmt::Write;

/// One panel: a title and, per row, the label and the (Orus, Lua) ratios to CPython.
pub struct Panel {
    pub title: String,
    pub rows: Vec<(String, [Option<f64>; 2])>,
}

const ORUS: &str = "#d9480f";
const LUA: &str = "#1c7ed6";
const LABEL_W: f64 = 120.0;
const PANEL_W: f64 = 330.0;
const GAP: f64 = 40.0;
const ROW_H: f64 = 34.0;
const TOP: f64 = 78.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders the panels side by side.
pub fn chart(title: &str, subtitle: &str, panels: &[Panel]) -> String {
    let rows = panels.iter().map(|p| p.rows.len()).max().unwrap_or(0) as f64;
    let width = panels.len() as f64 * (LABEL_W + PANEL_W + GAP) + 20.0;
    let height = TOP + rows * ROW_H + 70.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="20" y="24" font-size="17" font-weight="bold">{}</text>"#,
        esc(title)
    );
    let _ = writeln!(
        s,
        r##"<text x="20" y="44" fill="#495057">{}</text>"##,
        esc(subtitle)
    );
    for (i, panel) in panels.iter().enumerate() {
        let x0 = 10.0 + i as f64 * (LABEL_W + PANEL_W + GAP);
        draw_panel(&mut s, panel, x0, rows);
    }
    // Legend.
    let ly = TOP + rows * ROW_H + 45.0;
    let _ = writeln!(
        s,
        r#"<rect x="20" y="{}" width="14" height="10" fill="{ORUS}"/><text x="40" y="{}">Orus</text>"#,
        ly - 9.0,
        ly
    );
    let _ = writeln!(
        s,
        r#"<rect x="90" y="{}" width="14" height="10" fill="{LUA}"/><text x="110" y="{}">Lua 5.4</text>"#,
        ly - 9.0,
        ly
    );
    let _ = writeln!(
        s,
        r##"<line x1="175" y1="{}" x2="195" y2="{}" stroke="#212529" stroke-dasharray="4 3"/><text x="200" y="{}">CPython = 1 (bars shorter than the line are faster than CPython)</text>"##,
        ly - 4.0,
        ly - 4.0,
        ly
    );
    s.push_str("</svg>\n");
    s
}

fn nice_max(v: f64) -> f64 {
    let v = v.max(1.0) * 1.08;
    let steps = [
        1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0, 15.0, 20.0, 50.0, 100.0,
    ];
    steps.iter().copied().find(|&s| s >= v).unwrap_or(v.ceil())
}

fn draw_panel(s: &mut String, panel: &Panel, x0: f64, rows: f64) {
    let max = panel
        .rows
        .iter()
        .flat_map(|(_, v)| v.iter().flatten().copied())
        .fold(1.0f64, f64::max);
    let xmax = nice_max(max);
    let plot_x = x0 + LABEL_W;
    let scale = |v: f64| plot_x + v / xmax * PANEL_W;
    let bottom = TOP + rows * ROW_H;
    let _ = writeln!(
        s,
        r#"<text x="{plot_x}" y="{}" font-size="13" font-weight="bold">{}</text>"#,
        TOP - 16.0,
        esc(&panel.title)
    );
    // Grid and ticks.
    let tick = if xmax <= 1.5 {
        0.25
    } else if xmax <= 3.0 {
        0.5
    } else if xmax <= 10.0 {
        1.0
    } else {
        (xmax / 5.0).ceil()
    };
    let mut t = 0.0;
    while t <= xmax + 1e-9 {
        let x = scale(t);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{bottom}" stroke="#e9ecef"/><text x="{x:.1}" y="{}" text-anchor="middle" fill="#868e96" font-size="10">{}</text>"##,
            TOP - 4.0,
            bottom + 13.0,
            trim_float(t)
        );
        t += tick;
    }
    for (r, (label, vals)) in panel.rows.iter().enumerate() {
        let y = TOP + r as f64 * ROW_H;
        let bold = if label.starts_with("geo") {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end"{bold}>{}</text>"#,
            plot_x - 6.0,
            y + ROW_H / 2.0 + 4.0,
            esc(label)
        );
        for (k, v) in vals.iter().enumerate() {
            let by = y + 4.0 + k as f64 * 13.0;
            let color = if k == 0 { ORUS } else { LUA };
            match v {
                Some(v) => {
                    let w = (scale(*v) - plot_x).max(1.0);
                    let _ = writeln!(
                        s,
                        r#"<rect x="{plot_x}" y="{by}" width="{w:.1}" height="12" fill="{color}"/><text x="{:.1}" y="{}" font-size="10">{:.2}</text>"#,
                        plot_x + w + 3.0,
                        by + 10.0,
                        v
                    );
                }
                None => {
                    let _ = writeln!(
                        s,
                        r##"<text x="{}" y="{}" font-size="10" fill="#868e96">n/a</text>"##,
                        plot_x + 3.0,
                        by + 10.0
                    );
                }
            }
        }
    }
    let x1 = scale(1.0);
    let _ = writeln!(
        s,
        r##"<line x1="{x1:.1}" y1="{}" x2="{x1:.1}" y2="{bottom}" stroke="#212529" stroke-dasharray="4 3"/>"##,
        TOP - 4.0
    );
    let _ = writeln!(
        s,
        r##"<line x1="{plot_x}" y1="{}" x2="{plot_x}" y2="{bottom}" stroke="#343a40"/>"##,
        TOP - 4.0
    );
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rows_and_missing_values() {
        let svg = chart(
            "t",
            "s <&>",
            &[Panel {
                title: "wall".into(),
                rows: vec![
                    ("fib".into(), [Some(0.25), None]),
                    ("geomean".into(), [Some(0.5), Some(0.3)]),
                ],
            }],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("s &lt;&amp;&gt;"));
        assert!(svg.contains("n/a"));
        assert!(svg.contains(">0.25<"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
