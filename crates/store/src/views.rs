//! Reads that gather several concepts for one page, each in one snapshot.
//! Nothing in the store imports this module: it may import any other.

use crate::Store;
use crate::error::{Result, StoreError};
use crate::units::{UnitRow, children, row, rows};
use std::collections::HashMap;

/// What a unit's page shows of it, read in one transaction.
pub struct UnitPage {
    pub assignments: Vec<crate::assignments::Assignment>,
    pub children: Vec<UnitRow>,
    pub parent: Option<UnitRow>,
    pub contact: crate::reminders::Contact,
    /// The phases of each plan the unit has assignments in, by plan id.
    pub phases: HashMap<i64, Vec<crate::dashboard::PhaseSpan>>,
}

impl Store {
    /// A unit's page: its assignments, the units under and above it, its
    /// reminder settings.
    pub async fn unit_page(&self, unit: &UnitRow) -> Result<UnitPage> {
        let (id, parent) = (unit.unit_id, unit.parent_id);
        read!(self, |tx| async move {
            let assignments = crate::assignments::of_unit(tx, id).await?;
            let mut phases = HashMap::new();
            for a in &assignments {
                if let std::collections::hash_map::Entry::Vacant(e) = phases.entry(a.plan_id) {
                    e.insert(crate::dashboard::phases(tx, a.plan_id).await?);
                }
            }
            Ok::<_, StoreError>(UnitPage {
                assignments,
                children: children(tx, id).await?,
                parent: match parent {
                    Some(p) => row(tx, p).await?,
                    None => None,
                },
                contact: crate::reminders::contact(tx, id).await?,
                phases,
            })
        })
    }

    /// Every unit with how its assignments stand as of `today`, read in one
    /// transaction (the tree page, `/api/units`).
    pub async fn units_with_counts(
        &self,
        today: jiff::civil::Date,
    ) -> Result<(Vec<UnitRow>, HashMap<i64, crate::assignments::Counts>)> {
        read!(self, |tx| async move {
            let rows = rows(tx).await?;
            let counts = crate::assignments::counts_by_unit(tx, today).await?;
            Ok::<_, StoreError>((rows, counts))
        })
    }

    /// The names the trail shows for assignments (by id), read in one
    /// transaction with the accounts (by user name).
    pub async fn audit_names(
        &self,
        assignment_ids: &[i64],
    ) -> Result<(
        std::collections::HashMap<i64, String>,
        std::collections::HashMap<String, String>,
    )> {
        read!(self, |tx| async move {
            let labels = crate::assignments::labels(tx, assignment_ids).await?;
            let users = crate::users::list(tx)
                .await?
                .into_iter()
                .map(|u| (u.username, u.full_name))
                .collect();
            Ok::<_, StoreError>((labels, users))
        })
    }
}
