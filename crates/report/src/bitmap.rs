//! A grid of colours as one image: an uncompressed 24-bit BMP in a `data:`
//! URI. The essay-similarity matrix is drawn this way, one pixel a cell,
//! scaled up without smoothing; as SVG rectangles, 187 essays took 35 000
//! of them and 10 MB of markup.

use base64::Engine;

/// The `data:image/bmp;base64,…` URI of a `width` × `height` image whose
/// pixel at column `x`, row `y` (from the top) is `pixel(x, y)` as RGB.
pub fn data_uri(width: usize, height: usize, pixel: impl Fn(usize, usize) -> [u8; 3]) -> String {
    format!(
        "data:image/bmp;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bmp(width, height, pixel))
    )
}

/// The BMP file: a 14-byte file header, a 40-byte BITMAPINFOHEADER, then
/// the rows bottom-up, each pixel blue-green-red, each row padded to a
/// multiple of four bytes.
fn bmp(width: usize, height: usize, pixel: impl Fn(usize, usize) -> [u8; 3]) -> Vec<u8> {
    const HEADERS: u32 = 14 + 40;
    let row_bytes = (3 * width).div_ceil(4) * 4;
    let data_bytes = row_bytes * height;
    let u32_of = |n: usize| u32::try_from(n).expect("an image under 4 GB");
    let mut out = Vec::with_capacity(HEADERS as usize + data_bytes);
    out.extend_from_slice(b"BM");
    out.extend_from_slice(&(HEADERS + u32_of(data_bytes)).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&HEADERS.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&u32_of(width).to_le_bytes());
    out.extend_from_slice(&u32_of(height).to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // planes
    out.extend_from_slice(&24u16.to_le_bytes()); // bits per pixel
    out.extend_from_slice(&0u32.to_le_bytes()); // no compression
    out.extend_from_slice(&u32_of(data_bytes).to_le_bytes());
    // 2835 pixels a metre is 72 dpi; the page scales the image anyway.
    out.extend_from_slice(&2835u32.to_le_bytes());
    out.extend_from_slice(&2835u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // palette colours
    out.extend_from_slice(&0u32.to_le_bytes()); // important colours
    for y in (0..height).rev() {
        let start = out.len();
        for x in 0..width {
            let [r, g, b] = pixel(x, y);
            out.extend_from_slice(&[b, g, r]);
        }
        out.resize(start + row_bytes, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_rows_bottom_up_in_bgr_padded_to_four_bytes() {
        // 2 × 2: red, green on top; blue, white below.
        let colours = [[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]];
        let file = bmp(2, 2, |x, y| colours[y][x]);
        assert_eq!(&file[..2], b"BM");
        assert_eq!(file.len(), 54 + 2 * 8);
        assert_eq!(u32::from_le_bytes(file[2..6].try_into().unwrap()), 70);
        assert_eq!(u32::from_le_bytes(file[18..22].try_into().unwrap()), 2);
        assert_eq!(
            &file[54..],
            &[255, 0, 0, 255, 255, 255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0]
        );
        assert!(data_uri(1, 1, |_, _| [0, 0, 0]).starts_with("data:image/bmp;base64,Qk0"));
    }
}
