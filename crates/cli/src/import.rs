//! `dondoc import FILE`: a plan read from its document, printed as a draft
//! or stored after a summary.

use crate::error::{CliError, Result};
use crate::out;
use dondoc_import::{Draft, Known};
use dondoc_store::Store;

fn read(path: &str) -> Result<Draft> {
    let bytes = std::fs::read(path).map_err(|cause| CliError::File {
        path: path.to_string(),
        cause,
    })?;
    dondoc_import::read_bytes(&bytes, path)
        .map_err(|e| CliError::Input(format!("tệp «{path}»: {e}")))
}

/// The units and groups the database knows, for matching names.
pub async fn known(store: &Store) -> Result<Known> {
    let (units, groups) = store.directory().await?;
    Ok(Known::of(&units, &groups))
}

pub async fn print_json(store: Option<&Store>, path: &str) -> Result<()> {
    let mut draft = read(path)?;
    if let Some(store) = store {
        let k = known(store).await?;
        dondoc_import::matching::propose(&mut draft.plan, Some(&k));
    }
    let text = serde_json::to_string_pretty(&draft.plan)
        .map_err(|e| CliError::Usage(format!("không ghi được JSON: {e}")))?;
    out!("{text}");
    Ok(())
}

/// Reads, says what was read, and stores it: names the directory does not
/// know become new units (listed in the summary first).
pub async fn store(store: &Store, path: &str, today: jiff::civil::Date, actor: &str) -> Result<()> {
    let mut draft = read(path)?;
    let (units, groups) = store.directory().await?;
    let k = Known::of(&units, &groups);
    dondoc_import::matching::propose(&mut draft.plan, Some(&k));
    out!("{}", dondoc_import::summary(&draft));
    let plan = dondoc_import::adopt::adopt(&draft.plan, &units, &groups, &Default::default());
    dondoc_core::plan_file::check(&plan)?;
    let l = store.load_plan(&plan, actor, today).await?;
    out!(
        "Đã lưu kế hoạch {}: {} đợt, {} nhiệm vụ ({} lượt giao), {} báo cáo.",
        l.number,
        l.phases,
        l.tasks,
        l.assignments,
        l.reporting
    );
    crate::print_unlinked(&l.unlinked_events);
    Ok(())
}
