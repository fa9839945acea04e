//! The reference plan's text, imported, against the hand-curated plan file:
//! field by field, with precision and recall printed for each.

mod support {
    pub mod diff;
}
use serde_json::Value;
use support::diff;

#[test]
fn reference_text_imports_to_the_curated_plan() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plans/");
    let curated_text = std::fs::read_to_string(format!("{root}390-KH-TU.json")).unwrap();
    let curated = dondoc_core::plan_file::read(&curated_text).unwrap();
    let text = std::fs::read_to_string(format!("{root}390-KH-TU.md")).unwrap();
    let mut draft = dondoc_import::read_text(&text).unwrap();
    // Imported where the plan's units and groups are known, as the demo's
    // directory holds them: a group the text names stays one group.
    let known = dondoc_import::matching::Known::of(&curated.units, &curated.groups);
    dondoc_import::matching::propose(&mut draft.plan, Some(&known));
    let curated = serde_json::to_value(&curated).unwrap();
    let got = serde_json::to_value(&draft.plan).unwrap();
    // Everything the text states; `place` is left out: the text writes no
    // place-and-date line, and the curated file's place comes from the issuer.
    let mut shape = curated.clone();
    shape.as_object_mut().unwrap().remove("place");
    let score = diff::compare(
        "390-KH/TU",
        &diff::facts(&curated, &shape),
        &diff::facts(&got, &shape),
    );
    assert!(
        diff::perfect(&score),
        "bản đọc từ văn bản khác bản kế hoạch đã soát (xem các dòng THIẾU/THỪA)"
    );
    assert_eq!(
        draft.plan.unparsed.as_deref().unwrap_or_default(),
        &[],
        "mọi dòng của kế hoạch mẫu đều được hiểu"
    );
    let _: Value = got;
}
