//! Every workload, at its small test size, compiled and run by the `orus` library, prints
//! the checksum its Python version prints (skipped when `python3` is missing; Lua too when
//! `lua5.4` is installed). Also checks that the files' `N = ...` lines match the table.

use perf::{Lang, WORKLOADS};
use std::process::Command;

fn interpreter_output(lang: Lang, src: &str, name: &str) -> Option<String> {
    let program = match lang {
        Lang::Python => "python3",
        Lang::Lua => "lua5.4",
        Lang::Orus => unreachable!(),
    };
    let dir = std::env::temp_dir().join(format!("orus-perf-checksums-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.{}", lang.ext()));
    std::fs::write(&path, src).unwrap();
    let out = Command::new(program).arg(&path).output().ok()?;
    assert!(
        out.status.success(),
        "{program} {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

fn available(program: &str) -> bool {
    Command::new(program)
        .arg(if program == "lua5.4" {
            "-v"
        } else {
            "--version"
        })
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn workload_files_have_the_tables_full_size() {
    for w in WORKLOADS {
        for lang in Lang::ALL {
            let src = perf::source(w.name, lang).unwrap();
            assert_eq!(
                perf::size_of(&src),
                Some(w.full),
                "{}.{}",
                w.name,
                lang.ext()
            );
        }
    }
}

#[test]
fn orus_checksums_match_python_and_lua() {
    let python = available("python3");
    let lua = available("lua5.4");
    if !python {
        eprintln!("python3 is missing: only checking that every Orus workload runs");
    }
    for w in WORKLOADS {
        let orus_src = perf::sized_source(w.name, Lang::Orus, w.test).unwrap();
        let got = perf::run_orus_in_process(w.name, &orus_src).unwrap();
        assert_eq!(
            got.lines().count(),
            1,
            "{}: one checksum line, got {got:?}",
            w.name
        );
        for (lang, present) in [(Lang::Python, python), (Lang::Lua, lua)] {
            if !present {
                continue;
            }
            let src = perf::sized_source(w.name, lang, w.test).unwrap();
            let want = interpreter_output(lang, &src, w.name).unwrap();
            assert_eq!(
                got,
                want,
                "{} at N = {}: Orus vs {}",
                w.name,
                w.test,
                lang.label()
            );
        }
    }
}

#[test]
fn hello_programs_agree() {
    let got =
        perf::run_orus_in_process("hello", &perf::source("hello", Lang::Orus).unwrap()).unwrap();
    assert_eq!(got, "hello, world\n");
}
