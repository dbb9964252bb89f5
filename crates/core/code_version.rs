//! The build script of every stage crate (and a module of `precis-embed`'s):
//! hashes the crate's own sources into `PRECIS_CODE_VERSION`, which the crate
//! exports as `CODE_VERSION`. The driver puts it in each stage's key, so a
//! change to a stage's code remakes that stage's output, and no bump can be
//! forgotten. An edit that leaves the output alone (a comment) remakes it
//! too: the price of never keeping output made by other code.

use std::path::{Path, PathBuf};

/// The folders of a crate whose files shape what it computes.
const SOURCES: [&str; 2] = ["src", "csrc"];

#[allow(dead_code)] // A module of `precis-embed`'s build script, which has its own `main`.
fn main() {
    emit();
}

pub fn emit() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for folder in SOURCES {
        let path = root.join(folder);
        if path.is_dir() {
            println!("cargo:rerun-if-changed={folder}");
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
    println!("cargo:rustc-env=PRECIS_CODE_VERSION={}", &version[..16]);
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
