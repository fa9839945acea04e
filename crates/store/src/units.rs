//! Units and groups of units: stored once, shared by every plan; matched by
//! name or alias through `text::name_key` (diacritic-aware, case- and
//! tone-placement-blind).

use crate::error::Result;
use dondoc_core::plan::{Group, Unit};
use dondoc_core::text::name_key;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Units by name key, and each unit's name by id.
#[derive(Debug, Default)]
pub struct UnitIndex {
    by_key: HashMap<String, i64>,
    pub names: HashMap<i64, String>,
}

impl UnitIndex {
    pub fn find(&self, name: &str) -> Option<i64> {
        self.by_key.get(&name_key(name)).copied()
    }
}

pub async fn index(conn: &mut AnyConnection) -> Result<UnitIndex> {
    let mut idx = UnitIndex::default();
    for row in sqlx::query("select unit_id, name, name_key from units")
        .fetch_all(&mut *conn)
        .await?
    {
        let id: i64 = row.try_get("unit_id")?;
        idx.by_key.insert(row.try_get("name_key")?, id);
        idx.names.insert(id, row.try_get("name")?);
    }
    for row in sqlx::query("select unit_id, alias_key from unit_aliases")
        .fetch_all(&mut *conn)
        .await?
    {
        // A unit's own name wins over another unit's alias.
        idx.by_key
            .entry(row.try_get("alias_key")?)
            .or_insert(row.try_get("unit_id")?);
    }
    Ok(idx)
}

/// Adds the units a plan names that the database does not know yet, with
/// their aliases, parents and successors; known units are kept as they are.
pub async fn upsert(conn: &mut AnyConnection, units: &[Unit]) -> Result<UnitIndex> {
    let mut idx = index(conn).await?;
    for u in units {
        if idx.find(&u.name).is_some() {
            continue;
        }
        let id: i64 = sqlx::query(
            "insert into units (name, name_key, kind, level, valid_from, valid_to)
             values ($1, $2, $3, $4, $5, $6) returning unit_id",
        )
        .bind(&u.name)
        .bind(name_key(&u.name))
        .bind(&u.kind)
        .bind(&u.level)
        .bind(&u.valid_from)
        .bind(&u.valid_to)
        .fetch_one(&mut *conn)
        .await?
        .try_get("unit_id")?;
        idx.by_key.insert(name_key(&u.name), id);
        idx.names.insert(id, u.name.clone());
    }
    for u in units {
        let Some(id) = idx.find(&u.name) else {
            continue;
        };
        if let Some(parent) = u.parent.as_deref().and_then(|p| idx.find(p)) {
            sqlx::query("update units set parent_id = $1 where unit_id = $2 and parent_id is null")
                .bind(parent)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        for alias in &u.aliases {
            sqlx::query(
                "insert into unit_aliases (unit_id, alias, alias_key) values ($1, $2, $3)
                 on conflict do nothing",
            )
            .bind(id)
            .bind(alias)
            .bind(name_key(alias))
            .execute(&mut *conn)
            .await?;
            idx.by_key.entry(name_key(alias)).or_insert(id);
        }
        for s in u.successors.iter().filter_map(|s| idx.find(s)) {
            sqlx::query(
                "insert into unit_successors (unit_id, successor_id) values ($1, $2)
                 on conflict do nothing",
            )
            .bind(id)
            .bind(s)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(idx)
}

/// Every unit, parents before children, as the plan form writes them.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Unit>> {
    let rows = sqlx::query(
        "select u.unit_id, u.name, p.name as parent, u.kind, u.level, u.valid_from, u.valid_to
         from units u left join units p on p.unit_id = u.parent_id order by u.unit_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
    for row in sqlx::query("select unit_id, alias from unit_aliases order by unit_id, alias")
        .fetch_all(&mut *conn)
        .await?
    {
        aliases
            .entry(row.try_get("unit_id")?)
            .or_default()
            .push(row.try_get("alias")?);
    }
    let mut successors: HashMap<i64, Vec<String>> = HashMap::new();
    for row in sqlx::query(
        "select s.unit_id, u.name from unit_successors s join units u on u.unit_id = s.successor_id
         order by s.unit_id, u.unit_id",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        successors
            .entry(row.try_get("unit_id")?)
            .or_default()
            .push(row.try_get("name")?);
    }
    rows.into_iter()
        .map(|row| {
            let id: i64 = row.try_get("unit_id")?;
            Ok(Unit {
                name: row.try_get("name")?,
                parent: row.try_get("parent")?,
                kind: row.try_get("kind")?,
                level: row.try_get("level")?,
                aliases: aliases.remove(&id).unwrap_or_default(),
                valid_from: row.try_get("valid_from")?,
                valid_to: row.try_get("valid_to")?,
                successors: successors.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Stores a plan's groups; returns group ids by name key (name and aliases)
/// and the member unit ids of each group.
pub async fn insert_groups(
    conn: &mut AnyConnection,
    plan_id: i64,
    groups: &[Group],
    units: &UnitIndex,
) -> Result<(HashMap<String, i64>, HashMap<i64, Vec<i64>>)> {
    let mut by_key = HashMap::new();
    let mut members = HashMap::new();
    for (pos, g) in groups.iter().enumerate() {
        let id: i64 = sqlx::query(
            "insert into unit_groups (plan_id, position, name, name_key) values ($1, $2, $3, $4)
             returning group_id",
        )
        .bind(plan_id)
        .bind(pos as i64)
        .bind(&g.name)
        .bind(name_key(&g.name))
        .fetch_one(&mut *conn)
        .await?
        .try_get("group_id")?;
        by_key.insert(name_key(&g.name), id);
        for a in &g.aliases {
            sqlx::query(
                "insert into unit_group_aliases (group_id, alias, alias_key) values ($1, $2, $3)
                 on conflict do nothing",
            )
            .bind(id)
            .bind(a)
            .bind(name_key(a))
            .execute(&mut *conn)
            .await?;
            by_key.entry(name_key(a)).or_insert(id);
        }
        let mut ids = Vec::new();
        for (mpos, m) in g.members.iter().enumerate() {
            let Some(uid) = units.find(m) else { continue };
            sqlx::query(
                "insert into unit_group_members (group_id, unit_id, position) values ($1, $2, $3)
                 on conflict do nothing",
            )
            .bind(id)
            .bind(uid)
            .bind(mpos as i64)
            .execute(&mut *conn)
            .await?;
            ids.push(uid);
        }
        members.insert(id, ids);
    }
    Ok((by_key, members))
}

pub async fn groups_of_plan(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<Group>> {
    let rows =
        sqlx::query("select group_id, name from unit_groups where plan_id = $1 order by position")
            .bind(plan_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("group_id")?;
        let aliases =
            sqlx::query("select alias from unit_group_aliases where group_id = $1 order by alias")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|r| r.try_get("alias"))
                .collect::<std::result::Result<_, _>>()?;
        let members = sqlx::query(
            "select u.name from unit_group_members m join units u on u.unit_id = m.unit_id
             where m.group_id = $1 order by m.position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| r.try_get("name"))
        .collect::<std::result::Result<_, _>>()?;
        out.push(Group {
            name: row.try_get("name")?,
            aliases,
            members,
        });
    }
    Ok(out)
}

/// Rebuilds the closure of the unit tree (every ancestor–descendant pair).
/// Units are few beside assignments and change rarely: a full rebuild keeps
/// this simple and is one statement.
pub async fn rebuild_closure(conn: &mut AnyConnection) -> Result<()> {
    sqlx::query("delete from unit_closure")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "with recursive tree (ancestor_id, descendant_id, depth) as (
             select unit_id, unit_id, 0 from units
             union all
             select t.ancestor_id, u.unit_id, t.depth + 1
             from tree t join units u on u.parent_id = t.descendant_id
         )
         insert into unit_closure (ancestor_id, descendant_id, depth)
         select ancestor_id, descendant_id, depth from tree",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether `ancestor` is `unit` itself or above it in the unit tree.
pub async fn is_under(conn: &mut AnyConnection, ancestor: i64, unit: i64) -> Result<bool> {
    if ancestor == unit {
        return Ok(true);
    }
    Ok(sqlx::query(
        "select 1 as one from unit_closure where ancestor_id = $1 and descendant_id = $2",
    )
    .bind(ancestor)
    .bind(unit)
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}

/// A unit and every unit under it.
pub async fn subtree(conn: &mut AnyConnection, unit: i64) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> =
        sqlx::query("select descendant_id from unit_closure where ancestor_id = $1")
            .bind(unit)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get("descendant_id"))
            .collect::<std::result::Result<_, _>>()?;
    if !ids.contains(&unit) {
        ids.push(unit);
    }
    Ok(ids)
}

/// A unit as the service's pages list it: with its id and its parent's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitRow {
    pub unit_id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub level: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

const UNIT_ROW: &str =
    "select unit_id, name, parent_id, kind, level, valid_from, valid_to from units";

fn unit_row(row: &sqlx::any::AnyRow) -> Result<UnitRow> {
    Ok(UnitRow {
        unit_id: row.try_get("unit_id")?,
        name: row.try_get("name")?,
        parent_id: row.try_get("parent_id")?,
        kind: row.try_get("kind")?,
        level: row.try_get("level")?,
        valid_from: row.try_get("valid_from")?,
        valid_to: row.try_get("valid_to")?,
    })
}

/// Every unit with its ids, in the order they were stored (the plan's own
/// order, which is how people expect to find them).
pub async fn rows(conn: &mut AnyConnection) -> Result<Vec<UnitRow>> {
    let sql = format!("{UNIT_ROW} order by unit_id");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(unit_row)
        .collect()
}

/// One unit, or `None`.
pub async fn row(conn: &mut AnyConnection, unit_id: i64) -> Result<Option<UnitRow>> {
    let sql = format!("{UNIT_ROW} where unit_id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| unit_row(&r))
        .transpose()
}

/// The units directly under one unit.
pub async fn children(conn: &mut AnyConnection, unit_id: i64) -> Result<Vec<UnitRow>> {
    let sql = format!("{UNIT_ROW} where parent_id = $1 order by unit_id");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(unit_row)
        .collect()
}

impl crate::Store {
    pub async fn unit_row(&self, unit_id: i64) -> Result<Option<UnitRow>> {
        let mut conn = self.pool.acquire().await?;
        row(&mut conn, unit_id).await
    }

    /// Every unit, in the order they were stored.
    pub async fn unit_rows(&self) -> Result<Vec<UnitRow>> {
        let mut conn = self.pool.acquire().await?;
        rows(&mut conn).await
    }

    /// Whether `unit` is `ancestor` or stands under it.
    pub async fn is_under(&self, ancestor: i64, unit: i64) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        is_under(&mut conn, ancestor, unit).await
    }

    /// `unit` and every unit under it.
    pub async fn subtree(&self, unit: i64) -> Result<Vec<i64>> {
        let mut conn = self.pool.acquire().await?;
        subtree(&mut conn, unit).await
    }

    /// Every unit by name and alias (see `UnitIndex`).
    pub async fn unit_index(&self) -> Result<UnitIndex> {
        let mut conn = self.pool.acquire().await?;
        index(&mut conn).await
    }

    /// The unit a name or alias names, in any spelling `name_key` unifies.
    pub async fn unit_named(&self, name: &str) -> Result<Option<i64>> {
        let mut conn = self.pool.acquire().await?;
        Ok(index(&mut conn).await?.find(name))
    }
}
