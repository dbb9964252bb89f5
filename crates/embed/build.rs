//! Compiles `csrc/autocast.cpp` against the libtorch that torch-sys links,
//! and hashes the sources into `CODE_VERSION`.

use std::path::Path;

#[path = "../core/code_version.rs"]
mod code_version;

fn main() {
    code_version::emit();
    println!("cargo:rerun-if-changed=csrc/autocast.cpp");
    println!("cargo:rerun-if-env-changed=LIBTORCH_CXX11_ABI");
    // torch-sys (`links = "tch"`) passes on the libtorch it found.
    let lib = std::env::var("DEP_TCH_LIBTORCH_LIB")
        .expect("torch-sys did not say where libtorch is (DEP_TCH_LIBTORCH_LIB)");
    let include = Path::new(&lib)
        .parent()
        .expect("libtorch's lib folder has a parent")
        .join("include");
    // The same ABI switch torch-sys compiles its own wrapper with.
    let cxx11_abi = std::env::var("LIBTORCH_CXX11_ABI").unwrap_or_else(|_| "1".into());
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .include(&include)
        .define("_GLIBCXX_USE_CXX11_ABI", cxx11_abi.as_str())
        .warnings(false)
        .file("csrc/autocast.cpp")
        .compile("precis_autocast");
}
