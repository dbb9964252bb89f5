//! Fixed colours: Paul Tol's colour-blind-safe "muted" scheme for themes and
//! ColorBrewer's single-hue sequential ramps for the heatmaps. Sentences
//! without a theme are Tol's pale grey, his colour for missing data.

/// Paul Tol's "muted" qualitative scheme, in his order.
const THEMES: [&str; 9] = [
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
    "#AA4499",
];

/// The colour of a sentence that has no theme.
pub const NO_THEME: &str = "#DDDDDD";

/// Which of [`THEMES`] need light text on top.
const DARK: [bool; 9] = [false, true, false, true, false, true, false, false, true];

/// The colour of the theme at `position` among the run's themes (by id);
/// colours repeat after nine themes, where the theme numbers tell them apart.
pub fn theme(position: usize) -> &'static str {
    THEMES[position % THEMES.len()]
}

/// The text colour readable on [`theme`]`(position)`.
pub fn theme_text(position: usize) -> &'static str {
    if DARK[position % DARK.len()] {
        "#ffffff"
    } else {
        "#1a1a1a"
    }
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
        assert_eq!(theme(9), theme(0));
    }
}
