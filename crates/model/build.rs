//! Hashes this crate's sources into `CODE_VERSION`, and those of the two
//! crates the model worker runs (precis-embed, precis-abstractive) into
//! `EMBED_CODE_VERSION` and `ABSTRACTIVE_CODE_VERSION`: the driver keys the
//! stages they shape without linking them (and libtorch with them).

#[path = "../core/code_version.rs"]
mod code_version;

fn main() {
    code_version::emit();
    code_version::emit_for("PRECIS_EMBED_CODE_VERSION", "../embed");
    code_version::emit_for("PRECIS_ABSTRACTIVE_CODE_VERSION", "../abstractive");
}
