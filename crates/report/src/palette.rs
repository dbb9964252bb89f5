//! Fixed colours: Paul Tol's colour-blind-safe "muted" scheme for themes and
//! ColorBrewer's single-hue sequential ramps for the heatmaps. Sentences
//! without a theme are Tol's pale grey, his colour for missing data.

/// Paul Tol's "muted" qualitative scheme, in his order.
const THEMES: [[u8; 3]; 9] = [
    [0xCC, 0x66, 0x77],
    [0x33, 0x22, 0x88],
    [0xDD, 0xCC, 0x77],
    [0x11, 0x77, 0x33],
    [0x88, 0xCC, 0xEE],
    [0x88, 0x22, 0x55],
    [0x44, 0xAA, 0x99],
    [0x99, 0x99, 0x33],
    [0xAA, 0x44, 0x99],
];

/// The colour of a sentence that has no theme.
pub const NO_THEME: &str = "#DDDDDD";

/// Past nine themes the hues come round again, lighter (mixed with this
/// much white), then darker (with this much black): lightness tells the
/// rounds apart whatever a reader's colour vision, as hue does within one.
const LIGHTER: f64 = 0.5;
const DARKER: f64 = 0.45;

/// The readable text colours: near-black and white.
const DARK_TEXT: &str = "#1a1a1a";
const LIGHT_TEXT: &str = "#ffffff";

/// Each theme colour and its text colour, for the first 27 positions.
static COLOURS: std::sync::LazyLock<Vec<(String, &'static str)>> = std::sync::LazyLock::new(|| {
    let rounds: [fn([u8; 3]) -> [u8; 3]; 3] = [
        |c| c,
        |c| c.map(|v| mix(v, 255, LIGHTER)),
        |c| c.map(|v| mix(v, 0, DARKER)),
    ];
    rounds
        .iter()
        .flat_map(|round| THEMES.map(round))
        .map(|rgb| {
            let [r, g, b] = rgb;
            (format!("#{r:02X}{g:02X}{b:02X}"), readable_text(rgb))
        })
        .collect()
});

fn mix(value: u8, towards: u8, share: f64) -> u8 {
    (f64::from(value) + (f64::from(towards) - f64::from(value)) * share).round() as u8
}

/// WCAG relative luminance of an sRGB colour.
fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb.map(linear);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// The text colour with the higher WCAG contrast on `rgb`.
fn readable_text(rgb: [u8; 3]) -> &'static str {
    let on = luminance(rgb) + 0.05;
    let dark = luminance([0x1a; 3]) + 0.05;
    if 1.05 / on > on / dark {
        LIGHT_TEXT
    } else {
        DARK_TEXT
    }
}

/// The colour of the theme at `position` among the run's themes (by id):
/// nine hues, then the same hues lighter and darker; past 27 themes the
/// colours repeat, where the theme numbers tell them apart.
pub fn theme(position: usize) -> &'static str {
    &COLOURS[position % COLOURS.len()].0
}

/// The text colour readable on [`theme`]`(position)`.
pub fn theme_text(position: usize) -> &'static str {
    COLOURS[position % COLOURS.len()].1
}

/// A sequential ramp: ColorBrewer "Blues" (shares) or "Purples" (similarity).
#[derive(Debug, Clone, Copy)]
pub enum Ramp {
    Blues,
    Purples,
}

impl Ramp {
    fn stops(self) -> &'static [[u8; 3]] {
        match self {
            Ramp::Blues => &[
                [247, 251, 255],
                [198, 219, 239],
                [107, 174, 214],
                [33, 113, 181],
                [8, 48, 107],
            ],
            Ramp::Purples => &[
                [252, 251, 253],
                [218, 218, 235],
                [158, 154, 200],
                [106, 81, 163],
                [63, 0, 125],
            ],
        }
    }

    /// The colour at `t` in [0, 1] (clamped), as `#rrggbb`.
    pub fn colour(self, t: f64) -> String {
        let [r, g, b] = self.rgb(t);
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The colour at `t` in [0, 1] (clamped), as red, green and blue.
    pub fn rgb(self, t: f64) -> [u8; 3] {
        let stops = self.stops();
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let scaled = t * (stops.len() - 1) as f64;
        let low = (scaled.floor() as usize).min(stops.len() - 2);
        let f = scaled - low as f64;
        let channel = |c: usize| {
            let a = f64::from(stops[low][c]);
            let b = f64::from(stops[low + 1][c]);
            (a + (b - a) * f).round() as u8
        };
        [channel(0), channel(1), channel(2)]
    }

    /// The text colour readable on [`Ramp::colour`]`(t)`.
    pub fn text(self, t: f64) -> &'static str {
        if t > 0.55 {
            "#ffffff"
        } else {
            "#1a1a1a"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramps_run_from_light_to_dark() {
        assert_eq!(Ramp::Blues.colour(0.0), "#f7fbff");
        assert_eq!(Ramp::Blues.colour(1.0), "#08306b");
        assert_eq!(Ramp::Purples.colour(f64::NAN), "#fcfbfd");
    }

    #[test]
    fn twenty_seven_themes_have_colours_of_their_own_each_with_readable_text() {
        // The first nine are Tol's, with the text colours he gives them.
        assert_eq!(theme(0), "#CC6677");
        let light: Vec<bool> = (0..9).map(|p| theme_text(p) == LIGHT_TEXT).collect();
        let tol = [false, true, false, true, false, true, false, false, true];
        assert_eq!(light, tol);
        let colours: std::collections::BTreeSet<&str> = (0..27).map(theme).collect();
        assert_eq!(colours.len(), 27);
        assert_eq!(theme(27), theme(0));
        for position in 0..27 {
            let rgb = COLOURS[position].0.trim_start_matches('#');
            let rgb = [0, 2, 4].map(|i| u8::from_str_radix(&rgb[i..i + 2], 16).unwrap());
            let text = if theme_text(position) == LIGHT_TEXT {
                [255; 3]
            } else {
                [0x1a; 3]
            };
            let (a, b) = (luminance(rgb) + 0.05, luminance(text) + 0.05);
            let contrast = a.max(b) / a.min(b);
            assert!(contrast >= 3.0, "{}: {contrast}", theme(position));
        }
    }
}
