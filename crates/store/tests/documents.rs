//! The data of the documents (synthesis report, tracking workbook, calendar
//! feed, charts) gathered from the reference plan with a few reports in, on
//! both backends (see `common` for how each test runs on SQLite and
//! PostgreSQL).

#[macro_use]
mod common;

use common::sample::*;
use common::*;
use dondoc_core::documents::synthesis::{PhaseScope, Synthesis, TaskLine, TaskNote};
use dondoc_core::documents::tracking::ReportCell;
use dondoc_core::due;
use dondoc_store::reports;
use dondoc_store::{StoreError, dashboard, plans};
use jiff::civil::date;
use std::collections::BTreeMap;

on_both_backends!(
    synthesis_totals_are_the_dashboards,
    a_phase_is_named_either_way_and_an_unknown_one_is_refused,
    a_phase_without_reports_is_empty,
    tasks_tied_to_the_congress_wait_until_it_is_dated,
    a_moved_event_comes_back_with_new_dates_and_a_higher_sequence,
    a_unit_without_assignments_has_an_empty_feed,
    tracking_has_every_assignment_and_every_report,
    charts_follow_the_same_figures,
);

/// The dashboard's totals per indicator over the regimes named.
async fn dashboard_totals(db: &Db, regimes: &[&str]) -> BTreeMap<String, i64> {
    let mut conn = db.store.conn().await.unwrap();
    let (plan_id, _) = plans::choose(&mut conn, None).await.unwrap();
    let ids: Vec<i64> = reports::regimes(&mut conn, plan_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|g| regimes.contains(&g.name.as_str()))
        .map(|g| g.reporting_id)
        .collect();
    let mut out = BTreeMap::new();
    for t in dashboard::figure_totals(&mut conn, plan_id, None)
        .await
        .unwrap()
    {
        if ids.contains(&t.reporting_id) {
            *out.entry(t.indicator_key).or_default() += t.total;
        }
    }
    out
}

fn totals_of(s: &Synthesis) -> BTreeMap<String, i64> {
    s.indicators
        .iter()
        .zip(&s.totals)
        .filter(|(_, n)| **n != 0)
        .map(|(i, n)| (i.key.clone(), *n))
        .collect()
}

/// Every column of the figures table adds up to its total.
fn assert_columns_add_up(s: &Synthesis) {
    assert_eq!(s.totals.len(), s.indicators.len());
    for (i, total) in s.totals.iter().enumerate() {
        let sum: i64 = s.figures.iter().filter_map(|r| r.values[i]).sum();
        assert_eq!(sum, *total, "cột «{}»", s.indicators[i].label);
    }
}

async fn synthesis_totals_are_the_dashboards(db: Db) {
    with_reports(&db).await;
    let s = db
        .store
        .synthesis(None, Some("Đợt I"), AFTER_PHASE_I)
        .await
        .unwrap();
    let expected = dashboard_totals(&db, &["Đợt I"]).await;
    assert_eq!(totals_of(&s), expected);
    assert_eq!(expected["tin_bai_bao_chi"], 12 + 120 + 5);
    assert_columns_add_up(&s);

    // The units that gave figures, in the unit tree's order, with their level.
    let rows: Vec<(&str, &str)> = s
        .figures
        .iter()
        .map(|r| (r.unit.as_str(), r.level.as_str()))
        .collect();
    assert_eq!(rows, [(BTC, "Tỉnh"), (BAO_LAC, "Huyện"), (BAO_CB, "Tỉnh")]);
    let pano = s
        .indicators
        .iter()
        .position(|i| i.key == "pano_ap_phich_bang_ron_khau_hieu")
        .unwrap();
    assert_eq!(s.figures[1].values[pano], None, "Bảo Lạc gave no figure");

    // The rates are the dashboard's for the phase I report.
    let mut conn = db.store.conn().await.unwrap();
    let (plan_id, _) = plans::choose(&mut conn, None).await.unwrap();
    let regimes = reports::regimes(&mut conn, plan_id).await.unwrap();
    let rates = dashboard::rates(&mut conn, &regimes, AFTER_PHASE_I, None)
        .await
        .unwrap();
    let dot_i = rates.iter().find(|r| r.regime == "Đợt I").unwrap();
    assert_eq!(
        (s.rates.expected, s.rates.submitted, s.rates.on_time),
        (
            dot_i.total.expected,
            dot_i.total.submitted,
            dot_i.total.on_time
        )
    );
    assert_eq!((s.rates.submitted, s.rates.on_time), (3, 2));

    // Late and missing: the late one with its day; the draft is missing.
    assert_eq!(s.late.len(), 1);
    assert_eq!(s.late[0].unit, BTC);
    assert_eq!(s.late[0].submitted, Some(date(2025, 2, 10)));
    assert_eq!(s.late[0].report.title(), "Đợt I");
    assert_eq!(s.missing.len() as i64, s.rates.expected - 3);
    assert!(s.missing.iter().any(|m| m.unit == BAO_LAM));
    assert!(s.missing.iter().all(|m| m.submitted.is_none()));

    // Narratives: the non-empty ones, in the unit tree's order.
    assert_eq!(s.narratives.len(), 1);
    assert_eq!(s.narratives[0].report.title(), "Đợt I");
    assert_eq!(
        s.narratives[0].items,
        [
            (BTC.to_string(), BTC_TEXT.to_string()),
            (BAO_LAC.to_string(), BAO_LAC_TEXT.to_string())
        ]
    );
    assert!(
        s.forms.iter().any(|f| f.reference == "III.1.1"
            && f.figures
                .iter()
                .any(|(i, n)| i.key == "tin_bai_bao_chi" && *n == 137)),
        "{:?}",
        s.forms
    );

    // The whole plan covers the phase reports, not the monthly ones too.
    let whole = db.store.synthesis(None, None, AFTER_PHASE_I).await.unwrap();
    let phases = ["Đợt I", "Đợt II", "Đợt III", "Đợt IV", "Đợt V"];
    assert_eq!(totals_of(&whole), dashboard_totals(&db, &phases).await);
    assert_eq!(totals_of(&whole)["tin_bai_bao_chi"], 137);
    assert_columns_add_up(&whole);
    assert_eq!(whole.phase, None);
    // The monthly figures are said apart, period by period, as the
    // dashboard shows them; the draft of Bảo Lâm counts nowhere.
    assert_eq!(whole.periodic.len(), 1, "{:?}", whole.periodic);
    let monthly = &whole.periodic[0];
    assert_eq!(monthly.regime, "Hằng tháng");
    assert_eq!(monthly.rows.len(), 1);
    assert_eq!(monthly.rows[0].period, "Tháng 01/2025");
    assert_eq!(monthly.rows[0].reports, 1);
    let tin_bai = monthly
        .indicators
        .iter()
        .position(|i| i.key == "tin_bai_bao_chi")
        .unwrap();
    assert_eq!(monthly.rows[0].values[tin_bai], Some(4));
    assert_eq!(monthly.totals[tin_bai], 4);
    assert_eq!(
        dashboard_totals(&db, &["Hằng tháng"]).await["tin_bai_bao_chi"],
        4
    );
    // Reports are counted per unit and period; the units owing them apart.
    assert!(whole.rates.units > 0 && whole.rates.units < whole.rates.expected);
    assert_eq!(
        s.rates.units, s.rates.expected,
        "one period: one report each"
    );

    // The header, from the plan.
    // (The header and scope in words, and the document made from them:
    // crates/cli/tests/documents.rs.)
    assert_eq!(s.plan_issuer.to_uppercase(), "TỈNH UỶ CAO BẰNG");
    assert_eq!(s.superior, None);
    assert_eq!(s.date, AFTER_PHASE_I);
    assert_eq!(s.plan_number, "390-KH/TU");
    assert_eq!(s.plan_date, Some(date(2024, 11, 19)));
    let phase = s.phase.as_ref().expect("Đợt I");
    assert_eq!(
        (phase.name.as_str(), phase.from, phase.to),
        ("Đợt I", Some(date(2024, 11, 19)), Some(date(2024, 12, 31)))
    );
    // The plan's signer and distribution list are the plan's: the report's
    // are left to its drafter.
    assert_eq!(s.signature, None);
    assert!(s.recipients.is_empty());
    // Started work apart from work not yet started.
    assert_eq!(
        s.tasks.done
            + s.tasks.in_progress
            + s.tasks.not_started
            + s.tasks.overdue
            + s.tasks.pending,
        s.tasks.assignments
    );
}

async fn a_phase_is_named_either_way_and_an_unknown_one_is_refused(db: Db) {
    with_reports(&db).await;
    let a = db
        .store
        .synthesis(None, Some("Đợt I"), AFTER_PHASE_I)
        .await
        .unwrap();
    for other in ["I", "đợt i", "ĐỢT I", "1"] {
        let b = db
            .store
            .synthesis(None, Some(other), AFTER_PHASE_I)
            .await
            .unwrap();
        assert_eq!((&b.phase, &b.totals), (&a.phase, &a.totals), "{other}");
    }
    match db
        .store
        .synthesis(
            Some(&plans::PlanKey::number("390-KH/TU")),
            Some("Đợt IX"),
            AFTER_PHASE_I,
        )
        .await
    {
        Err(StoreError::Invalid(m)) => {
            assert!(m.contains("«Đợt IX»"), "{m}");
            assert!(m.contains("Đợt I, Đợt II, Đợt III, Đợt IV, Đợt V"), "{m}");
        }
        other => panic!("{:?}", other.map(|s| s.phase)),
    }
    assert!(matches!(
        db.store
            .synthesis(
                Some(&plans::PlanKey::number("1-KH/XX")),
                None,
                AFTER_PHASE_I
            )
            .await,
        Err(StoreError::PlanNotFound(_))
    ));
}

async fn a_phase_without_reports_is_empty(db: Db) {
    with_reports(&db).await;
    // Phase II's report is owed (due 15/09/2025) and nobody has sent it.
    let s = db
        .store
        .synthesis(None, Some("II"), AFTER_PHASE_I)
        .await
        .unwrap();
    assert!(s.figures.is_empty());
    assert!(s.totals.iter().all(|n| *n == 0));
    assert!(s.forms.is_empty());
    assert!(s.narratives.is_empty());
    assert!(s.rates.expected > 0);
    assert_eq!((s.rates.submitted, s.rates.on_time), (0, 0));
    // Not due yet: nobody is late or missing.
    assert!(s.late.is_empty() && s.missing.is_empty());

    // Phase V waits for the national congress: nothing is owed yet.
    let v = db
        .store
        .synthesis(None, Some("Đợt V"), AFTER_PHASE_I)
        .await
        .unwrap();
    assert!(v.figures.is_empty());
    assert_eq!(v.rates.expected, 0);
    // Named with its days or, while it has none, with the plan's words
    // (its scope in words: crates/cli/tests/documents.rs).
    assert!(
        v.phase
            .as_ref()
            .is_some_and(|p: &PhaseScope| p.name == "Đợt V"
                && (p.from.is_some() || p.to.is_some() || !p.phrase.trim().is_empty())),
        "{:?}",
        v.phase
    );
}

async fn tasks_tied_to_the_congress_wait_until_it_is_dated(db: Db) {
    load(&db).await;
    let line = |list: &[TaskLine]| list.iter().find(|t| t.reference == "V.1.2.3").cloned();
    let before = db.store.synthesis(None, None, TODAY).await.unwrap();
    let pending = line(&before.pending).expect("V.1.2.3 chờ ngày Đại hội XX");
    assert_eq!(pending.units, [BTG]);
    let due_words = |t: &TaskLine| due::summary(&t.due);
    assert!(due_words(&pending).contains(XX), "{}", due_words(&pending));
    assert!(line(&before.in_progress).is_none());
    assert!(
        before.tasks.waits_for.iter().any(|w| w.contains(XX)),
        "{:?}",
        before.tasks
    );

    db.store
        .set_event(
            XX,
            Some(date(2025, 10, 14)),
            Some(date(2025, 10, 16)),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let after = db.store.synthesis(None, None, TODAY).await.unwrap();
    assert!(line(&after.pending).is_none());
    assert!(line(&after.in_progress).is_none(), "nobody has started it");
    let dated = line(&after.not_started).expect("V.1.2.3 đã có hạn");
    assert!(
        due_words(&dated).contains("17/10/2025"),
        "{}",
        due_words(&dated)
    );
    assert_eq!(dated.note, TaskNote::NotStarted);
    // The phase that holds the new day lists it; an earlier one does not.
    let iii = db.store.synthesis(None, Some("III"), TODAY).await.unwrap();
    assert!(line(&iii.not_started).is_some());
    let i = db.store.synthesis(None, Some("I"), TODAY).await.unwrap();
    assert!(line(&i.not_started).is_none() && line(&i.pending).is_none());
}

async fn a_moved_event_comes_back_with_new_dates_and_a_higher_sequence(db: Db) {
    load(&db).await;
    let id = assignment_id(&db.store, "V.1.2.3", BTG).await;
    let task_uid = format!("assignment-{id}-0@dondoc");
    let feed = db.store.feed(BTG, TODAY).await.unwrap();
    assert_eq!(feed.name, format!("dondoc — {BTG}"));
    assert!(!feed.items.iter().any(|i| i.uid == "event-dh-xx@dondoc"));
    assert!(!feed.items.iter().any(|i| i.uid == task_uid));
    let others: Vec<String> = feed.items.iter().map(|i| i.uid.clone()).collect();

    db.store
        .set_event(
            XX,
            Some(date(2025, 10, 14)),
            Some(date(2025, 10, 16)),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let feed = db.store.feed(BTG, TODAY).await.unwrap();
    let event = feed
        .items
        .iter()
        .find(|i| i.uid == "event-dh-xx@dondoc")
        .expect("đại hội của Tỉnh uỷ, cấp trên của Ban");
    assert_eq!(
        (event.start, event.end, event.sequence),
        (date(2025, 10, 14), date(2025, 10, 16), 1)
    );
    let task = feed.items.iter().find(|i| i.uid == task_uid).unwrap();
    assert_eq!(
        (task.start, task.end),
        (date(2025, 10, 17), date(2025, 10, 17))
    );
    assert!(task.summary.contains("V.1.2.3"), "{}", task.summary);
    let first = task.sequence;

    // Moved by a week: new dates, a higher SEQUENCE; items whose dates did
    // not move keep theirs.
    db.store
        .set_event(XX, Some(date(2025, 10, 21)), None, "test", TODAY)
        .await
        .unwrap();
    let moved = db
        .store
        .feed("ban tuyên giáo tỉnh ủy", TODAY)
        .await
        .unwrap();
    let event2 = moved
        .items
        .iter()
        .find(|i| i.uid == "event-dh-xx@dondoc")
        .unwrap();
    assert_eq!(
        (event2.start, event2.end),
        (date(2025, 10, 21), date(2025, 10, 23))
    );
    assert!(event2.sequence > event.sequence);
    let task2 = moved.items.iter().find(|i| i.uid == task_uid).unwrap();
    assert_eq!(task2.start, date(2025, 10, 24));
    assert!(task2.sequence > first);
    for uid in &others {
        let a = feed.items.iter().find(|i| i.uid == *uid).unwrap();
        let b = moved.items.iter().find(|i| i.uid == *uid).unwrap();
        assert_eq!((a.start, a.sequence), (b.start, b.sequence), "{uid}");
    }
    // Setting the same dates again is no change.
    db.store
        .set_event(
            XX,
            Some(date(2025, 10, 21)),
            Some(date(2025, 10, 23)),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let same = db.store.feed(BTG, TODAY).await.unwrap();
    let event3 = same
        .items
        .iter()
        .find(|i| i.uid == "event-dh-xx@dondoc")
        .unwrap();
    assert_eq!(event3.sequence, event2.sequence);
}

async fn a_unit_without_assignments_has_an_empty_feed(db: Db) {
    load(&db).await;
    let feed = db.store.feed("Bộ Chính trị", TODAY).await.unwrap();
    assert!(feed.items.is_empty(), "{:?}", feed.items);
    // By an alias, in another spelling.
    let by_alias = db.store.feed("ubmttq tỉnh", TODAY).await.unwrap();
    assert_eq!(
        by_alias.name,
        "dondoc — Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    );
    match db.store.feed("Huyện uỷ Bảo Lộc", TODAY).await {
        Err(StoreError::Invalid(m)) => assert!(m.contains("«Huyện uỷ Bảo Lộc»"), "{m}"),
        other => panic!("{:?}", other.map(|f| f.name)),
    }
}

async fn tracking_has_every_assignment_and_every_report(db: Db) {
    with_reports(&db).await;
    let t = db.store.tracking(None, AFTER_PHASE_I).await.unwrap();
    assert_eq!(t.plan_number, "390-KH/TU");
    assert_eq!(
        t.assignments.len() as i64,
        count(&db.store, "assignments").await
    );
    // Task order first, then the unit tree's.
    assert_eq!(t.assignments[0].reference, "V.1.1.1");
    let pending = t
        .assignments
        .iter()
        .find(|a| a.reference == "V.1.2.3")
        .unwrap();
    // (The deadline and status in words: crates/cli/tests/documents.rs.)
    assert!(
        pending.due.iter().any(|d| d.text().contains(XX)),
        "{:?}",
        pending.due
    );
    assert_eq!(pending.due_date, None);
    assert_eq!(
        (pending.status.as_str(), pending.overdue),
        ("Chưa bắt đầu", false)
    );
    assert!(
        t.assignments
            .iter()
            .any(|a| a.overdue && a.due_date.is_some()),
        "some assignment is overdue on 10/03/2025"
    );

    let column = |regime: &str, period: &str| {
        t.periods
            .iter()
            .position(|p| p.report == regime && p.period == period)
            .unwrap_or_else(|| panic!("cột {regime} {period}"))
    };
    let row = |unit: &str| {
        t.reporting
            .iter()
            .find(|r| r.unit == unit)
            .unwrap_or_else(|| panic!("dòng {unit}"))
    };
    let dot_i = column("Đợt I", "Đợt I");
    assert_eq!(
        row(BAO_LAC).cells[dot_i],
        ReportCell::OnTime(date(2025, 1, 20))
    );
    assert_eq!(row(BTC).cells[dot_i], ReportCell::Late(date(2025, 2, 10)));
    // The office that receives the reports owes none.
    assert!(t.reporting.iter().all(|r| r.unit != BTG));
    assert_eq!(row(BAO_LAM).cells[dot_i], ReportCell::Missing);
    assert_eq!(
        row(BAO_LAC).cells[column("Hằng tháng", "Tháng 01/2025")],
        ReportCell::OnTime(date(2025, 1, 30))
    );
    assert_eq!(
        row(BAO_LAC).cells[column("Đợt V", "Đợt V")],
        ReportCell::NotExpected
    );
    assert!(t.periods[column("Đợt V", "Đợt V")].due.is_none());
    assert!(t.reporting.iter().all(|r| r.cells.len() == t.periods.len()));
    assert!(!t.reporting.iter().any(|r| r.unit == "Bộ Chính trị"));

    // The figures are the whole plan's synthesis figures.
    let s = db.store.synthesis(None, None, AFTER_PHASE_I).await.unwrap();
    let keys = |i: &[dondoc_core::documents::synthesis::Indicator]| {
        i.iter().map(|i| i.key.clone()).collect::<Vec<_>>()
    };
    assert_eq!(keys(&t.indicators), keys(&s.indicators));
    let rows = |f: &[dondoc_core::documents::synthesis::FigureRow]| {
        f.iter()
            .map(|r| (r.unit.clone(), r.values.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&t.figures), rows(&s.figures));
}

async fn charts_follow_the_same_figures(db: Db) {
    with_reports(&db).await;
    let timeline = db.store.timeline(None, AFTER_PHASE_I).await.unwrap();
    assert_eq!(timeline.today, AFTER_PHASE_I);
    assert_eq!(
        timeline.phases[0],
        ("Đợt I".to_string(), date(2024, 11, 19), date(2024, 12, 31))
    );
    // Phases waiting for an event have no bar.
    assert!(!timeline.phases.iter().any(|p| p.0 == "Đợt V"));
    assert!(
        timeline
            .deadlines
            .iter()
            .any(|(label, _)| label == "Hạn báo cáo Đợt I")
    );
    assert!(timeline.deadlines.windows(2).all(|w| w[0].1 <= w[1].1));

    let rates = db.store.rate_series(None, AFTER_PHASE_I).await.unwrap();
    let at = rates.periods.iter().position(|p| p == "Đợt I").unwrap();
    let level = |name: &str| {
        &rates
            .series
            .iter()
            .find(|(l, _)| l == name)
            .unwrap_or_else(|| panic!("cấp {name}: {:?}", rates.series))
            .1
    };
    // One of the ten district committees sent its phase I report.
    assert_eq!(level("Huyện")[at], Some(0.1));
    assert!(
        rates
            .series
            .iter()
            .all(|(_, r)| r.len() == rates.periods.len())
    );

    let bars = db.store.figure_bars(None, AFTER_PHASE_I).await.unwrap();
    assert_eq!(bars.phases.len(), 5);
    let phase_i = db
        .store
        .synthesis(None, Some("I"), AFTER_PHASE_I)
        .await
        .unwrap();
    for (i, ind) in phase_i.indicators.iter().enumerate() {
        let bar = bars.series.iter().find(|(l, _)| *l == ind.label);
        match bar {
            Some((_, totals)) => assert_eq!(totals[0], phase_i.totals[i], "{}", ind.label),
            None => assert_eq!(phase_i.totals[i], 0, "{}", ind.label),
        }
    }
}
