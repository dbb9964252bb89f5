//! Prints the themes of a run as a Markdown table (group, theme, label,
//! sentences, essays, keywords), and fails when a label or keyword is a
//! stop word of English, Latin or French:
//!
//! ```text
//! cargo run --release -p precis-themes --example theme_table -- RUN_DIR
//! ```

use precis_themes::{is_stop_phrase, ThemeSet};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let run = std::env::args()
        .nth(1)
        .ok_or("usage: theme_table RUN_DIR")?;
    let set: ThemeSet = serde_json::from_str(&std::fs::read_to_string(format!(
        "{run}/themes/themes.json"
    ))?)?;
    println!("| group | theme | label | sentences | essays | keywords |");
    println!("|---|---|---|---|---|---|");
    let mut stops = Vec::new();
    for group in &set.groups {
        for id in &group.themes {
            let theme = set
                .themes
                .iter()
                .find(|t| t.id == *id)
                .ok_or("a group names no theme")?;
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                group.label,
                theme.id,
                theme.label,
                theme.size,
                theme.documents,
                theme.keywords.join(", ")
            );
            stops.extend(
                std::iter::once(&theme.label)
                    .chain(&theme.keywords)
                    .filter(|w| is_stop_phrase(w))
                    .cloned(),
            );
        }
    }
    println!(
        "\n{} themes in {} groups; stop words among labels and keywords: {}",
        set.themes.len(),
        set.groups.len(),
        if stops.is_empty() {
            "none".to_owned()
        } else {
            stops.join(", ")
        }
    );
    if stops.is_empty() {
        Ok(())
    } else {
        Err("a label or keyword is a stop word".into())
    }
}
