//! The store, end to end, on both backends: each test body below runs once
//! on a fresh SQLite file (`name::sqlite`) and once on a fresh PostgreSQL
//! database (`name::postgres`; skipped with a note when the server at
//! `DONDOC_TEST_PG` does not answer, unless `DONDOC_REQUIRE_PG=1`).

#[macro_use]
mod common;

use common::*;
use dondoc_core::deadline::{self, Context, Rule};
use dondoc_core::due::{Due, DueState};
use dondoc_core::plan::EventKind;
use dondoc_core::text::name_key;
use dondoc_store::due_index::{self, Owner};
use dondoc_store::{Store, StoreError, events};
use jiff::civil::Date;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeSet;

on_both_backends!(
    reference_plan_reads_back_whole,
    deadlines_follow_the_national_congress,
    moving_an_event_refreshes_exactly_its_dependents,
    an_assignees_own_congress_moves_only_its_windows,
    loading_is_all_or_nothing,
    set_event_refuses_bad_input_and_audits_good_input,
    plan_and_dates_survive_reopening,
    a_later_plan_that_dates_an_event_refreshes_the_earlier_plans_index,
);

const XIV: &str = "Đại hội XIV của Đảng";
const XX: &str = "Đại hội XX Đảng bộ tỉnh";
const DISTRICTS: &str = "Các huyện, thành ủy, đảng ủy trực thuộc Tỉnh ủy";

async fn loaded(db: &Db) -> dondoc_core::plan::PlanDoc {
    let doc = reference_plan();
    db.store
        .load_plan(&doc, "test", TODAY)
        .await
        .expect("nạp kế hoạch mẫu");
    doc
}

/// Every window the index holds equals what the rule resolves to now, on the
/// calendar as stored: the index is never stale.
async fn assert_index_is_fresh(store: &Store, today: Date) {
    let mut conn = store.pool().acquire().await.expect("kết nối");
    let calendar = events::calendar(&mut conn).await.expect("lịch sự kiện");
    let owners = sqlx::query(
        "select 'assignment' as owner, a.assignment_id as id, t.rule_json, u.name as assignee,
                p.issued_on, u.valid_to
         from assignments a join tasks t on t.task_id = a.task_id
         join units u on u.unit_id = a.unit_id join plans p on p.plan_id = t.plan_id
         union all
         select 'reporting', r.reporting_id, r.rule_json, null, p.issued_on, null
         from reporting r join plans p on p.plan_id = r.plan_id
         union all
         select 'phase', f.phase_id, f.rule_json, null, p.issued_on, null
         from phases f join plans p on p.plan_id = f.plan_id
         order by 1, 2",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("đọc các quy tắc");
    let mut assignments = 0;
    for row in &owners {
        let owner = match row.get::<String, _>("owner").as_str() {
            "assignment" => Owner::Assignment,
            "reporting" => Owner::Reporting,
            _ => Owner::Phase,
        };
        let id: i64 = row.get("id");
        let rule: Option<String> = row.get("rule_json");
        let rule: Option<Rule> = rule.map(|r| serde_json::from_str(&r).expect("quy tắc JSON"));
        let assignee: Option<String> = row.get("assignee");
        let issued: Option<String> = row.get("issued_on");
        let plan_date = issued.map(|d| day(&d)).unwrap_or(today);
        let ctx = Context::new(&calendar, plan_date, today, assignee.as_deref());
        let expected = match &rule {
            Some(r) => deadline::resolve(r, &ctx),
            None => vec![deadline::no_rule()],
        };
        // No deadline past the assigned unit's end.
        let ends: Option<String> = row.get("valid_to");
        let expected = dondoc_core::due::within_life(expected, ends.as_deref());
        let indexed = due_index::read(&mut conn, owner, id)
            .await
            .expect("chỉ mục");
        assert_eq!(
            indexed,
            expected,
            "{} {id} ({assignee:?})",
            owner_text(owner)
        );
        if owner == Owner::Assignment {
            assignments += 1;
        }
    }
    assert!(assignments > 0, "không có phân công nào để so");
}

/// Test 1: What goes in comes out: every part of the plan, in order, and each
/// task assigned to the units its leads name.
async fn reference_plan_reads_back_whole(db: Db) {
    let doc = reference_plan();
    let loaded = db.store.load_plan(&doc, "test", TODAY).await.unwrap();
    assert_eq!(loaded.number, doc.number);
    assert_eq!(loaded.tasks, doc.tasks.len());
    assert_eq!(loaded.phases, doc.phases.len());
    assert_eq!(loaded.reporting, doc.reporting.len());
    assert_eq!(loaded.events, doc.events.len());
    assert_eq!(loaded.units, doc.units.len());

    let back = db.store.plan(None, TODAY).await.unwrap();
    assert_eq!(
        db.store.plan_numbers().await.unwrap(),
        vec![doc.number.clone()]
    );
    assert!(db.store.has_plan(&doc.issuer, &doc.number).await.unwrap());
    assert_eq!(
        (&back.number, &back.issuer, &back.date, &back.title),
        (&doc.number, &doc.issuer, &doc.date, &doc.title)
    );
    assert_eq!(back.purposes, doc.purposes);
    assert_eq!(back.requirements, doc.requirements);
    assert_eq!(back.forms_of_work, doc.forms_of_work);
    assert_eq!(back.recipients, doc.recipients);
    assert_eq!(back.signature, doc.signature);

    assert_eq!(back.tasks.len(), doc.tasks.len());
    assert_eq!(back.phases.len(), doc.phases.len());
    assert_eq!(back.reporting.len(), doc.reporting.len());
    assert_eq!(back.slogans.len(), doc.slogans.len());
    assert_eq!(back.decoration.len(), doc.decoration.len());
    assert_eq!(back.groups.len(), doc.groups.len());
    assert_eq!(back.slogans, doc.slogans);
    assert_eq!(back.decoration, doc.decoration);
    // A fresh database: the calendar and the units are the plan's.
    assert_eq!(back.events.len(), doc.events.len());
    assert_eq!(back.units.len(), doc.units.len());

    for (got, want) in back.phases.iter().zip(&doc.phases) {
        assert_eq!((&got.name, &got.phrase), (&want.name, &want.phrase));
        assert_eq!(got.topics, want.topics, "giai đoạn {}", want.name);
        assert!(got.due.as_ref().is_some_and(|d| !d.is_empty()));
    }
    for (got, want) in back.reporting.iter().zip(&doc.reporting) {
        assert_eq!(got.name, want.name);
        assert_eq!(got.deadline_phrase, want.deadline_phrase);
        assert_eq!(got.reporters, want.reporters);
        assert_eq!(got.indicators, want.indicators, "báo cáo {}", want.name);
    }
    for (got, want) in back.groups.iter().zip(&doc.groups) {
        assert_eq!(got.name, want.name);
        assert_eq!(got.members, want.members, "nhóm {}", want.name);
    }

    let mut assigned = 0;
    for (got, want) in back.tasks.iter().zip(&doc.tasks) {
        let r = &want.reference;
        assert_eq!(got.reference, want.reference);
        assert_eq!(got.text, want.text, "nhiệm vụ {r}");
        assert_eq!(got.leads, want.leads, "nhiệm vụ {r}");
        assert_eq!(got.coordinates, want.coordinates, "nhiệm vụ {r}");
        assert_eq!(got.deadline_phrase, want.deadline_phrase, "nhiệm vụ {r}");
        assert_eq!(got.heading, want.heading, "nhiệm vụ {r}");
        assert_eq!(got.deadline.is_some(), want.deadline.is_some(), "{r}");
        let assignees = got.assignees.clone().unwrap_or_default();
        assert!(!assignees.is_empty(), "nhiệm vụ {r} không giao cho ai");
        assert_eq!(assignees, expected_assignees(&doc, want), "nhiệm vụ {r}");
        assert!(got.due.as_ref().is_some_and(|d| !d.is_empty()), "{r}");
        assigned += assignees.len();
    }
    assert_eq!(loaded.assignments, assigned);
    assert_eq!(count(&db.store, "assignments").await, assigned as i64);

    // The tasks the district group leads go to exactly its members.
    let group = doc
        .groups
        .iter()
        .find(|g| g.name == DISTRICTS)
        .expect("nhóm các huyện");
    let led: Vec<_> = back
        .tasks
        .iter()
        .filter(|t| t.leads == [DISTRICTS])
        .collect();
    assert!(!led.is_empty());
    for t in led {
        assert_eq!(
            t.assignees.as_deref(),
            Some(group.members.as_slice()),
            "{}",
            t.reference
        );
    }
    assert_index_is_fresh(&db.store, TODAY).await;
}

/// Test 2: A plan read today: dated deadlines resolved, those hanging on the
/// national congress pending until it is dated, then resolved from it.
async fn deadlines_follow_the_national_congress(db: Db) {
    loaded(&db).await;
    let plan = db.store.plan(None, TODAY).await.unwrap();
    for phrase in [
        "Hoàn thành trong tháng 11/2024.",
        "thời gian thực hiện: Hoàn thành trong tháng 11/2024",
    ] {
        let t = task_by_phrase(&plan, phrase);
        assert_eq!(
            t.due.as_deref(),
            Some(&[window(Some("2024-11-01"), Some("2024-11-30"))][..]),
            "nhiệm vụ {}",
            t.reference
        );
    }
    let report = reporting_named(&plan, "Đợt V").due.clone().unwrap();
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].state, DueState::Pending);
    assert_eq!((&report[0].from, &report[0].to), (&None, &None));
    assert!(
        report[0]
            .waits_for
            .as_deref()
            .is_some_and(|w| w.contains("XIV")),
        "{report:?}"
    );
    let phase4 = phase_named(&plan, "Đợt IV").due.clone().unwrap();
    assert_eq!(phase4[0].state, DueState::Pending, "{phase4:?}");

    let moved = db
        .store
        .set_event(
            XIV,
            Some(day("2026-01-19")),
            Some(day("2026-01-23")),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    assert_eq!(moved.event.id, "dh-xiv");
    assert_eq!(moved.before, (None, None));
    assert_eq!(
        (moved.event.start.as_deref(), moved.event.end.as_deref()),
        (Some("2026-01-19"), Some("2026-01-23"))
    );
    assert!(!moved.changes.is_empty());
    for c in &moved.changes {
        assert_ne!(c.after, c.before, "{}", c.label);
    }
    let report_change = moved
        .changes
        .iter()
        .find(|c| c.owner == Owner::Reporting)
        .expect("báo cáo Đợt V nằm trong các thay đổi");
    assert!(
        report_change.label.contains("Đợt V"),
        "{}",
        report_change.label
    );
    assert_eq!(report_change.after, [window(None, Some("2026-02-07"))]);
    assert!(
        moved
            .changes
            .iter()
            .any(|c| c.owner == Owner::Phase && c.label == "Đợt IV")
    );

    let plan = db.store.plan(None, TODAY).await.unwrap();
    // by the end + 15 days
    assert_eq!(
        reporting_named(&plan, "Đợt V").due.as_deref(),
        Some(&[window(None, Some("2026-02-07"))][..])
    );
    // from 01/11/2025 to the congress, its last day included
    assert_eq!(
        phase_named(&plan, "Đợt IV").due.as_deref(),
        Some(&[window(Some("2025-11-01"), Some("2026-01-23"))][..])
    );
    // "after the closing": the next day
    assert_eq!(
        phase_named(&plan, "Đợt V").due.as_deref(),
        Some(&[window(Some("2026-01-24"), Some("2026-01-24"))][..])
    );
    let stored = db.store.events().await.unwrap();
    let xiv = stored.iter().find(|e| e.id == "dh-xiv").unwrap();
    assert_eq!(
        (xiv.start.as_deref(), xiv.end.as_deref()),
        (Some("2026-01-19"), Some("2026-01-23"))
    );
    assert_index_is_fresh(&db.store, TODAY).await;
}

/// Moves an event and checks that the index rows that changed are exactly
/// the ones the move reports, each now holding what it reports.
async fn move_and_compare(
    store: &Store,
    name: &str,
    start: &str,
    end: &str,
) -> dondoc_store::events::EventMove {
    let before = due_windows(store).await;
    let deps_before = count(store, "due_deps").await;
    let moved = store
        .set_event(name, Some(day(start)), Some(day(end)), "test", TODAY)
        .await
        .unwrap();
    let after = due_windows(store).await;
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the index has the same owners"
    );
    let changed: BTreeSet<(String, i64)> = before
        .iter()
        .filter(|(k, v)| after.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    let reported: BTreeSet<(String, i64)> = moved
        .changes
        .iter()
        .map(|c| (owner_text(c.owner).to_string(), c.owner_id))
        .collect();
    assert!(!changed.is_empty());
    assert_eq!(
        reported.len(),
        moved.changes.len(),
        "an owner reported twice"
    );
    assert_eq!(changed, reported);
    assert_eq!(count(store, "due_deps").await, deps_before);

    let mut conn = store.pool().acquire().await.unwrap();
    for c in &moved.changes {
        assert_ne!(c.after, c.before, "{}", c.label);
        let now = due_index::read(&mut conn, c.owner, c.owner_id)
            .await
            .unwrap();
        assert_eq!(now, c.after, "{}", c.label);
    }
    drop(conn);
    assert_index_is_fresh(store, TODAY).await;
    moved
}

/// Test 3: Moving an event rewrites exactly the index rows it reports, and the
/// whole index still equals a fresh resolution.
async fn moving_an_event_refreshes_exactly_its_dependents(db: Db) {
    loaded(&db).await;
    assert_index_is_fresh(&db.store, TODAY).await;
    let dependents: i64 =
        sqlx::query("select count(*) as n from due_deps where event_id = 'dh-xx'")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get("n");

    let moved = move_and_compare(&db.store, XX, "2025-10-14", "2025-10-16").await;
    assert_eq!(moved.event.id, "dh-xx");
    // Undated before, every row that depends on it changes.
    assert_eq!(moved.changes.len() as i64, dependents);

    // Only its last day moves: what hangs on the opening stays, and is not
    // reported.
    let moved = move_and_compare(&db.store, XX, "2025-10-14", "2025-10-17").await;
    assert!(
        (moved.changes.len() as i64) < dependents,
        "{}",
        moved.changes.len()
    );

    // "Chậm nhất 01 tuần trước … Đại hội XX Đảng bộ tỉnh": by the 7th.
    let plan = db.store.plan(None, TODAY).await.unwrap();
    let week_before = plan
        .tasks
        .iter()
        .find(|t| {
            t.deadline_phrase
                .as_deref()
                .is_some_and(|p| p.starts_with("Chậm nhất 01 tuần trước") && p.contains(XX))
        })
        .expect("nhiệm vụ chậm nhất 01 tuần trước Đại hội XX");
    let due = week_before.due.clone().unwrap();
    assert!(
        due.contains(&window(None, Some("2025-10-07"))),
        "{}: {due:?}",
        week_before.reference
    );
    // And each unit's own row of the index says so too, unless the unit
    // ended before (the district committees, on 30/06/2025).
    let mut conn = db.store.pool().acquire().await.unwrap();
    let ended = |unit: &str| {
        reference_plan()
            .units
            .iter()
            .any(|u| u.name == unit && u.valid_to.as_deref() == Some("2025-06-30"))
    };
    let mut alive = 0;
    for unit in week_before.assignees.as_deref().unwrap() {
        let id = assignment_id(&db.store, &week_before.reference, unit).await;
        let rows = due_index::read(&mut conn, Owner::Assignment, id)
            .await
            .unwrap();
        let ended_window = Due {
            state: DueState::Ended,
            ..window(None, Some("2025-10-07"))
        };
        if ended(unit) {
            assert!(rows.contains(&ended_window), "{unit}: {rows:?}");
        } else {
            alive += 1;
            assert!(rows.contains(&window(None, Some("2025-10-07"))), "{unit}");
        }
    }
    assert!(alive > 0);
    // "ngay sau khi kết thúc Đại hội XX": the day after its last day.
    let after_xx = task_by_phrase(
        &plan,
        "hoàn thành ngay sau khi kết thúc Đại hội XX Đảng bộ tỉnh",
    );
    assert_eq!(
        after_xx.due.as_deref(),
        Some(&[window(Some("2025-10-18"), Some("2025-10-18"))][..])
    );
}

/// Test 4: A rule over "đại hội đảng bộ cấp mình" follows each assignee's own
/// congress: dating one district's moves that district's windows only.
async fn an_assignees_own_congress_moves_only_its_windows(db: Db) {
    let doc = loaded(&db).await;
    let unit = "Huyện uỷ Bảo Lạc";
    let calendar = db.store.events().await.unwrap();
    let congress_of = |u: &str| {
        calendar
            .iter()
            .find(|e| {
                e.kind == EventKind::Congress
                    && e.unit
                        .as_deref()
                        .is_some_and(|x| name_key(x) == name_key(u))
            })
            .unwrap_or_else(|| panic!("không có đại hội của «{u}»"))
            .clone()
    };
    let own = congress_of(unit);

    let moved = db
        .store
        .set_event(
            &own.id,
            Some(day("2025-06-20")),
            Some(day("2025-06-21")),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    assert_eq!(moved.event.id, own.id);
    assert!(!moved.changes.is_empty());
    for c in &moved.changes {
        assert_eq!(c.owner, Owner::Assignment, "{}", c.label);
        assert!(c.label.ends_with(unit), "{}", c.label);
    }

    let plan = db.store.plan(None, TODAY).await.unwrap();
    let task = task_by_text(
        &plan,
        "Chỉ đạo xây dựng tài liệu tuyên truyền kết quả đại hội đảng bộ cấp mình.",
    );
    let due = task.due.clone().unwrap();
    let dated = Due {
        event: Some(own.name.clone()),
        ..window(Some("2025-06-22"), Some("2025-06-22"))
    };
    assert!(due.contains(&dated), "{due:?}");
    let resolved: Vec<&Due> = due
        .iter()
        .filter(|d| d.state == DueState::Resolved)
        .collect();
    assert_eq!(resolved, [&dated]);

    // Every other assignee still waits for its own congress.
    let assignees = task.assignees.clone().unwrap();
    assert_eq!(assignees, expected_assignees(&doc, task));
    let mut conn = db.store.pool().acquire().await.unwrap();
    for other in &assignees {
        let id = assignment_id(&db.store, &task.reference, other).await;
        let rows = due_index::read(&mut conn, Owner::Assignment, id)
            .await
            .unwrap();
        if name_key(other) == name_key(unit) {
            assert_eq!(rows.len(), 1, "{rows:?}");
            assert_eq!(rows[0], dated);
            continue;
        }
        let theirs = congress_of(other);
        let waiting = Due {
            from: None,
            to: None,
            state: DueState::Pending,
            waits_for: Some(theirs.name.clone()),
            event: Some(theirs.name.clone()),
            // "ngay sau khi kết thúc …": the closing is awaited.
            anchor: Some(dondoc_core::deadline::Anchor::End),
        };
        assert!(due.contains(&waiting), "{other}: {due:?}");
        assert_eq!(rows, [waiting], "{other}");
    }
}

/// Test 5: A load stores the whole plan or nothing: refused before writing, or
/// rolled back when it fails halfway.
async fn loading_is_all_or_nothing(db: Db) {
    let doc = reference_plan();
    let empty = counts(&db.store).await;
    assert!(empty.values().all(|&n| n == 0), "{empty:?}");

    // A lead that names nothing known.
    let mut bad = doc.clone();
    let bad_ref = bad.tasks[3].reference.clone();
    bad.tasks[3].leads = vec!["Đơn vị không có".to_string()];
    let err = db.store.load_plan(&bad, "test", TODAY).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::InvalidPlan(_)), "{err:?}");
    assert!(msg.contains(&format!("nhiệm vụ {bad_ref}")), "{msg}");
    assert!(msg.contains("Đơn vị không có"), "{msg}");
    assert_eq!(counts(&db.store).await, empty);

    db.store.load_plan(&doc, "test", TODAY).await.unwrap();
    let full = counts(&db.store).await;
    for t in [
        "plans",
        "tasks",
        "assignments",
        "due_windows",
        "units",
        "events",
    ] {
        assert!(full[t] > 0, "{t}");
    }
    let index = due_windows(&db.store).await;

    // The same plan again.
    let err = db.store.load_plan(&doc, "test", TODAY).await.unwrap_err();
    match &err {
        StoreError::PlanExists(n) => assert_eq!(n, &doc.number),
        other => panic!("cần PlanExists, được {other:?}"),
    }
    assert!(err.to_string().contains(&doc.number));
    assert_eq!(counts(&db.store).await, full);

    // A new plan whose report repeats an indicator: refused by the checks.
    let mut twice = doc.clone();
    twice.number = "391-KH/TU".into();
    let first = twice.reporting[1].indicators[0].clone();
    twice.reporting[1].indicators.push(first.clone());
    let err = db.store.load_plan(&twice, "test", TODAY).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidPlan(_)), "{err:?}");
    assert!(err.to_string().contains(&first.key), "{err}");
    assert_eq!(counts(&db.store).await, full);

    // A new plan that passes the checks and fails halfway: after its units,
    // events, plan row, tasks and index rows are written, the database
    // refuses its decoration (a trigger set up for the test). Nothing of it
    // may stay, not even the event dates it would set.
    let mut halfway = doc.clone();
    halfway.number = "392-KH/TU".into();
    let mut unit = halfway.units[0].clone();
    unit.name = "Đơn vị thử nghiệm".into();
    unit.parent = None;
    unit.aliases = Vec::new();
    unit.successors = Vec::new();
    halfway.units.push(unit);
    let mut event = halfway.events[0].clone();
    event.id = "su-kien-thu".into();
    event.name = "Sự kiện thử".into();
    event.aliases = Vec::new();
    halfway.events.push(event);
    for e in halfway.events.iter_mut().filter(|e| e.id == "dh-xiv") {
        e.start = Some("2026-01-19".into());
        e.end = Some("2026-01-23".into());
    }
    dondoc_core::plan_file::check(&halfway).expect("the checks let it through");
    let refuse_decoration: &[&'static str] = match db.store.backend() {
        dondoc_store::Backend::Sqlite => &[
            "create trigger refuse_decoration before insert on decoration_items
             begin select raise(abort, 'refused for the test'); end",
        ],
        dondoc_store::Backend::Postgres => &[
            "create function refuse_decoration() returns trigger language plpgsql as
             $$ begin raise exception 'refused for the test'; end $$",
            "create trigger refuse_decoration before insert on decoration_items
             for each row execute function refuse_decoration()",
        ],
    };
    for sql in refuse_decoration {
        sqlx::query(*sql).execute(db.store.pool()).await.unwrap();
    }
    let err = db
        .store
        .load_plan(&halfway, "test", TODAY)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    assert_eq!(counts(&db.store).await, full);
    assert_eq!(due_windows(&db.store).await, index);
    assert!(
        !db.store
            .has_plan("Tỉnh uỷ Cao Bằng", "392-KH/TU")
            .await
            .unwrap()
    );
    assert_eq!(
        db.store.plan_numbers().await.unwrap(),
        vec![doc.number.clone()]
    );
    let stored = db.store.events().await.unwrap();
    assert!(stored.iter().all(|e| e.id != "su-kien-thu"));
    let xiv = stored.iter().find(|e| e.id == "dh-xiv").unwrap();
    assert_eq!((&xiv.start, &xiv.end), (&None, &None));
}

/// Test 6: Moving an event: a name nobody knows or dates out of order change
/// nothing; a move is written to the audit log with before and after.
async fn set_event_refuses_bad_input_and_audits_good_input(db: Db) {
    loaded(&db).await;
    let calendar = db.store.events().await.unwrap();
    let index = due_windows(&db.store).await;
    let event_sets = |store: Store| async move {
        store
            .audit(1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.action == "event.set")
            .collect::<Vec<_>>()
    };
    assert!(event_sets(db.store.clone()).await.is_empty());

    let nobody = "Đại hội chưa từng có";
    let err = db
        .store
        .set_event(nobody, Some(day("2025-01-01")), None, "test", TODAY)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::EventNotFound { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(nobody), "{msg}");
    assert!(msg.contains("không tìm thấy sự kiện"), "{msg}");

    let err = db
        .store
        .set_event(
            XX,
            Some(day("2025-10-16")),
            Some(day("2025-10-14")),
            "test",
            TODAY,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("14/10/2025") && msg.contains("16/10/2025"),
        "{msg}"
    );

    let err = db
        .store
        .set_event(XX, None, Some(day("2025-10-14")), "test", TODAY)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");

    assert_eq!(db.store.events().await.unwrap(), calendar);
    assert_eq!(due_windows(&db.store).await, index);
    assert!(event_sets(db.store.clone()).await.is_empty());

    db.store
        .set_event(
            XX,
            Some(day("2025-10-14")),
            Some(day("2025-10-16")),
            "tester",
            TODAY,
        )
        .await
        .unwrap();
    let sets = event_sets(db.store.clone()).await;
    assert_eq!(sets.len(), 1, "{sets:?}");
    let entry = &sets[0];
    assert_eq!(
        (&*entry.actor, &*entry.entity, &*entry.entity_id),
        ("tester", "event", "dh-xx")
    );
    let parse = |s: &Option<String>| -> serde_json::Value {
        serde_json::from_str(s.as_deref().expect("có JSON")).expect("JSON hợp lệ")
    };
    assert_eq!(parse(&entry.before), json!({"start": null, "end": null}));
    assert_eq!(
        parse(&entry.after),
        json!({"start": "2025-10-14", "end": "2025-10-16"})
    );
    assert_ne!(due_windows(&db.store).await, index);

    // Given only a new start, the event keeps its length (three days).
    let moved = db
        .store
        .set_event(XX, Some(day("2025-10-20")), None, "tester", TODAY)
        .await
        .unwrap();
    assert_eq!(
        (moved.event.start.as_deref(), moved.event.end.as_deref()),
        (Some("2025-10-20"), Some("2025-10-22"))
    );

    // Undating it again brings the index back to where it was.
    let moved = db
        .store
        .set_event("dh-xx", None, None, "tester", TODAY)
        .await
        .unwrap();
    assert_eq!(
        moved.before,
        (Some("2025-10-20".into()), Some("2025-10-22".into()))
    );
    assert_eq!(due_windows(&db.store).await, index);
    let sets = event_sets(db.store.clone()).await;
    assert_eq!(sets.len(), 3);
    assert_eq!(
        parse(&sets[1].after),
        json!({"start": "2025-10-20", "end": "2025-10-22"})
    );
    assert_eq!(
        parse(&sets[0].before),
        json!({"start": "2025-10-20", "end": "2025-10-22"})
    );
    assert_eq!(parse(&sets[0].after), json!({"start": null, "end": null}));
}

/// Test 7: Committed means kept: close, open again at the same address.
async fn plan_and_dates_survive_reopening(db: Db) {
    let doc = loaded(&db).await;
    db.store
        .set_event(
            XIV,
            Some(day("2026-01-19")),
            Some(day("2026-01-23")),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let index = due_windows(&db.store).await;
    let tables = counts(&db.store).await;
    db.store.close().await;

    let store = Store::open(&db.url).await.expect("mở lại");
    assert_eq!(store.backend(), db.store.backend());
    assert_eq!(
        store.plan_numbers().await.unwrap(),
        vec![doc.number.clone()]
    );
    assert_eq!(counts(&store).await, tables);
    assert_eq!(due_windows(&store).await, index);
    let plan = store
        .plan(
            Some(&dondoc_store::plans::PlanKey::number(&doc.number)),
            TODAY,
        )
        .await
        .unwrap();
    assert_eq!(plan.tasks.len(), doc.tasks.len());
    assert_eq!(
        reporting_named(&plan, "Đợt V").due.as_deref(),
        Some(&[window(None, Some("2026-02-07"))][..])
    );
    let xiv = store
        .events()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == "dh-xiv")
        .unwrap();
    assert_eq!(
        (xiv.start.as_deref(), xiv.end.as_deref()),
        (Some("2026-01-19"), Some("2026-01-23"))
    );
    let actions: Vec<String> = store
        .audit(10)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["event.set", "plan.load"]);
    store.close().await;
}

/// A second plan that gives a date to an event the calendar already holds
/// undated sets that date (see `events::upsert`): the windows of the plans
/// stored before, which depend on it, must follow as when `set_event` moves it.
async fn a_later_plan_that_dates_an_event_refreshes_the_earlier_plans_index(db: Db) {
    let doc = loaded(&db).await;
    let mut later = dondoc_core::plan::PlanDoc {
        number: "01-KH/TEST".into(),
        issuer: doc.issuer.clone(),
        date: Some("2025-12-01".into()),
        title: "Kế hoạch thử".into(),
        ..Default::default()
    };
    let mut xiv = doc
        .events
        .iter()
        .find(|e| e.id == "dh-xiv")
        .unwrap()
        .clone();
    xiv.start = Some("2026-01-19".into());
    xiv.end = Some("2026-01-23".into());
    later.events.push(xiv);
    db.store.load_plan(&later, "test", TODAY).await.unwrap();

    let stored = db.store.events().await.unwrap();
    let xiv = stored.iter().find(|e| e.id == "dh-xiv").unwrap();
    assert_eq!(xiv.end.as_deref(), Some("2026-01-23"));
    // Read from the rules, the earlier plan follows …
    let plan = db
        .store
        .plan(
            Some(&dondoc_store::plans::PlanKey::number(&doc.number)),
            TODAY,
        )
        .await
        .unwrap();
    assert_eq!(
        reporting_named(&plan, "Đợt V").due.as_deref(),
        Some(&[window(None, Some("2026-02-07"))][..])
    );
    // … and so must its index.
    assert_index_is_fresh(&db.store, TODAY).await;
}

/// Test 8: A mistyped address is an error, never an SQLite file named after it.
#[tokio::test]
async fn a_mistyped_address_is_refused_and_creates_nothing() {
    let listing = || -> BTreeSet<String> {
        std::fs::read_dir(".")
            .expect("thư mục hiện hành")
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let before = listing();
    for url in [
        "postgress://x",
        "postgress://root@127.0.0.1:5432/test",
        "postgre://x",
        "mysql://x",
        "",
    ] {
        match Store::open(url).await {
            Err(StoreError::BadUrl(u)) => assert_eq!(u, url),
            Err(other) => panic!("«{url}»: cần BadUrl, được {other:?}"),
            Ok(_) => panic!("«{url}» mở được"),
        }
    }
    let err = Store::open("postgress://x").await.err().unwrap();
    assert!(err.to_string().contains("«postgress://x»"), "{err}");
    let after = listing();
    assert_eq!(before, after);
    assert!(
        after
            .iter()
            .all(|n| !n.starts_with("postgress") && !n.starts_with("mysql")),
        "{after:?}"
    );
}
