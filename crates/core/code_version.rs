//! The build script of every stage crate (and a module of `precis-embed`'s
//! and `precis-model`'s): hashes the crate's own sources into
//! `PRECIS_CODE_VERSION`, which the crate exports as `CODE_VERSION`. The driver puts it in each stage's key, so a
//! change to a stage's code remakes that stage's output, and no bump can be
//! forgotten. An edit that leaves the output alone (a comment) remakes it
//! too: the price of never keeping output made by other code.

use std::path::{Path, PathBuf};

/// The folders of a crate whose files shape what it computes.
const SOURCES: [&str; 2] = ["src", "csrc"];

#[allow(dead_code)] // A module of other build scripts, which have their own `main`.
fn main() {
    emit();
}

/// This crate's `PRECIS_CODE_VERSION`.
pub fn emit() {
    emit_for("PRECIS_CODE_VERSION", ".");
}

/// Sets `variable` to the hash of the sources of the crate in `crate_dir`
/// (relative to this crate's folder): the same hash that crate's own build
/// script gives its `CODE_VERSION`.
#[allow(dead_code)] // Only precis-model's build script hashes another crate.
pub fn emit_for(variable: &str, crate_dir: &str) {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join(crate_dir);
    let mut files = Vec::new();
    for folder in SOURCES {
        let path = root.join(folder);
        if path.is_dir() {
            println!(
                "cargo:rerun-if-changed={}",
                Path::new(crate_dir).join(folder).display()
            );
            collect(&path, &mut files);
        }
    }
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for file in &files {
        let relative = file.strip_prefix(&root).expect("under the crate");
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update(b"\0");
        hasher.update(&std::fs::read(file).expect("a readable source file"));
        hasher.update(b"\0");
    }
    let version = hasher.finalize().to_hex();
    println!("cargo:rustc-env={variable}={}", &version[..16]);
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("a readable source folder") {
        let path = entry.expect("a readable folder entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
