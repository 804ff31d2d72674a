//! Data flows one way: the modules of the core and of the CLI form no
//! cycle, the compiled program knows nothing of decisions or binding, and
//! no CLI command imports another (they share the CLI's common modules and
//! the core's public API only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its code (not its comments or
/// tests) names with `crate::…`.
fn imports(src: &Path, names: &BTreeMap<&str, &str>) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(src).unwrap();
        let first = rel.iter().next().unwrap().to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let code: String = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let deps = graph.entry(module.clone()).or_default();
        let mut rest = code.as_str();
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + 7..];
            let words: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end]
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .collect()
            } else {
                vec![rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or("")]
            };
            for w in words {
                let target = names.get(w).copied().unwrap_or(w);
                if target != module && !target.is_empty() {
                    deps.insert(target.to_string());
                }
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    graph
}

/// A cycle through `start`, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        g: &BTreeMap<String, BTreeSet<String>>,
        at: &str,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in g.get(at).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(g, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(graph, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn the_core_modules_form_no_cycle() {
    // Names the crate root re-exports, by the module that defines them.
    let names = BTreeMap::from([
        ("Agreement", "agreement"),
        ("Decision", "decision"),
        ("Lead", "bind"),
        ("LeadBuilder", "bind"),
        ("LeadError", "bind"),
        ("LeadErrorKind", "bind"),
        ("LeadWarning", "bind"),
        ("OnBadValue", "bind"),
        ("Raw", "bind"),
        ("CsvRow", "bind"),
        ("ScoreOptions", "options"),
        ("Timestamp", "options"),
        ("Destination", "syntax"),
        ("FieldType", "syntax"),
        ("CompileError", "diagnostic"),
        ("Diagnostic", "diagnostic"),
        ("Span", "diagnostic"),
        ("Threads", "batch"),
        ("Report", "report"),
        ("Diff", "diff"),
        ("Explanation", "explain"),
        ("ExampleResult", "examples"),
    ]);
    let src = common::repo_root().join("crates/leadgate/src");
    let graph = imports(&src, &names);
    assert!(graph.len() > 15, "{graph:?}");
    for module in graph.keys() {
        if let Some(c) = cycle(&graph, module) {
            panic!("modules form a cycle: {}", c.join(" → "));
        }
    }
    let compile = &graph["compile"];
    for forbidden in ["decision", "bind", "canonical", "agreement"] {
        assert!(
            !compile.contains(forbidden),
            "compile imports {forbidden}: the compiled program must not know the output"
        );
    }
}

#[test]
fn no_cli_command_imports_another() {
    let names = BTreeMap::from([("Failure", "main"), ("load_agreement", "main")]);
    let src = common::repo_root().join("crates/leadgate-cli/src");
    let graph = imports(&src, &names);
    let commands = [
        "check", "score", "explain", "report", "diff", "fmt", "examples", "compile",
    ];
    for c in commands {
        let deps = graph
            .get(c)
            .unwrap_or_else(|| panic!("no command module {c}"));
        for other in commands {
            assert!(
                !deps.contains(other),
                "the {c} command imports the {other} command"
            );
        }
    }
    for module in graph.keys() {
        if let Some(c) = cycle(&graph, module) {
            panic!("CLI modules form a cycle: {}", c.join(" → "));
        }
    }
}
