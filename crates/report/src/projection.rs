//! A two-dimensional principal-component projection of the theme centroids,
//! by power iteration on their Gram matrix (k × k, so cheap whatever the
//! embedding dimension).

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// The plane of the first two principal components of some points.
#[derive(Debug, Clone)]
pub struct Plane {
    mean: Array1<f64>,
    /// Two unit axes in the points' space (a zero row where the points have
    /// no spread in that direction).
    axes: Array2<f64>,
}

const ITERATIONS: usize = 500;
const TOLERANCE: f64 = 1e-12;

impl Plane {
    /// Fits the plane to the rows of `points`.
    ///
    /// Sign convention: on each axis the point with the largest absolute
    /// coordinate (the first such, by row) lies on the positive side, so the
    /// same points always give the same picture.
    pub fn fit(points: ArrayView2<f64>) -> Self {
        let (n, d) = points.dim();
        let mean = points
            .mean_axis(Axis(0))
            .unwrap_or_else(|| Array1::zeros(d));
        let centered = &points - &mean;
        let mut gram = centered.dot(&centered.t());
        let mut axes = Array2::zeros((2, d));
        for mut axis in axes.outer_iter_mut() {
            let Some((value, vector)) = top_eigenpair(gram.view()) else {
                break;
            };
            // `vector` holds the points' coordinates on this axis, up to scale.
            let largest = (0..n).fold(0, |best, i| {
                if vector[i].abs() > vector[best].abs() + TOLERANCE {
                    i
                } else {
                    best
                }
            });
            let sign = if vector[largest] < 0.0 { -1.0 } else { 1.0 };
            let direction = centered.t().dot(&vector) * (sign / value.sqrt());
            axis.assign(&direction);
            // Deflate: remove this component before looking for the next.
            let outer = vector
                .view()
                .insert_axis(Axis(1))
                .dot(&vector.view().insert_axis(Axis(0)));
            gram = gram - outer * value;
        }
        Self { mean, axes }
    }

    /// The coordinates of one point on the two axes.
    pub fn project(&self, point: ArrayView1<f64>) -> (f64, f64) {
        let shifted = &point - &self.mean;
        let coords = self.axes.dot(&shifted);
        (coords[0], coords[1])
    }
}

/// The largest eigenvalue of a symmetric positive semi-definite matrix and
/// its unit eigenvector, or `None` when the matrix is (numerically) zero.
fn top_eigenpair(matrix: ArrayView2<f64>) -> Option<(f64, Array1<f64>)> {
    let n = matrix.nrows();
    if n == 0 {
        return None;
    }
    // A fixed, uneven start: never orthogonal to every eigenvector in practice.
    let mut vector = Array1::from_shape_fn(n, |i| 1.0 + (i as f64 + 1.0).sqrt());
    vector /= vector.dot(&vector).sqrt();
    let mut value = 0.0;
    for _ in 0..ITERATIONS {
        let next = matrix.dot(&vector);
        let norm = next.dot(&next).sqrt();
        if norm < TOLERANCE {
            return None;
        }
        let next = next / norm;
        let delta = (&next - &vector).mapv(f64::abs).sum();
        vector = next;
        value = norm;
        if delta < 1e-10 {
            break;
        }
    }
    let scale = matrix.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    (value > scale * 1e-9).then_some((value, vector))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn recovers_the_main_direction_with_a_fixed_sign() {
        let points = array![[0.0, 0.0, 1.0], [4.0, 0.0, 1.0], [2.0, 1.0, 1.0]];
        let plane = Plane::fit(points.view());
        let xs: Vec<f64> = points.outer_iter().map(|p| plane.project(p).0).collect();
        // The x spread dominates; the point furthest out is positive.
        assert!((xs[1] - xs[0]).abs() > 3.9);
        let furthest = xs
            .iter()
            .cloned()
            .fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
        assert!(furthest > 0.0);
        let flipped = array![[0.0, 0.0, 1.0], [-4.0, 0.0, 1.0], [-2.0, -1.0, 1.0]];
        let other = Plane::fit(flipped.view());
        let a = plane.project(points.row(1));
        let b = other.project(flipped.row(1));
        assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
    }

    #[test]
    fn degenerate_inputs_project_to_the_origin() {
        let one = array![[1.0, 2.0]];
        assert_eq!(Plane::fit(one.view()).project(one.row(0)), (0.0, 0.0));
        let two = array![[1.0, 0.0], [0.0, 1.0]];
        let plane = Plane::fit(two.view());
        let (x, y) = plane.project(two.row(0));
        assert!(x.abs() > 0.5 && y.abs() < 1e-9);
        let none = Array2::<f64>::zeros((0, 3));
        assert_eq!(Plane::fit(none.view()).mean.len(), 3);
    }
}
