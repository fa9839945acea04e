//! Drafts of plans read from their documents, on both backends (see
//! `common` for how each test runs on SQLite and PostgreSQL).

#[macro_use]
mod common;

use common::*;
use dondoc_core::deadline;
use dondoc_core::plan::{PlanDoc, Task};
use dondoc_store::drafts::{Choice, NewDraft, Source, Status};
use dondoc_store::users::{self, NewUser, Role};
use dondoc_store::{StoreError, units};
use std::collections::BTreeMap;

on_both_backends!(a_draft_is_corrected_then_stored_once);

fn draft(number: &str) -> PlanDoc {
    let phrase = "Trước ngày 15/02/2025.";
    PlanDoc {
        number: number.into(),
        issuer: "Ban Tuyên giáo Tỉnh uỷ".into(),
        date: Some("2025-01-10".into()),
        title: "Kế hoạch thử".into(),
        tasks: vec![Task {
            reference: "1".into(),
            text: "Biên soạn tài liệu.".into(),
            leads: vec!["Ban Tuyên giáo Tỉnh ủy".into()],
            coordinates: vec!["Hội Sử học tỉnh".into()],
            deadline_phrase: Some(phrase.into()),
            deadline: deadline::parse(phrase).ok(),
            ..Task::default()
        }],
        proposed_units: Some(vec!["Hội Sử học tỉnh".into()]),
        ..PlanDoc::default()
    }
}

async fn a_draft_is_corrected_then_stored_once(db: Db) {
    let s = &db.store;
    s.load_plan(&reference_plan(), "test", TODAY).await.unwrap();
    let mut conn = s.conn().await.unwrap();
    let unit = units::index(&mut conn)
        .await
        .unwrap()
        .find("Ban Tuyên giáo Tỉnh uỷ")
        .unwrap();
    let owner = users::insert(
        &mut conn,
        &NewUser {
            username: "chutri",
            full_name: "Chủ trì",
            unit_id: unit,
            role: Role::Owner,
            password_hash: "x",
        },
    )
    .await
    .unwrap();
    drop(conn);

    let plan = draft("390-KH/TU");
    let sources = vec![Source {
        reference: "1".into(),
        lines: vec![3, 4],
    }];
    let lines: Vec<String> = ["KẾ HOẠCH", "thử", "1. Biên soạn", "Trước ngày 15/02/2025."]
        .map(String::from)
        .to_vec();
    let id = s
        .create_draft(
            &NewDraft {
                created_by: owner,
                file_name: "thu.txt",
                format: "text",
                encoding: "UTF-8",
                plan: &plan,
                sources: &sources,
                lines: &lines,
            },
            "chutri",
        )
        .await
        .unwrap();
    let d = s.draft(id).await.unwrap().expect("bản nháp");
    assert_eq!(d.plan, plan);
    assert_eq!(d.sources, sources);
    assert_eq!(d.lines, lines);
    assert_eq!((d.status, d.version), (Status::Open, 1));
    assert_eq!(d.creator_name, "Chủ trì");
    assert!(d.choices.is_empty());
    assert!(s.draft(id + 1000).await.unwrap().is_none());

    // Corrections are versioned: a save from an older state is refused.
    let mut choices = BTreeMap::new();
    choices.insert(
        "Hội Sử học tỉnh".to_string(),
        Choice::SameAs("Hội Nhà báo tỉnh".into()),
    );
    let v = s
        .save_draft(id, &plan, &choices, Some(1), "chutri", None, None)
        .await
        .unwrap();
    assert_eq!(v, 2);
    let stale = s
        .save_draft(id, &plan, &choices, Some(1), "chutri", None, None)
        .await;
    assert!(matches!(stale, Err(StoreError::Stale(_))), "{stale:?}");
    assert_eq!(s.draft(id).await.unwrap().unwrap().choices, choices);

    // A number its issuer already has: nothing kept, the draft stays open.
    let mut adopted = plan.clone();
    adopted.issuer = reference_plan().issuer;
    adopted.proposed_units = None;
    adopted.units = reference_plan().units;
    adopted.tasks[0].coordinates.clear();
    let taken = s
        .confirm_draft(id, &plan, &choices, Some(2), &adopted, "chutri", TODAY)
        .await;
    assert!(matches!(taken, Err(StoreError::PlanExists(_))), "{taken:?}");
    let d = s.draft(id).await.unwrap().unwrap();
    assert_eq!((d.status, d.version), (Status::Open, 2));
    assert_eq!(s.plan_numbers().await.unwrap().len(), 1);

    // Confirmed: the plan is stored and the draft closed, once.
    let mut corrected = plan.clone();
    corrected.number = "5-KH/BTG".into();
    adopted.number = "5-KH/BTG".into();
    let loaded = s
        .confirm_draft(id, &corrected, &choices, None, &adopted, "chutri", TODAY)
        .await
        .unwrap();
    assert_eq!((loaded.number.as_str(), loaded.tasks), ("5-KH/BTG", 1));
    let d = s.draft(id).await.unwrap().unwrap();
    assert_eq!(d.status, Status::Stored);
    assert_eq!(d.plan_number.as_deref(), Some("5-KH/BTG"));
    assert_eq!(d.plan.number, "5-KH/BTG");
    for again in [
        s.confirm_draft(id, &corrected, &choices, None, &adopted, "chutri", TODAY)
            .await
            .map(|_| ()),
        s.save_draft(id, &corrected, &choices, None, "chutri", None, None)
            .await
            .map(|_| ()),
    ] {
        assert!(matches!(again, Err(StoreError::Stale(_))), "{again:?}");
    }
    assert_eq!(s.plan_numbers().await.unwrap().len(), 2);

    let actions: Vec<String> = s
        .audit(20)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["import.draft", "import.edit", "plan.load", "import.confirm"] {
        assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
    }
    let listed = s.drafts(10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, Status::Stored);
    assert_eq!(listed[0].number, "5-KH/BTG");
}
