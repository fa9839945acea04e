//! The OpenAPI document names every API route with its methods, and no
//! route that does not exist: read from the handlers' source, so a new
//! endpoint without documentation fails here.

use std::collections::BTreeSet;

/// (method, path) of every `.route("/api/…", …)` in the crate's source.
fn api_routes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            let mut rest = src.as_str();
            while let Some(i) = rest.find(".route(") {
                rest = &rest[i + ".route(".len()..];
                // The call's text up to its matching parenthesis.
                let mut depth = 1;
                let end = rest
                    .char_indices()
                    .find(|(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map(|(i, _)| i)
                    .unwrap();
                let call = &rest[..end];
                let Some(route) = call.split('"').nth(1) else {
                    continue;
                };
                if !route.starts_with("/api/") {
                    continue;
                }
                for m in ["get", "post", "put", "delete", "patch"] {
                    let hits = call.match_indices(&format!("{m}(")).any(|(at, _)| {
                        at == 0 || !call[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    });
                    if hits {
                        out.insert((m.to_string(), route.to_string()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_api_route_is_documented_and_nothing_more() {
    let doc: serde_json::Value = serde_json::from_str(dondoc_web::openapi::DOCUMENT).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let summary = op["summary"].as_str().unwrap_or_default();
            assert!(!summary.is_empty(), "{method} {path} has no summary");
            documented.insert((method.clone(), path.clone()));
        }
    }
    let routes = api_routes();
    assert!(routes.len() > 20, "only {} API routes found", routes.len());
    let missing: Vec<_> = routes.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&routes).collect();
    assert!(missing.is_empty(), "not documented: {missing:?}");
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");
}
