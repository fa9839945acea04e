//! *Hướng dẫn* (`/huong-dan`): what the statuses and colours mean, and how a
//! deadline phrase is read — shown by reading example phrases (and one the
//! reader types, `?cum-tu=`) with the service's own reader against today's
//! calendar, so the page can never say something the service does not do.

use crate::error::PageResult;
use crate::layout::Layout;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::query::Params;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use dondoc_core::deadline::{self, Context};
use dondoc_core::due::texts;

pub fn routes() -> Router<AppState> {
    Router::new().route("/huong-dan", get(page))
}

/// Phrases as plans write them, one of each shape the reader knows.
const EXAMPLES: &[&str] = &[
    "trước ngày 05/02/2025",
    "trong tháng 11/2024",
    "chậm nhất 01 tuần trước ngày khai mạc Đại hội XX Đảng bộ tỉnh",
    "sau khi kết thúc Đại hội XIV của Đảng 15 ngày",
    "hằng tháng",
    "thường xuyên",
];

/// A phrase as the service reads it.
struct Reading {
    phrase: String,
    /// The rule in words, or why the phrase could not be read.
    read: String,
    /// The window today's calendar gives it.
    due: String,
    ok: bool,
}

fn read(phrase: &str, ctx: &Context) -> Reading {
    match deadline::parse(phrase) {
        Ok(mut rule) => {
            ctx.calendar.link(&mut rule);
            Reading {
                phrase: phrase.to_string(),
                read: deadline::describe(&rule),
                due: texts(&deadline::resolve(&rule, ctx)),
                ok: true,
            }
        }
        Err(e) => Reading {
            phrase: phrase.to_string(),
            read: e.to_string(),
            due: String::new(),
            ok: false,
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "help.html")]
struct HelpPage {
    layout: Layout,
    examples: Vec<Reading>,
    asked: Option<Reading>,
    typed: String,
}

async fn page(State(state): State<AppState>, user: CurrentUser, q: Params) -> PageResult<HelpPage> {
    let today = state.clock.today();
    let calendar = state.store.calendar().await?;
    let ctx = Context::new(&calendar, today, today, None);
    let typed = q.text("cum-tu").unwrap_or_default().trim().to_string();
    Ok(HelpPage {
        layout: Layout::new(&state, &user, "Hướng dẫn", "/huong-dan"),
        examples: EXAMPLES.iter().map(|p| read(p, &ctx)).collect(),
        asked: (!typed.is_empty()).then(|| read(&typed, &ctx)),
        typed,
    })
}
