//! Hands the version of the `scylla` crate that Cargo.lock resolved to the program, as the
//! compile-time variable SCYLLA_VERSION, for the JSON line's "library" field.

use std::fs;

fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = fs::read_to_string("Cargo.lock").expect("Cargo.lock is readable");
    // Cargo.lock lists each package as `name = "..."` followed by `version = "..."`.
    let mut lines = lock.lines();
    let version = loop {
        match lines.next() {
            Some("name = \"scylla\"") => break lines.next(),
            Some(_) => continue,
            None => break None,
        }
    };
    let version = version
        .and_then(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("Cargo.lock has a version for the scylla package");
    println!("cargo:rustc-env=SCYLLA_VERSION={version}");
}
