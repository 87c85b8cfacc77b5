//! `juspay schema` writes exactly the committed `schemas/`: plain `cargo test` catches drift.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn json_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juspay-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

#[test]
fn generated_schemas_match_the_committed_ones() {
    let out = scratch_dir("schema");
    let status = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args(["schema", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let generated = json_files(&out);
    let expected = json_files(&committed);
    let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&generated),
        names(&expected),
        "schema files differ; run `cargo xtask schema` and commit"
    );
    for ((name, new), (_, old)) in generated.iter().zip(&expected) {
        assert_eq!(
            new, old,
            "{name} drifted; run `cargo xtask schema` and commit"
        );
    }
    // Every file is pretty-printed JSON ending in a newline.
    for (name, text) in &generated {
        assert!(text.ends_with("}\n"), "{name} is not newline-terminated");
        assert!(text.contains("\n  \""), "{name} is not pretty-printed");
    }
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn unwritable_output_is_a_usage_error_with_exit_code_2() {
    let file = scratch_dir("schema-file");
    fs::write(&file, "not a directory").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args(["schema", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: cannot create"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one-line reason: {stderr}");
    fs::remove_file(&file).unwrap();
}
