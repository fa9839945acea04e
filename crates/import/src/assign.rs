//! The part that assigns work: tasks, with their leads, coordinating units
//! and time words, and the reporting regime that stands beside them.

use crate::lines::{Line, Marker};
use crate::names;
use crate::outline::{Node, Tree};
use crate::timing::{self, Found};
use dondoc_core::deadline::{Rule, Shape};
use dondoc_core::plan::{Reporting, Task};
use std::collections::{HashMap, HashSet};

/// A task read, with the lines it came from.
#[derive(Debug, Clone)]
pub struct TaskRead {
    pub task: Task,
    pub lines: Vec<usize>,
}

/// Time words as written and the rule read from them.
pub(crate) type Timing = (String, Option<Rule>);

/// What the walk hands down to the items under a heading or item.
#[derive(Debug, Clone, Default)]
struct Context {
    /// Who leads the items below, when they do not say.
    lead: Vec<String>,
    heading: Option<String>,
    coordinates: Vec<String>,
    phrase: Option<(String, Option<Rule>)>,
    reporting: bool,
    /// The items are the contents of a task (`… các nội dung sau:`).
    under_task: bool,
    /// The `Thời gian …:` line under the item is its parent's field, read
    /// there: the item keeps only the time it states itself.
    parent_time_line: bool,
}

pub struct Assign<'a> {
    pub lines: &'a [Line],
    /// The section's numeral (`V`) or the annex's place (`PL03`).
    section: String,
    pub tree: &'a Tree,
    pub plan_year: Option<i16>,
    pub tasks: Vec<TaskRead>,
    pub reporting: Vec<(Reporting, Vec<usize>)>,
    /// Lines used by what was read.
    pub used: Vec<usize>,
    /// Paragraphs kept as notes: line index, text.
    pub notes: Vec<(usize, String)>,
    /// The part lists activities: an item that names no body is still a
    /// task, its lead left for the reviewer.
    pub activity: bool,
    /// Who leads the items of the part that name no one, where the
    /// document says so once for all (the body a conclusion is sent to).
    pub default_lead: Vec<String>,
}

const REQUEST: &[&str] = &["đề nghị", "giao", "yêu cầu"];

impl<'a> Assign<'a> {
    pub fn new(lines: &'a [Line], tree: &'a Tree, plan_year: Option<i16>) -> Self {
        Assign {
            lines,
            section: String::new(),
            tree,
            plan_year,
            tasks: Vec::new(),
            reporting: Vec::new(),
            used: Vec::new(),
            notes: Vec::new(),
            activity: false,
            default_lead: Vec::new(),
        }
    }

    fn node(&self, id: usize) -> &'a Node {
        &self.tree.nodes[id]
    }

    /// Walks the part whose section is `section` (`V`, `PL03`).
    pub fn walk(&mut self, section: &str, roots: &[usize], annex: bool, reporting: bool) {
        self.section = section.to_string();
        let ctx = Context {
            reporting,
            lead: self.default_lead.clone(),
            ..Context::default()
        };
        self.items(section, roots, &ctx, annex);
    }

    /// One top-level node of an annex, numbered `pos` under `place`.
    pub fn walk_one(&mut self, place: &str, id: usize, pos: usize) {
        self.section = place.to_string();
        let ctx = Context::default();
        if self.node(id).is_heading() {
            self.heading(id, place, &ctx, true);
        } else {
            self.item(id, &format!("{place}.{pos}"), &ctx, true);
        }
    }

    /// A plain paragraph ending in `:` with nothing under it: it opens
    /// what follows it (`… thực hiện các hoạt động sau:`).
    fn opens_list(&self, id: usize) -> bool {
        let n = self.node(id);
        self.lines[n.line].marker == Marker::None
            && n.text.trim_end().ends_with(':')
            && n.children.is_empty()
    }

    /// Headings and items under one parent.
    fn items(&mut self, prefix: &str, ids: &[usize], ctx: &Context, annex: bool) {
        let first_task = self.tasks.len();
        self.items_in(prefix, ids, ctx, annex);
        self.date_earlier_points(first_task);
    }

    /// `4. Chậm nhất là ngày 08 tháng 02 năm 2026, việc xác minh và trả lời
    /// … phải được tiến hành xong.` after points that say who verifies but
    /// not by when: the last point names no body, only the work of the
    /// points above and its time. It dates those of them that have none,
    /// and is no task of its own.
    fn date_earlier_points(&mut self, first_task: usize) {
        let run = &self.tasks[first_task..];
        let Some(last) = run.last() else { return };
        let t = &last.task;
        if run.len() < 2 || !t.leads.is_empty() || t.deadline.is_none() {
            return;
        }
        // The work it names (`việc xác minh và trả lời …`): its first words.
        let work: Option<String> = t.text.split_once(", ").and_then(|(opening, rest)| {
            let rest = rest.to_lowercase();
            let named = rest.strip_prefix("việc ")?;
            timing::rule_of(opening)
                .is_ok_and(|r| r.is_some())
                .then(|| {
                    named
                        .split_whitespace()
                        .take(2)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
        });
        let Some(work) = work else { return };
        // Only the points that do that work.
        let does = |task: &Task| task.text.to_lowercase().contains(&work);
        let n = run.len() - 1;
        if !run[..n]
            .iter()
            .any(|e| e.task.deadline_phrase.is_none() && does(&e.task))
        {
            return;
        }
        let last = self.tasks.pop().expect("the run is not empty");
        for earlier in &mut self.tasks[first_task..] {
            if earlier.task.deadline_phrase.is_none() && does(&earlier.task) {
                earlier.task.deadline_phrase = last.task.deadline_phrase.clone();
                earlier.task.deadline = last.task.deadline.clone();
            }
        }
    }

    fn items_in(&mut self, prefix: &str, ids: &[usize], ctx: &Context, annex: bool) {
        // Items (not headings) are numbered by position; a paragraph that
        // opens a list with `:` is its introduction, not counted.
        let items: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|&i| !self.node(i).is_heading())
            .collect();
        let rows: Vec<usize> = items
            .iter()
            .copied()
            .filter(|&i| matches!(self.lines[self.node(i).line].marker, Marker::Row(_)))
            .collect();
        let items: Vec<usize> = items.into_iter().filter(|i| !rows.contains(i)).collect();
        let intro = items.first().copied().filter(|&first| {
            self.opens_list(first)
                && items.get(1).is_some_and(|&next| {
                    matches!(
                        self.lines[self.node(next).line].marker,
                        Marker::Dash | Marker::Plus | Marker::Letter(_)
                    )
                })
        });
        let counted: Vec<usize> = items
            .iter()
            .copied()
            .filter(|&i| Some(i) != intro)
            .collect();
        let mut ctx_items = ctx.clone();
        // `b) Thời gian: Từ ngày 15/11/2025 …` among lettered points: a
        // property of the whole heading, for every point.
        let lettered: Vec<usize> = counted
            .iter()
            .copied()
            .filter(|&i| {
                matches!(self.lines[self.node(i).line].marker, Marker::Letter(_))
                    && field_of(&self.node(i).text)
                        .is_some_and(|(f, _)| !matches!(f, Field::Content | Field::Product))
            })
            .collect();
        let lettered: HashSet<usize> = if lettered.len() < counted.len() {
            lettered.into_iter().collect()
        } else {
            HashSet::new()
        };
        for &i in &lettered {
            let node = self.node(i);
            self.used.push(node.line);
            self.used.extend(node.more_lines.iter().copied());
            if let Some((field, value)) = field_of(&node.text) {
                apply_field(&mut ctx_items, field, &value);
            }
        }
        let counted: Vec<usize> = counted
            .into_iter()
            .filter(|i| !lettered.contains(i))
            .collect();
        // Labelled field lines (`Đơn vị chủ trì: …`, `Thời gian thực hiện:
        // …`) set as paragraphs among the items say who and when for the
        // items they stand beside: each block of fields for the items above
        // it since the last block, or, where the part opens with a block,
        // for the items below it.
        let fields: Vec<usize> = counted
            .iter()
            .copied()
            .filter(|&i| field_of(&self.node(i).text).is_some_and(|(f, _)| f != Field::Content))
            .collect();
        let fields: HashSet<usize> = fields.into_iter().collect();
        let mut own_fields: HashMap<usize, Vec<(Field, String)>> = HashMap::new();
        if !fields.is_empty() && fields.len() < counted.len() {
            let fields_first = counted.first().is_some_and(|f| fields.contains(f));
            let mut block: Vec<(Field, String)> = Vec::new();
            let mut pending: Vec<usize> = Vec::new();
            let mut after_item = false;
            for &i in &counted {
                if !fields.contains(&i) {
                    if fields_first {
                        own_fields.insert(i, block.clone());
                    } else {
                        if !block.is_empty() && !after_item {
                            let done = std::mem::take(&mut block);
                            own_fields.extend(pending.drain(..).map(|p| (p, done.clone())));
                        }
                        pending.push(i);
                    }
                    after_item = true;
                    continue;
                }
                let node = self.node(i);
                if fields_first && after_item {
                    block.clear();
                }
                after_item = false;
                self.used.push(node.line);
                self.used.extend(node.more_lines.iter().copied());
                block.extend(field_of(&node.text));
                // `Thời gian thực hiện: …` under the field above it.
                if let Some((l, words)) = &node.timing {
                    self.used.push(*l);
                    block.push((Field::Time, words.clone()));
                }
            }
            if !fields_first && !block.is_empty() {
                own_fields.extend(pending.drain(..).map(|p| (p, block.clone())));
            }
        }
        let counted: Vec<usize> = if fields.len() < counted.len() {
            counted
                .into_iter()
                .filter(|i| !fields.contains(i))
                .collect()
        } else {
            counted
        };
        if let Some(i) = intro {
            self.used.push(self.node(i).line);
            let text = self.node(i).text.clone();
            // `… các cơ quan, đơn vị, địa phương phối hợp thực hiện các hoạt
            // động sau:` names who does the items below.
            if ctx_items.phrase.is_none()
                && let Some(f) = self.time_in(&text)
            {
                ctx_items.phrase = Some((f.phrase, f.rule));
            }
            // (A reporting part's opening names who reports, read there.)
            if ctx_items.lead.is_empty()
                && !ctx.reporting
                && !text.to_lowercase().contains("báo cáo")
                && let Some(lead) = self.lead_of(&text, &Context::default(), annex)
            {
                ctx_items.lead = lead;
            }
            ctx_items.heading = Some(text);
        }
        // A heading holding one paragraph and nothing else: the paragraph
        // takes the heading's number.
        let single =
            counted.len() == 1 && self.lines[self.node(counted[0]).line].marker == Marker::None;
        if !rows.is_empty() {
            self.table(prefix, &rows, ctx);
        }
        let mut pos = 0;
        let mut ctx_run = ctx.clone();
        // `Việc tổ chức hội nghị … được thực hiện trong khoảng từ ngày
        // 04/02/2026 đến ngày 08/02/2026 …, cụ thể như sau:` over numbered
        // headings: the time of all that follows.
        let opening = ids.first().copied().filter(|&first| {
            self.opens_list(first)
                && ids[1..].iter().any(|&i| self.node(i).is_heading())
                && ctx.phrase.is_none()
        });
        if let Some(first) = opening
            && let Some(f) = self.time_in(&self.node(first).text)
            && f.rule.is_some()
        {
            let node = self.node(first);
            self.used.push(node.line);
            self.used.extend(node.more_lines.iter().copied());
            self.notes.push((node.line, node.text.clone()));
            ctx_run.phrase = Some((f.phrase.clone(), f.rule.clone()));
            ctx_items.phrase = Some((f.phrase, f.rule));
        }
        // `3.1. Tham gia …` `3.2. Tổng hợp …` `3.3. Theo dõi …` over the
        // field lines that stand under the last of them: numbered headings
        // without lines of their own share the fields of the run's last.
        let mut borrowed: HashMap<usize, usize> = HashMap::new();
        let mut run: Vec<usize> = Vec::new();
        for &i in ids {
            let n = self.node(i);
            if !n.is_heading() {
                run.clear();
                continue;
            }
            if n.children.is_empty() {
                run.push(i);
                continue;
            }
            let fields: Vec<Option<Field>> = n
                .children
                .iter()
                .map(|&c| field_of(&self.node(c).text).map(|(f, _)| f))
                .collect();
            let fields_only = fields.iter().all(Option::is_some)
                && fields
                    .iter()
                    .any(|f| matches!(f, Some(Field::Lead | Field::Time)));
            if fields_only {
                borrowed.extend(run.iter().map(|&r| (r, i)));
            }
            run.clear();
        }
        let mut list_run: Option<Context> = None;
        let mut step_lead: Option<Vec<String>> = None;
        let counted_set: HashSet<usize> = counted.iter().copied().collect();
        // Each item's next item, for a paragraph that opens a list.
        let next_item: HashMap<usize, usize> = items.windows(2).map(|w| (w[0], w[1])).collect();
        for (at, &id) in ids.iter().enumerate() {
            if Some(id) == opening && ctx_run.phrase.is_some() {
                continue;
            }
            let node = self.node(id);
            // `(Từ ngày 17/12/2025 đến ngày 25/01/2026)` on a line of its
            // own dates what follows it, up to the next step.
            if let Some(time) = time_line(&node.text) {
                self.used.push(node.line);
                ctx_run.phrase = Some(time.clone());
                ctx_items.phrase = Some(time);
                continue;
            }
            if step_line(&node.text) {
                ctx_run.phrase = ctx.phrase.clone();
                ctx_items.phrase = ctx.phrase.clone();
            }
            // `Cơ quan, tổ chức, đơn vị … thực hiện … theo trình tự sau
            // đây:` over numbered steps: the body that takes the steps.
            if !node.is_heading()
                && self.opens_list(id)
                && !ctx.reporting
                && ids
                    .get(at + 1)
                    .is_some_and(|&next| self.node(next).is_heading())
                && let Some(lead) = self.lead_of(&node.text, &Context::default(), annex)
            {
                let node = self.node(id);
                self.used.push(node.line);
                self.used.extend(node.more_lines.iter().copied());
                step_lead = Some(lead);
                continue;
            }
            if node.is_heading() {
                // The steps are the numbered headings right after it, each
                // a single line of work; anything else ends them.
                let step = matches!(&self.lines[node.line].marker, Marker::Number(n) if n.len() == 1)
                    && node.children.is_empty();
                if let Some(&lender) = borrowed.get(&id) {
                    let mut with_fields = ctx_run.clone();
                    for &c in &self.node(lender).children.clone() {
                        if let Some((f, v)) = field_of(&self.node(c).text) {
                            apply_field(&mut with_fields, f, &v);
                        }
                    }
                    // The time line the outline set on the lender itself.
                    if let Some((_, words)) = &self.node(lender).timing {
                        apply_field(&mut with_fields, Field::Time, words);
                    }
                    self.heading(id, prefix, &with_fields, annex);
                    continue;
                }
                match step_lead.as_ref().filter(|_| step) {
                    Some(lead) => {
                        let mut with_lead = ctx_run.clone();
                        with_lead.lead = lead.clone();
                        self.heading(id, prefix, &with_lead, annex);
                    }
                    None => {
                        step_lead = None;
                        self.heading(id, prefix, &ctx_run, annex);
                    }
                }
                continue;
            }
            step_lead = None;
            if Some(id) == intro || rows.contains(&id) || !counted_set.contains(&id) {
                continue;
            }
            // A later paragraph that opens a list of its own (`Căn cứ tình
            // hình thực tế, các cơ quan, đơn vị, địa phương phối hợp thực
            // hiện các hoạt động sau:`) says who and when for its bullets.
            let marker = &self.lines[node.line].marker;
            if self.opens_list(id)
                && next_item.get(&id).is_some_and(|&next| {
                    matches!(
                        self.lines[self.node(next).line].marker,
                        Marker::Dash | Marker::Plus
                    )
                })
            {
                let text = node.text.clone();
                self.used.push(node.line);
                self.used.extend(node.more_lines.iter().copied());
                let mut run = ctx_items.clone();
                if let Some(f) = self.time_in(&text) {
                    run.phrase = Some((f.phrase, f.rule));
                }
                if !ctx.reporting
                    && let Some(lead) = self.lead_of(&text, &Context::default(), annex)
                {
                    run.lead = lead;
                }
                run.heading = Some(text);
                list_run = Some(run);
                continue;
            }
            if !matches!(marker, Marker::Dash | Marker::Plus) {
                list_run = None;
            }
            let ctx_items = list_run.as_ref().unwrap_or(&ctx_items);
            pos += 1;
            let reference = if single && !prefix.is_empty() && prefix.contains('.') {
                prefix.to_string()
            } else {
                format!("{prefix}.{pos}")
            };
            match own_fields.get(&id) {
                Some(own) => {
                    let mut with_fields = ctx_items.clone();
                    for (field, value) in own {
                        apply_field(&mut with_fields, *field, value);
                    }
                    self.item(id, &reference, &with_fields, annex);
                }
                None => self.item(id, &reference, ctx_items, annex),
            }
        }
    }

    fn heading(&mut self, id: usize, _parent: &str, ctx: &Context, annex: bool) {
        let node = self.node(id);
        let numbers: Vec<String> = node.numbers.iter().map(u32::to_string).collect();
        let reference = if self.section.is_empty() {
            numbers.join(".")
        } else {
            format!("{}.{}", self.section, numbers.join("."))
        };
        self.used.push(node.line);
        let text = node.text.trim();
        // `1. Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026:`: the items
        // below are done then, unless they say otherwise.
        let phrase = self
            .time_in(text)
            .map(|f| (f.phrase, f.rule))
            .or_else(|| ctx.phrase.clone());
        let mut inner = Context {
            reporting: ctx.reporting,
            phrase,
            ..Context::default()
        };
        // `1.1. Xây dựng và ban hành Hướng dẫn …` over bulleted `- Đơn vị
        // chủ trì: …`, `- Thời gian hoàn thành: …`: the heading is the task,
        // its other lines what it holds. Fields set as paragraphs after
        // bulleted pieces of work say who does each piece (read by `items`),
        // and a numbered child's fields are that child's.
        let has_fields = node.children.iter().any(|&c| {
            let child = self.node(c);
            !child.is_heading()
                && matches!(self.lines[child.line].marker, Marker::Dash | Marker::Plus)
                && field_of(&child.text)
                    .is_some_and(|(f, _)| matches!(f, Field::Lead | Field::Time))
        });
        if has_fields && !names::is_unit_heading(text) {
            self.item(id, &reference, ctx, annex);
            return;
        }
        // `1.6. Ủy ban Mặt trận …`: the unit whose work follows; `4. Đề
        // nghị Ủy ban Mặt trận …` asks it.
        let (head_name, rest) = split_name_colon(text);
        let unit_text = strip_word(text, "đề nghị")
            .map(without_role_verb)
            .filter(|r| names::is_unit_heading(r))
            .unwrap_or_else(|| {
                Some(without_role_verb(text))
                    .filter(|r| {
                        *r != text.trim_end_matches([':', '.']) && names::is_unit_heading(r)
                    })
                    .unwrap_or(text)
            });
        // `12. Các tổ chức, cá nhân và hộ gia đình khai thác … trên địa bàn
        // có trách nhiệm`: whoever the heading names before its duty does the
        // items below it.
        if !node.children.is_empty()
            && let Some(subject) = duty_subject(text)
        {
            inner.lead = unit_names(subject);
            self.items(&reference, &node.children.clone(), &inner, annex);
            return;
        }
        if names::is_post_heading(unit_text) {
            inner.lead = unit_text
                .trim_end_matches([':', '.'])
                .split(';')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            self.items(&reference, &node.children.clone(), &inner, annex);
            return;
        }
        if names::is_unit_heading(unit_text) {
            let unit_text = names::without_role_note(unit_text.trim_end_matches([':', '.']));
            inner.lead = unit_names(unit_text);
            self.items(&reference, &node.children.clone(), &inner, annex);
            return;
        }
        if let (Some(name), Some(_)) = (head_name, rest) {
            // `1. Sở Nội vụ: chủ trì …`: the unit, and the heading is its
            // first task; the items under it are that task's contents.
            inner.lead = vec![name.clone()];
            self.item_text(
                id,
                &reference,
                text,
                &inner,
                annex,
                node.children.is_empty(),
            );
            return;
        }
        let lower = text.to_lowercase();
        // `8. Chế độ báo cáo: X báo cáo … trước ngày …`
        if let Some((title, rest)) = text.split_once(':')
            && is_reporting_title(&title.to_lowercase())
            && title.split_whitespace().count() <= 6
            && !rest.trim().is_empty()
        {
            let reporting = Context {
                reporting: true,
                ..Context::default()
            };
            let mut lines = vec![node.line];
            lines.extend(node.more_lines.iter().copied());
            if self.reporting_item(id, rest.trim(), &reporting, &lines) {
                return;
            }
        }
        // A heading that is a sentence giving work (`Đề nghị X …`, `Giao X …`).
        // A sentence that names no one over items of its own is the topic
        // of those items (`5. Nghiên cứu giải pháp thu hút … pháp luật.`).
        let topic = || {
            !node.children.is_empty() && self.lead_of(text, &Context::default(), annex).is_none()
        };
        if REQUEST.iter().any(|w| lower.starts_with(w)) || sentence(text) && !topic() {
            // (A sentence that mentions a report on its way is no title of
            // a part on reporting.)
            let title = text.split_whitespace().count() <= 10;
            let child_ctx = Context {
                reporting: ctx.reporting || title && is_reporting_title(&lower),
                lead: ctx.lead.clone(),
                phrase: ctx.phrase.clone(),
                coordinates: if node.children.is_empty() {
                    ctx.coordinates.clone()
                } else {
                    Vec::new()
                },
                ..Context::default()
            };
            self.item(id, &reference, &child_ctx, annex);
            return;
        }
        // A topic heading: `Phân công nhiệm vụ`, `Chế độ thông tin, báo cáo`.
        // Under a unit's part (`8. Về chính quyền địa phương 02 cấp:` in the
        // province's tasks) its items stay that unit's work.
        inner.reporting = ctx.reporting || is_reporting_title(&lower);
        inner.lead = ctx.lead.clone();
        if lower.contains("kinh phí") {
            for &c in &node.children {
                self.note_all(c);
            }
            return;
        }
        self.items(&reference, &node.children.clone(), &inner, annex);
    }

    fn note_all(&mut self, id: usize) {
        let node = self.node(id);
        self.used.push(node.line);
        self.used.extend(node.more_lines.iter().copied());
        self.notes.push((node.line, node.text.clone()));
        for &c in &node.children.clone() {
            self.note_all(c);
        }
    }

    fn item(&mut self, id: usize, reference: &str, ctx: &Context, annex: bool) {
        let text = self.node(id).text.clone();
        let children = self.node(id).children.clone();
        // An item with labelled field lines under it (`- Đơn vị chủ trì:
        // …`, `- Thời gian hoàn thành: …`) is one task: the fields say who
        // and when, its other lines are what the work holds.
        let mut fields: Vec<(usize, Field, String)> = children
            .iter()
            .filter_map(|&c| field_of(&self.node(c).text).map(|(f, v)| (c, f, v)))
            .collect();
        // A time field line the outline gave to the line above it.
        for &c in &children {
            if let Some((l, words)) = &self.node(c).timing
                && field_of(&self.lines[*l].text).is_some_and(|(f, _)| f == Field::Time)
            {
                fields.push((
                    c,
                    Field::Time,
                    words.trim_end_matches(['.', ';']).to_string(),
                ));
            }
        }
        if fields
            .iter()
            .any(|(_, f, _)| matches!(f, Field::Lead | Field::Time))
        {
            let mut own = ctx.clone();
            for (_, f, v) in &fields {
                apply_field(&mut own, *f, v);
            }
            for &c in &children {
                self.mark_used(c);
            }
            // `- Thời gian thực hiện:` over its own bullets (`+ Các bộ … gửi
            // kết quả … trước ngày 15 tháng 12 năm 2025.` / `+ Bộ Công an tổng
            // hợp … trước ngày 31 tháng 12 năm 2025.`): the first dates the
            // item, each later one with a time is a step of its own.
            let mut steps: Vec<usize> = Vec::new();
            if let Some(&c) = children.iter().find(|&&c| {
                labelled(&self.node(c).text).is_some_and(|(f, v)| f == Field::Time && v.is_empty())
            }) {
                let timed: Vec<usize> = self
                    .node(c)
                    .children
                    .iter()
                    .copied()
                    .filter(|&b| {
                        self.time_in(&self.node(b).text)
                            .is_some_and(|f| f.rule.is_some())
                    })
                    .collect();
                if let Some((&first, rest)) = timed.split_first()
                    && let Some(f) = self.time_in(&self.node(first).text)
                {
                    own.phrase = Some((f.phrase, f.rule));
                    steps = rest.to_vec();
                }
            }
            // `a) Hoạt động 1` / `- Nội dung: Triển khai …`: the content is
            // the task, the label only names it.
            let content = fields
                .iter()
                .find(|(_, f, v)| *f == Field::Content && !v.is_empty())
                .map(|(_, _, v)| v.clone());
            // `- Nội dung:` over its pieces (`+ Tổng kết …`, `+ Tập huấn
            // …`): each piece is a task of the fields' units.
            if let Some(&(c, _, _)) = fields.iter().find(|(c, f, v)| {
                *f == Field::Content && v.is_empty() && !self.node(*c).children.is_empty()
            }) {
                self.used.push(self.node(id).line);
                let pieces = self.node(c).children.clone();
                for (k, p) in pieces.into_iter().enumerate() {
                    let piece = self.node(p).text.clone();
                    self.item_text(
                        p,
                        &format!("{reference}.{}", k + 1),
                        &piece,
                        &own,
                        annex,
                        true,
                    );
                }
                return;
            }
            let text = content.unwrap_or(text);
            let work: Vec<usize> = children
                .iter()
                .copied()
                .filter(|&c| field_of(&self.node(c).text).is_none() && !self.node(c).is_heading())
                .collect();
            // `6.1. Tham gia thực hiện các nhiệm vụ:` or a short title
            // (`7.1 Tổng kết công tác bầu cử`) over one piece of work and
            // its fields: the piece is the task.
            let title = !text.trim_end().ends_with(['.', ';'])
                && text.split_whitespace().count() <= 6
                && self.node(id).is_heading();
            if (text.trim_end().ends_with(':') || title) && work.len() == 1 {
                let piece = self.node(work[0]).text.clone();
                self.used.push(self.node(id).line);
                self.item_text(work[0], reference, &piece, &own, annex, true);
                return;
            }
            self.item_text(id, reference, &text, &own, annex, true);
            for (k, b) in steps.into_iter().enumerate() {
                let piece = self.node(b).text.clone();
                let mut part = own.clone();
                part.phrase = None;
                part.parent_time_line = true;
                self.item_text(
                    b,
                    &format!("{reference}.t{}", k + 2),
                    &piece,
                    &part,
                    annex,
                    true,
                );
            }
            // `(1) Tổ chức hiệp thương lần thứ nhất: Chậm nhất ngày
            // 10/12/2025`: a piece with a time of its own is tracked on its
            // own, by the units the fields name.
            let mut k = 0;
            for c in work {
                let piece = self.node(c).text.clone();
                if self.time_in(&piece).is_some_and(|f| f.rule.is_some()) {
                    k += 1;
                    let mut part = own.clone();
                    part.phrase = None;
                    part.parent_time_line = true;
                    self.item_text(c, &format!("{reference}.{k}"), &piece, &part, annex, true);
                }
            }
            return;
        }
        let has_children = children.is_empty();
        self.item_text(id, reference, &text, ctx, annex, has_children);
    }

    /// A node and everything under it, read as part of the task above.
    fn mark_used(&mut self, id: usize) {
        let node = self.node(id);
        self.used.push(node.line);
        self.used.extend(node.more_lines.iter().copied());
        for &c in &node.children.clone() {
            self.mark_used(c);
        }
    }

    /// One item: a task (or several, when it holds several timed
    /// sentences), a reporting duty, a note, or a line not understood.
    fn item_text(
        &mut self,
        id: usize,
        reference: &str,
        text: &str,
        ctx: &Context,
        annex: bool,
        leaf: bool,
    ) {
        let node = self.node(id);
        let lower = text.to_lowercase();
        let mut lines = vec![node.line];
        lines.extend(node.more_lines.iter().copied());
        if let Some((l, _)) = &node.timing {
            lines.push(*l);
        }
        // A title in capitals (`B. ĐỐI VỚI VIỆC HIỆP THƯƠNG`, `BƯỚC HAI`)
        // that the outline set under an item, or an empty item: no work, and
        // what follows it is no longer that item's.
        if text.trim().is_empty() || crate::outline::title_in_capitals(text) {
            self.used.extend(lines);
            if !leaf {
                let inner = Context {
                    reporting: ctx.reporting,
                    phrase: ctx.phrase.clone(),
                    ..Context::default()
                };
                self.children(id, reference, &inner, annex);
            }
            return;
        }
        // `Riêng X thực hiện các nhiệm vụ … như sau:` hands its items to X.
        if let Some(rest) = strip_word(text, "riêng")
            && let Some(len) = names::name_prefix(rest)
        {
            self.used.extend(lines);
            let inner = Context {
                lead: vec![rest[..len].to_string()],
                heading: Some(text.to_string()),
                reporting: ctx.reporting,
                ..Context::default()
            };
            self.children(id, reference, &inner, annex);
            return;
        }
        // `Điều 2. Quyết định này có hiệu lực …`: an article of the decision
        // that carries the plan, no work of the plan.
        let article = lower
            .strip_prefix("điều ")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        // `Văn phòng Chính phủ thông báo để … biết, thực hiện`: whom the
        // conclusion is sent to, read once for the whole.
        let sent_to = lower.contains("thông báo để ") && lower.contains("biết");
        if article
            || sent_to
            || [
                "trong quá trình thực hiện",
                "trong quá trình triển khai",
                "quá trình triển khai",
                "quá trình thực hiện",
                "trên đây là",
            ]
            .iter()
            .any(|w| lower.starts_with(w))
        {
            self.used.extend(lines);
            self.notes.push((node.line, text.to_string()));
            return;
        }
        // A duty to report: in the part on reporting it is the regime only;
        // set among a unit's work (`Thực hiện chế độ báo cáo định kỳ hằng
        // quý …`) it is also that unit's task, tracked with the others.
        let reporter_first = reports_first(text);
        if (ctx.reporting || lower.contains("chế độ báo cáo") || reporter_first)
            && self.reporting_item(id, text, ctx, &lines)
            && (ctx.reporting || ctx.lead.is_empty() && !reporter_first)
        {
            return;
        }
        // In an annex the request is the one sentence that makes it; the
        // sentences around it are notes.
        let mut text = text;
        if annex && ctx.lead.is_empty() {
            let lower = text.to_lowercase();
            if let Some(at) = lower.find("đề nghị ") {
                let start = text[..at].rfind(". ").map_or(0, |p| p + 2);
                let end = text[at..].find(". ").map_or(text.len(), |p| at + p + 1);
                if start > 0 || end < text.len() {
                    let rest = format!("{} {}", &text[..start], &text[end..]);
                    self.notes.push((node.line, rest.trim().to_string()));
                    text = &text[start..end];
                }
            }
        }
        // `Ủy ban nhân dân các tỉnh, thành phố:` over its items hands them
        // the work; it is no task itself.
        if !leaf && text.trim_end().ends_with(':') {
            // `Giao Bộ Văn hoá, Thể thao và Du lịch:` too.
            let named = REQUEST
                .iter()
                .find_map(|w| strip_word(text, w))
                .unwrap_or(text);
            let (mut names, mut end) = names::name_list(named);
            // `Đối với cơ quan quản lý, sử dụng cán bộ … làm công tác đối
            // ngoại:` over what they must do: the bodies, as written.
            if let Some(rest) = strip_word(text, "đối với")
                && !names::name_list_loose(rest).0.is_empty()
                && rest.split_whitespace().count() <= 25
            {
                let body = rest.trim_end().trim_end_matches(':').trim_end();
                // Each of a list the reader knows whole, or the words as
                // written (`cơ quan quản lý, sử dụng cán bộ, …` is one).
                let (listed, listed_end) = names::name_list(body);
                names = if listed.is_empty() {
                    vec![body.to_string()]
                } else if listed_end == body.len() {
                    listed
                } else {
                    cell_names(body)
                };
                end = named.len() - 1;
            }
            if !names.is_empty() && named[end..].trim() == ":" {
                self.used.extend(lines);
                let inner = Context {
                    lead: names,
                    heading: Some(text.to_string()),
                    reporting: ctx.reporting,
                    phrase: ctx.phrase.clone(),
                    ..Context::default()
                };
                self.children(id, reference, &inner, annex);
                return;
            }
        }
        // `Cụ thể:`, `Gồm:`: it opens what follows and is no work itself.
        if text.trim_end().ends_with(':') && text.split_whitespace().count() <= 3 {
            self.used.extend(lines);
            if !leaf {
                self.children(id, reference, ctx, annex);
            }
            return;
        }
        let leads = match self.lead_of(text, ctx, annex) {
            Some(l) => l,
            // A piece of work in a list of activities, whoever does it.
            None if self.activity && leaf && !text.trim_end().ends_with(':') => Vec::new(),
            // A duty with its own time that names no body (`Chậm nhất là
            // ngày 08 tháng 2 năm 2026, việc xác minh … phải được hoàn
            // thành`): tracked, its lead left for the reviewer.
            None if leaf && self.timed_duty(text) => Vec::new(),
            None => {
                // A point that opens on its topic (`Về triển khai Chương
                // trình: …`) may still give work in a later sentence (`Bộ
                // Dân tộc và Tôn giáo chịu trách nhiệm …`, `Yêu cầu các Bộ,
                // cơ quan …`): each such sentence is a task.
                let given = self.sentences_that_give_work(text);
                if !given.is_empty() {
                    let mut lines = vec![node.line];
                    lines.extend(node.more_lines.iter().copied());
                    self.used.extend(lines.iter().copied());
                    for (k, (sentence, leads)) in given.into_iter().enumerate() {
                        let found = self.time_in(&sentence);
                        self.tasks.push(TaskRead {
                            task: Task {
                                reference: format!("{reference}.s{}", k + 1),
                                coordinates: coordinates_of(&sentence).unwrap_or_default(),
                                deadline_phrase: found.as_ref().map(|f| f.phrase.clone()),
                                deadline: found.and_then(|f| f.rule),
                                text: sentence,
                                leads,
                                heading: ctx.heading.clone(),
                                assignees: None,
                                due: None,
                            },
                            lines: lines.clone(),
                        });
                    }
                }
                // Nothing says who does it: left for the reviewer. Its
                // time still dates the items under it.
                if !leaf {
                    let mut inner = ctx.clone();
                    if let Some(f) = self.time_in(text) {
                        inner.phrase = Some((f.phrase, f.rule));
                    }
                    self.children(id, reference, &inner, annex);
                }
                return;
            }
        };
        // Partners named in the sentence join those its fields name.
        let coordinates = match coordinates_of(text) {
            Some(named) => {
                let mut all = ctx.coordinates.clone();
                for n in named {
                    if !all.contains(&n) {
                        all.push(n);
                    }
                }
                all
            }
            None => ctx.coordinates.clone(),
        };
        // Time words: a line of their own, parentheses, inline, or the parent's.
        let mut pieces: Vec<(String, Option<Timing>)> = Vec::new();
        if let Some((_, words)) = node.timing.as_ref().filter(|_| !ctx.parent_time_line) {
            pieces.push((text.to_string(), Some(field_time(words))));
        } else {
            let mut found = timing::parens(text, self.plan_year);
            // `hằng năm (trước ngày 15 tháng 11) hoặc theo đề nghị`: a
            // parenthesis inside a longer time is part of it.
            // (Read only where it may be used: with two parentheses or more
            // the item splits by them.)
            let around = if found.len() <= 1 {
                timing::inline(text, self.plan_year)
            } else {
                None
            };
            if let (Some(f), [p]) = (&around, found.as_slice())
                && f.rule.is_some()
                && f.span.0 <= p.span.0
                && f.span.1 >= p.span.1
            {
                found.clear();
            }
            // `chi trả gộp 03 tháng lương hưu (tháng 12 năm 2025, tháng 01 và
            // tháng 02 năm 2026) vào kỳ chi trả tháng 12 năm 2025`: months
            // in brackets say which of a thing; the time marked as such
            // (`vào`, `trước`, `chậm nhất`) says when.
            if let (Some(f), [p]) = (&around, found.as_slice())
                && f.rule.is_some()
                && {
                    let fl = f.phrase.to_lowercase();
                    ["vào ", "trước ", "chậm nhất", "hoàn thành"]
                        .iter()
                        .any(|w| fl.starts_with(w))
                }
                && {
                    let pl = p.phrase.to_lowercase();
                    ["tháng ", "năm ", "quý ", "quí "]
                        .iter()
                        .any(|w| pl.starts_with(w))
                        && pl.contains(',')
                }
            {
                found.clear();
            }
            // Where each timed piece ends: its sentence, or the `và` that
            // joins the next piece of work (`Triển khai Tháng hành động (từ
            // ngày 15/11 đến ngày 15/12) và hưởng ứng … (ngày 25/11)`).
            let piece_ends: Option<Vec<usize>> = (found.len() >= 2)
                .then(|| {
                    found
                        .iter()
                        .enumerate()
                        .map(|(k, f)| {
                            if ends_sentence(text, f) {
                                return Some(sentence_end(text, f.span.1));
                            }
                            let next = found.get(k + 1)?;
                            let between = &text[f.span.1..next.span.0];
                            let joined = between.trim_start();
                            joined
                                .strip_prefix("và ")
                                .is_some_and(|rest| rest.starts_with(char::is_lowercase))
                                .then(|| f.span.1 + (between.len() - joined.len()))
                        })
                        .collect()
                })
                .flatten();
            if let Some(ends) = piece_ends {
                // Two timed pieces of work in one bullet are two tasks.
                let mut start = 0;
                for (f, &end) in found.iter().zip(&ends) {
                    let piece = &text[start..end];
                    let local = Found {
                        span: (f.span.0 - start, f.span.1 - start),
                        ..f.clone()
                    };
                    // A piece joined by `và` keeps its time as written: the
                    // words after it still belong to it.
                    let piece = if piece.trim_start().starts_with("và ") {
                        piece.trim_start()["và ".len()..].trim().to_string()
                    } else if end < text.len() && !ends_sentence(text, f) {
                        piece.trim().to_string()
                    } else {
                        timing::cut(piece, local.span)
                    };
                    pieces.push((piece, Some((f.phrase.clone(), f.rule.clone()))));
                    start = end;
                }
            } else if let Some(f) = found.first() {
                pieces.push((
                    timing::cut(text, f.span),
                    Some((f.phrase.clone(), f.rule.clone())),
                ));
            } else if let Some(f) = around {
                pieces.push((text.to_string(), Some((f.phrase, f.rule))));
            } else {
                pieces.push((text.to_string(), ctx.phrase.clone()));
            }
        }
        // A later sentence that gives work of its own — its own time, and
        // its own body or a time that opens it (`… trước ngày 05 tháng 12
        // năm 2025. Trên cơ sở đó, Bộ Tư pháp tổng hợp, báo cáo Thủ tướng
        // Chính phủ trước ngày 10 tháng 12 năm 2025.`) — is its own task.
        let mut own_leads: Vec<Option<Vec<String>>> = vec![None; pieces.len()];
        if pieces.len() == 1 && node.timing.is_none() {
            let (first, phrase) = pieces[0].clone();
            let split = self.later_sentences(&first, &leads);
            if !split.is_empty() {
                let head_end = split[0].0;
                let head = first[..head_end].trim().to_string();
                let head_phrase = match &phrase {
                    // The time was read in a later sentence: the head has
                    // its own or the item's.
                    Some((p, _)) if !head.contains(p.as_str()) => self
                        .time_in(&head)
                        .map(|f| (f.phrase, f.rule))
                        .or_else(|| ctx.phrase.clone()),
                    _ => phrase.clone(),
                };
                pieces = vec![(head, head_phrase)];
                own_leads = vec![None];
                for (start, end, f, lead) in split {
                    pieces.push((
                        first[start..end].trim().to_string(),
                        Some((f.phrase, f.rule)),
                    ));
                    own_leads.push(lead);
                }
            }
        }
        self.used.extend(lines.iter().copied());
        let own_phrase = pieces.first().and_then(|p| p.1.clone());
        let piece_count = pieces.len();
        for (k, (piece, phrase)) in pieces.into_iter().enumerate() {
            let leads = own_leads[k].clone().unwrap_or_else(|| leads.clone());
            let reference = if k == 0 {
                reference.to_string()
            } else {
                format!("{reference}.s{}", k + 1)
            };
            let (deadline_phrase, deadline) = match phrase {
                Some((p, r)) => (Some(p), r),
                None => (None, None),
            };
            self.tasks.push(TaskRead {
                task: Task {
                    reference,
                    text: piece.trim().to_string(),
                    leads: leads.clone(),
                    // Each sentence of a split item says its own partners.
                    coordinates: if k == 0 && piece_count == 1 {
                        coordinates.clone()
                    } else {
                        coordinates_of(&piece).unwrap_or_else(|| ctx.coordinates.clone())
                    },
                    deadline_phrase,
                    deadline,
                    heading: ctx.heading.clone(),
                    assignees: None,
                    due: None,
                },
                lines: lines.clone(),
            });
        }
        let inner = Context {
            lead: leads.clone(),
            heading: Some(text.to_string()),
            coordinates,
            phrase: own_phrase,
            reporting: ctx.reporting,
            under_task: true,
            parent_time_line: false,
        };
        // An item whose field lines said who and when holds its other
        // lines as its contents, read with it (`leaf`); other items hand
        // their lines on as tasks within the task — save a list of who
        // takes part (`… Thành phần mời dự hội nghị gồm:`), which is no work.
        let members = {
            let t = text
                .trim_end()
                .trim_end_matches(':')
                .trim_end()
                .to_lowercase();
            let last = t.rsplit(". ").next().unwrap_or(&t);
            text.trim_end().ends_with(':')
                && (t.ends_with(" gồm") || t.ends_with(" gồm có"))
                && ["thành phần", "tham dự", "dự hội nghị", "thành viên"]
                    .iter()
                    .any(|w| last.contains(w))
        };
        if !leaf && members {
            for c in self.node(id).children.clone() {
                self.mark_used(c);
            }
        } else if !leaf {
            self.children(id, reference, &inner, annex);
        }
    }

    fn children(&mut self, id: usize, reference: &str, ctx: &Context, annex: bool) {
        let children = self.node(id).children.clone();
        if children.is_empty() {
            return;
        }
        let mut pos = 0;
        for c in children {
            if self.node(c).is_heading() {
                self.heading(c, reference, ctx, annex);
                continue;
            }
            pos += 1;
            self.item(c, &format!("{reference}.{pos}"), ctx, annex);
        }
    }

    /// Who leads: the item's own words first, then the heading's unit.
    fn lead_of(&self, text: &str, ctx: &Context, annex: bool) -> Option<Vec<String>> {
        // A form to fill in (`ông (bà) ……… Chức vụ: …`) names no body: its
        // dots are the blank a body's name will be written on.
        let blank = |n: &String| n.contains('…') || n.contains("..");
        self.lead_in(text, ctx, annex)
            .filter(|names| !names.iter().any(blank))
    }

    fn lead_in(&self, text: &str, ctx: &Context, annex: bool) -> Option<Vec<String>> {
        // `Chậm nhất là ngày 01/02/2026, Ủy ban bầu cử tỉnh …`: the time
        // comes first, the body that does the work after it.
        if let Some(f) = timing::inline(text, self.plan_year)
            && f.span.0 == 0
            && let Some(rest) = text[f.span.1..].trim_start().strip_prefix([',', ':'])
            && !rest.trim().is_empty()
        {
            return self.lead_of(rest.trim_start(), ctx, annex);
        }
        // (The same where the sentence holds a time the reader prefers
        // further on: the opening clause is read alone.)
        if let Some((opening, rest)) = text.split_once(", ")
            && opening.split_whitespace().count() <= 12
            && timing::rule_of(opening).is_ok_and(|r| r.is_some())
            && !rest.trim().is_empty()
        {
            return self.lead_of(rest.trim_start(), ctx, annex);
        }
        let lower = text.to_lowercase();
        // `Căn cứ tình hình thực tế, các cơ quan, đơn vị … thực hiện …`: the
        // ground first, the body that acts after the comma.
        // The ground may hold commas of its own (`Trên cơ sở đề nghị của
        // các Bộ, cơ quan liên quan, Bộ Tài chính …`): the first comma after
        // which a body's name stands.
        if opens_on_ground(&lower)
            && let Some((_, (at, _))) =
                text.match_indices(", ")
                    .take(10)
                    .enumerate()
                    .find(|(k, (at, _))| {
                        // After the first comma any name; after a later one only
                        // a proper name, not a group the ground goes on about.
                        // (and one the sentence's verb follows: a name
                        // listed in the ground is followed by a comma).
                        // A ground that already holds the work (`…, chủ trì
                        // tổng hợp, …, phối hợp với …, Ủy ban nhân dân xã
                        // bố trí …`) has lost its subject: no later name is.
                        let rest = &text[at + 2..];
                        let before = text[..*at].to_lowercase();
                        let worked = ["chủ trì", "phối hợp"].iter().any(|w| before.contains(w));
                        names::name_prefix(rest).is_some_and(|len| {
                            *k == 0
                                || !worked
                                    && rest.starts_with(char::is_uppercase)
                                    && rest[len..].trim_start().starts_with(char::is_lowercase)
                        })
                    })
        {
            return self.lead_of(&text[at + 2..], ctx, annex);
        }
        // (`Căn cứ vào kết quả …, cơ quan, tổ chức, đơn vị lập danh sách …`:
        // a group in lower case after the ground.)
        if opens_on_ground(&lower)
            && let Some((_, rest)) = text.split_once(", ")
            && let Some(len) = names::subject_group_after_ground(rest)
        {
            return Some(vec![rest[..len].to_string()]);
        }
        // `Đối với vụ việc ở khu dân cư thì cơ quan … giới thiệu …`: the
        // case first, the body that acts after `thì`.
        if lower.starts_with("đối với ")
            && let Some(at) = lower.find(" thì ")
            && lower.len() == text.len()
        {
            let rest = text[at + " thì ".len()..].trim_start();
            let (listed, _) = names::name_list_loose(rest);
            if !listed.is_empty() {
                return Some(listed);
            }
        }
        // `Tỉnh Đoàn thanh niên: Chủ trì …`, `Hội A, Hội B: …`
        let (listed, rest) = split_names_colon(text);
        if rest.is_some() {
            return Some(listed);
        }
        let one = |s: &str| Some(vec![s.to_string()]);
        // `Giao X chủ trì …`, at the start or opening a later sentence.
        for (at, _) in lower.match_indices("giao ") {
            if at == 0 || lower[..at].trim_end().ends_with('.') {
                let rest = &text[at + "giao ".len()..];
                let (listed, _) = names::name_list(rest);
                if !listed.is_empty() {
                    return Some(listed);
                }
            }
        }
        // `Yêu cầu các Bộ, cơ quan đổi mới …`: the bodies required act.
        if let Some(rest) = strip_word(text, "yêu cầu") {
            let (asked, _) = names::name_list(rest);
            if !asked.is_empty() {
                return Some(asked);
            }
        }
        if let Some(rest) = strip_word(text, "đề nghị") {
            // `Đề nghị X …`: the body asked does the work — except inside
            // a task's list of contents, where asking is that task's lead's
            // work (`… chỉ đạo các nội dung sau: + Đề nghị …`).
            let (asked, _) = names::name_list(rest);
            if ctx.under_task && !ctx.lead.is_empty() {
                return Some(ctx.lead.clone());
            }
            if !asked.is_empty() {
                return Some(asked);
            }
            if !ctx.lead.is_empty() {
                return Some(ctx.lead.clone());
            }
        }
        // `Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ … chỉ đạo`:
        // work given to posts.
        let posts = names::post_list(text);
        if !posts.is_empty() {
            return Some(posts);
        }
        // `Bộ Quốc phòng, Bộ Công an chỉ đạo …`: bodies listed as the
        // sentence's subject all lead.
        let (listed, end) = names::name_list(text);
        // (One listed name longer than the first name read alone is a
        // group the list made: `Ban Thường vụ Tỉnh ủy, Thành ủy`.)
        let grouped =
            listed.len() == 1 && names::name_prefix(text).is_some_and(|len| listed[0].len() > len);
        if listed.len() >= 2 || grouped {
            let after = text[end..].trim_start();
            if after.starts_with(char::is_lowercase) && !after.starts_with("và ") {
                return Some(listed);
            }
        }
        // `X chủ trì …`, or a group that is the sentence's subject.
        // A head word alone (`Ban lãnh đạo cơ quan …`) names no body; an
        // abbreviation (`UBND`) does.
        let bare_head = |name: &str| {
            !name.contains(' ') && !name.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
        };
        if let Some(len) = names::name_prefix(text).filter(|&len| !bare_head(&text[..len])) {
            let after = text[len..].trim_start().to_lowercase();
            let name = &text[..len];
            let group =
                name.to_lowercase().starts_with("các ") || name.to_lowercase().starts_with("mỗi ");
            // A proper name as the sentence's subject (`Phòng Kế hoạch - Tài
            // chính bố trí …`) leads; a name in a list is not a subject.
            let subject = name.split_whitespace().count() >= 2
                && after.chars().next().is_some_and(char::is_lowercase)
                && !after.starts_with("và ");
            if after.starts_with("chủ trì") || group || subject || ctx.lead.is_empty() {
                return one(name);
            }
        }
        // `Cơ quan, tổ chức, đơn vị được phân bổ … thực hiện …`: a group
        // without `các` as the subject, with the clause that says which.
        if let Some(len) = names::subject_group(text) {
            return one(&text[..len]);
        }
        if !ctx.lead.is_empty() {
            return Some(ctx.lead.clone());
        }
        // In an annex: `…, đề nghị mỗi huyện … tự xây dựng …`.
        if annex && let Some(at) = lower.find("đề nghị ") {
            let rest = &text[at + "đề nghị ".len()..];
            if let Some(len) = names::name_prefix(rest) {
                return one(&rest[..len]);
            }
        }
        None
    }

    /// A reporting duty: who reports, to whom, when. A paragraph may hold
    /// several (`… hằng quý …; báo cáo cả năm … trước ngày …`), and its phase
    /// list (`- Đợt I: Báo cáo trước ngày 05/02/2025.`) gives one each.
    fn reporting_item(&mut self, id: usize, text: &str, ctx: &Context, lines: &[usize]) -> bool {
        let lower = text.to_lowercase();
        if REQUEST.iter().any(|w| lower.starts_with(w)) {
            return false;
        }
        // One line of a phase list whose opening sentence stands above it.
        if let Some((name, rest)) = text.split_once(':')
            && is_phase_name(name.trim())
        {
            let Some(f) = self.time_in(rest) else {
                return false;
            };
            let intro = ctx.heading.as_deref();
            let reporters = intro
                .map(reporters_of)
                .filter(|r| !r.is_empty())
                .or_else(|| Some(ctx.lead.clone()).filter(|l| !l.is_empty()))
                .unwrap_or_default();
            let recipient = recipient_of(rest).or_else(|| intro.and_then(recipient_of));
            self.reporting.push((
                Reporting {
                    name: name.trim().to_string(),
                    deadline_phrase: Some(f.phrase.clone()),
                    deadline: f.rule.clone(),
                    reporters,
                    recipient,
                    content: content_before_time(rest.trim(), &f, rest.trim()),
                    indicators: Vec::new(),
                    due: None,
                },
                lines.to_vec(),
            ));
            return true;
        }
        if !lower.contains("báo cáo") {
            return false;
        }
        let reporters = Some(reporters_of(text))
            .filter(|r| !r.is_empty())
            .or_else(|| Some(ctx.lead.clone()).filter(|l| !l.is_empty()))
            .unwrap_or_default();
        let mut recipient = recipient_of(text);
        let mut entries: Vec<(Reporting, Vec<usize>, Option<String>)> = Vec::new();
        for clause in text.split(';') {
            let Some(f) = timing::inline(clause, self.plan_year) else {
                continue;
            };
            let sentence = clause_sentence(text, clause);
            entries.push((
                Reporting {
                    name: regime_name(&f, clause),
                    deadline_phrase: Some(f.phrase.clone()),
                    deadline: f.rule.clone(),
                    reporters: reporters.clone(),
                    recipient: None,
                    content: Some(sentence),
                    indicators: Vec::new(),
                    due: None,
                },
                lines.to_vec(),
                recipient_of(clause),
            ));
        }
        for &c in &self.node(id).children.clone() {
            let child = self.node(c);
            let Some((name, rest)) = child.text.split_once(':') else {
                continue;
            };
            let name = name.trim();
            if !is_phase_name(name) {
                continue;
            }
            let rest = rest.trim();
            let Some(f) = self.time_in(rest) else {
                continue;
            };
            let own = recipient_of(rest);
            if recipient.is_none() {
                recipient = own.clone();
            }
            entries.push((
                Reporting {
                    name: name.to_string(),
                    deadline_phrase: Some(f.phrase.clone()),
                    deadline: f.rule.clone(),
                    reporters: reporters.clone(),
                    recipient: None,
                    content: content_before_time(rest, &f, rest),
                    indicators: Vec::new(),
                    due: None,
                },
                vec![child.line],
                own,
            ));
        }
        if entries.is_empty() {
            return false;
        }
        self.used.extend(lines.iter().copied());
        for (mut r, l, own) in entries {
            r.recipient = own.or_else(|| recipient.clone());
            self.used.extend(l.iter().copied());
            self.reporting.push((r, l));
        }
        true
    }

    /// The sentences after the first of `text` that give work of their
    /// own (see `item_text`): each one's bytes, its time and its body when
    /// it names one other than `leads`.
    #[allow(clippy::type_complexity)]
    fn later_sentences(
        &self,
        text: &str,
        leads: &[String],
    ) -> Vec<(usize, usize, Found, Option<Vec<String>>)> {
        // Sentence starts, and clauses after `; ` (`…; báo cáo tổng thể …
        // trước ngày …`).
        let starts: Vec<(usize, bool)> = sentence_starts(text)
            .into_iter()
            .filter(|&(_, mark, capital)| capital || mark == ';')
            .map(|(start, _, capital)| (start, capital))
            .collect();
        let mut out = Vec::new();
        for (k, &(start, capital)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(text.len(), |s| s.0);
            let sentence = text[start..end].trim_end();
            let Some(f) = self.time_in(sentence).filter(|f| f.rule.is_some()) else {
                continue;
            };
            let opens = f.span.0 == 0;
            // Two pieces of work, each with its own time (`… trước ngày 31
            // tháng 5 năm 2026. Khẩn trương xây dựng … trước ngày 30 tháng 6
            // năm 2026`): each is tracked by its own deadline.
            // Only a piece that says what to do (`Khẩn trương xây dựng …`,
            // `báo cáo tổng thể …`): not one that finishes or qualifies the
            // work before it (`hoàn thành trước …`, `bảo đảm …`), nor one
            // whose subject is a thing (`Các báo cáo trên gửi …`, `tiếp tục
            // được xử lý trong năm 2025`).
            let lower = sentence.to_lowercase();
            let grounded = opens_on_ground(&lower);
            let passive = lower.split_whitespace().take(4).any(|w| w == "được");
            // (`Giao X chủ trì …` gives the work before it to X: no new piece.)
            let work = f.span.0 > 0
                && !passive
                && !grounded
                && !REQUEST.iter().any(|w| lower.starts_with(w))
                && names::name_prefix(sentence).is_none()
                && ![
                    "hoàn thành",
                    "bảo đảm",
                    "đảm bảo",
                    "các ",
                    "những ",
                    "việc ",
                    "mọi ",
                    "nhiều ",
                    "trong đó",
                    "trường hợp",
                ]
                .iter()
                .any(|w| lower.starts_with(w));
            let timed_before = || {
                work && {
                    let before =
                        &text[out.last().map_or(0, |(s, _, _): &(usize, Found, _)| *s)..start];
                    self.time_in(before)
                        .is_some_and(|b| b.rule.is_some() && b.phrase != f.phrase)
                }
            };
            if !capital {
                if timed_before() {
                    out.push((start, f, None));
                }
                continue;
            }
            // A body of its own as the sentence's subject (`Các Báo cáo trên
            // gửi Bộ Tư pháp …` names Bộ Tư pháp as the receiver, not the
            // doer), or a time that opens it.
            let subject = self
                .lead_of(sentence, &Context::default(), false)
                .filter(|l| l.as_slice() != leads)
                .filter(|l| {
                    // After its ground (`Trên cơ sở đề xuất của các địa
                    // phương, Bộ Tài chính …`) the subject may stand late.
                    grounded
                        || l.first().is_some_and(|name| {
                            lower.find(&name.to_lowercase()).is_some_and(|at| at < 40)
                        })
                });
            if subject.is_none() && !opens && !timed_before() {
                continue;
            }
            out.push((start, f, subject));
        }
        // A later sentence runs to the next split one, not just its own end.
        let ends: Vec<usize> = out
            .iter()
            .skip(1)
            .map(|(start, _, _)| *start)
            .chain([text.len()])
            .collect();
        out.into_iter()
            .zip(ends)
            .map(|((start, f, subject), end)| (start, end, f, subject))
            .collect()
    }

    /// The sentences after the first that give work to a body they name:
    /// a request (`Yêu cầu …`, `Giao …`, `Đề nghị …`) or a body with its
    /// duty (`X chịu trách nhiệm …`, `X chủ trì …`).
    fn sentences_that_give_work(&self, text: &str) -> Vec<(String, Vec<String>)> {
        let mut starts: Vec<usize> = sentence_starts(text)
            .into_iter()
            .filter(|&(_, mark, capital)| mark == '.' && capital)
            .map(|(start, _, _)| start)
            .collect();
        starts.push(text.len());
        let mut out = Vec::new();
        for w in starts.windows(2) {
            let sentence = text[w[0]..w[1]].trim();
            let lower = sentence.to_lowercase();
            let asked = REQUEST.iter().any(|r| lower.starts_with(r));
            let duty = names::name_prefix(sentence).is_some_and(|len| {
                let after = sentence[len..].trim_start().to_lowercase();
                ["chịu trách nhiệm", "có trách nhiệm", "chủ trì"]
                    .iter()
                    .any(|d| after.starts_with(d))
            });
            if (asked || duty)
                && let Some(leads) = self.lead_of(sentence, &Context::default(), false)
            {
                out.push((sentence.to_string(), leads));
            }
        }
        out
    }

    /// A sentence that binds someone to do something by a time: a duty
    /// word and a time read whole.
    fn timed_duty(&self, text: &str) -> bool {
        // A time that is a rhythm (`thường xuyên`, `hằng năm`) is no deadline
        // that a sentence without a body could be held to; a note in
        // brackets (`[7] Các Bộ có … phải sửa đổi`) is no duty.
        let lower = text.to_lowercase();
        let one_off = |r: &Rule| !matches!(r.shape, Shape::Continuous {} | Shape::Recurring { .. });
        !text.starts_with(['[', '('])
            && [
                " phải ",
                "được gửi",
                "được thực hiện",
                "được tiến hành",
                "phải được",
            ]
            .iter()
            .any(|w| lower.contains(w))
            && self
                .time_in(text)
                .is_some_and(|f| f.rule.as_ref().is_some_and(one_off))
    }

    fn time_in(&self, text: &str) -> Option<Found> {
        timing::inline(text, self.plan_year)
            .or_else(|| timing::parens(text, self.plan_year).into_iter().next())
    }

    /// Rows of a task table: the header names the columns.
    fn table(&mut self, prefix: &str, rows: &[usize], ctx: &Context) {
        let (lines, tree) = (self.lines, self.tree);
        let cells = |id: usize| match &lines[tree.nodes[id].line].marker {
            Marker::Row(c) => c.clone(),
            _ => Vec::new(),
        };
        let header = cells(rows[0]);
        let find = |words: &[&str]| {
            header
                .iter()
                .position(|h| words.iter().any(|w| h.to_lowercase().contains(w)))
        };
        let lead_col = find(&["chủ trì", "thực hiện", "phụ trách", "đơn vị"]);
        let content_col = find(&["nội dung", "công việc", "nhiệm vụ", "hoạt động"]);
        let coord_col = find(&["phối hợp"]);
        let time_col = find(&["thời gian", "thời hạn", "tiến độ", "hoàn thành"]);
        let (Some(lead_col), Some(content_col)) = (lead_col, content_col) else {
            return;
        };
        if lead_col == content_col {
            return;
        }
        self.used.push(tree.nodes[rows[0]].line);
        // A time column of `Thời gian dự kiến …` gives times foreseen, not fixed.
        let tentative = time_col.is_some_and(|i| header[i].to_lowercase().contains("dự kiến"));
        let mut group: Option<String> = None;
        for (n, &row) in rows.iter().enumerate().skip(1) {
            let c = cells(row);
            let line = tree.nodes[row].line;
            let get = |i: Option<usize>| {
                i.and_then(|i| c.get(i))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            let Some(text) = get(Some(content_col)) else {
                continue;
            };
            // `| II | Xây dựng hạ tầng … |`: a group of the rows below.
            let numeral = c.first().map(|s| s.trim()).unwrap_or("");
            if content_col > 0
                && !numeral.is_empty()
                && numeral.chars().all(|ch| matches!(ch, 'I' | 'V' | 'X'))
                && get(Some(lead_col)).is_none()
            {
                self.used.push(line);
                group = Some(text);
                continue;
            }
            let leads = get(Some(lead_col))
                .map(|s| cell_names(&s))
                .unwrap_or_default();
            let leads = if leads.is_empty() {
                ctx.lead.clone()
            } else {
                leads
            };
            if leads.is_empty() {
                continue;
            }
            let coordinates = get(coord_col).map(|s| cell_names(&s)).unwrap_or_default();
            let (phrase, deadline) = match get(time_col).map(|p| field_time(&p)) {
                Some((p, r)) => (Some(p), r),
                None => (None, None),
            };
            let deadline = deadline.map(|mut rule| {
                rule.tentative |= tentative;
                rule
            });
            self.used.push(line);
            self.tasks.push(TaskRead {
                task: Task {
                    reference: format!("{prefix}.row{n}"),
                    text,
                    leads,
                    coordinates,
                    deadline_phrase: phrase,
                    deadline,
                    heading: group.clone().or_else(|| ctx.heading.clone()),
                    assignees: None,
                    due: None,
                },
                lines: vec![line],
            });
        }
    }
}

/// `Căn cứ …, X …`, `Trên cơ sở …, X …`: the sentence opens on its ground,
/// and the body that acts stands after it.
fn opens_on_ground(lower: &str) -> bool {
    lower.starts_with("căn cứ ") || lower.starts_with("trên cơ sở ")
}

/// `Các tổ chức, cá nhân … có trách nhiệm:` → who has the duty, where the
/// heading names a body or a group and nothing else before it.
fn duty_subject(text: &str) -> Option<&str> {
    let t = text.trim().trim_end_matches([':', '.']).trim_end();
    let subject = [" có trách nhiệm", " chịu trách nhiệm"]
        .iter()
        .find_map(|s| t.strip_suffix(s))?;
    let lower = subject.to_lowercase();
    (names::name_prefix(subject).is_some()
        || lower.starts_with("các ")
        || lower.starts_with("mỗi "))
    .then_some(subject)
}

/// The bodies a heading or a field names: each of a list, or the words
/// as written when they are no list the reader knows.
fn unit_names(text: &str) -> Vec<String> {
    let (names, end) = names::name_list(text);
    if !names.is_empty()
        && text[end..]
            .trim()
            .trim_matches(['.', ',', ';', ':'])
            .is_empty()
    {
        names
    } else {
        // A heading that names units holds names and nothing else, like a
        // table cell: `Các sở ngành liên quan, Viện Nghiên cứu phát triển
        // Thành phố` is two bodies though the second runs on past the words
        // the reader knows.
        let cells = cell_names(text);
        if cells.is_empty() {
            vec![text.trim().to_string()]
        } else {
            cells
        }
    }
}

/// Names in a table cell: `Sở A; Sở B`, `Sở A, Sở B`, one per line.
///
/// A cell holds names and nothing else, so every piece of it is a name:
/// the names the reader knows the shape of, a name that runs on past the
/// words it knows (`Viện Nghiên cứu phát triển Thành phố`) up to the next
/// comma, a list without its comma (`Sở Khoa học và Công nghệ Sở Công
/// Thương`), and pieces of other shapes as written between the commas.
fn cell_names(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let whole = cell.trim();
    // `rest` is always the end of `whole`.
    let mut rest = whole;
    // Whether the last piece was a name of a known shape, which words in
    // lower case after a comma go on (`Hội đồng phối hợp phổ biến, giáo
    // dục pháp luật tỉnh`).
    let mut known = false;
    while !rest.is_empty() {
        let (mut names, mut end) = names::name_list(rest);
        if names.is_empty()
            && let Some(len) = names::listed_group(rest)
        {
            (names, end) = (vec![rest[..len].to_string()], len);
        }
        if names.is_empty() {
            let cut = rest.find([',', ';', '\n']).unwrap_or(rest.len());
            let piece = rest[..cut].trim().trim_end_matches(['.', ',']);
            let comma = whole[..whole.len() - rest.len()].trim_end().ends_with(',');
            // `…, phụ trách lĩnh vực …`, `…, thuộc Sở …`: words that say
            // more of the one before, not another body.
            let qualifies = [
                "phụ trách ",
                "thuộc ",
                "trực thuộc ",
                "được ",
                "đang ",
                "là ",
            ]
            .iter()
            .any(|w| piece.starts_with(w));
            match out.last_mut() {
                Some(last)
                    if comma && piece.starts_with(char::is_lowercase) && (known || qualifies) =>
                {
                    last.push_str(", ");
                    last.push_str(piece);
                }
                _ if !piece.is_empty() => out.push(piece.to_string()),
                _ => {}
            }
            known = false;
            rest = rest[cut..].trim_start_matches([',', ';', '\n', ' ']);
            continue;
        }
        known = true;
        out.extend(names);
        let after = &rest[end..];
        let separated = after.trim_start().starts_with([',', ';', '\n'])
            || after.trim_start().starts_with("và ")
            || after.trim().is_empty();
        if !separated && !after.trim_start().starts_with(char::is_uppercase) {
            // The last name goes on in words the reader does not know.
            let cut = after.find([',', ';', '\n']).unwrap_or(after.len());
            if let Some(last) = out.last_mut() {
                last.push_str(after[..cut].trim_end());
            }
            rest = after[cut..].trim_start_matches([',', ';', '\n', ' ']);
            continue;
        }
        let after = after.trim_start().trim_start_matches([',', ';', '\n', ' ']);
        rest = after.strip_prefix("và ").unwrap_or(after).trim_start();
    }
    for name in &mut out {
        *name = name.trim().trim_end_matches(['.', ',', ';']).to_string();
    }
    out.retain(|n| !n.is_empty());
    out
}

/// `Tỉnh Đoàn thanh niên: Chủ trì …`, `Hội A, Hội B và Hội C: Vận động …`
/// → the names before the colon and what follows.
fn split_names_colon(text: &str) -> (Vec<String>, Option<&str>) {
    let Some((before, after)) = text.split_once(':') else {
        return (Vec::new(), None);
    };
    let before = before.trim();
    let (names, end) = names::name_list(before);
    if !names.is_empty() && end == before.len() && !after.trim().is_empty() {
        (names, Some(after.trim()))
    } else {
        (Vec::new(), None)
    }
}

fn split_name_colon(text: &str) -> (Option<String>, Option<&str>) {
    match split_names_colon(text) {
        (names, Some(rest)) if names.len() == 1 => (names.into_iter().next(), Some(rest)),
        _ => (None, None),
    }
}

/// The text after a leading word, case-insensitively.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() || !lower.starts_with(word) {
        return None;
    }
    let rest = &text[word.len()..];
    rest.starts_with(' ').then(|| rest.trim_start())
}

/// The units after `phối hợp với` (or `phối hợp chặt chẽ với`).
fn coordinates_of(text: &str) -> Option<Vec<String>> {
    if let Some(start) = names::after_words(text, &["phối", "hợp", "với"])
        .or_else(|| names::after_words(text, &["phối", "hợp", "chặt", "chẽ", "với"]))
        .or_else(|| names::after_words(text, &["chủ", "trì", "cùng"]))
        .or_else(|| names::after_words(text, &["chủ", "trì", ",", "cùng"]))
    {
        let (list, _) = names::name_list_loose(&text[start..]);
        return (!list.is_empty()).then_some(list);
    }
    // `phối hợp các đơn vị điện lực …`, `phối hợp Sở Y tế …`: the partners
    // right after the words, without `với`; a verb after them
    // (`phối hợp tuyên truyền`) names no one.
    let start = names::after_words(text, &["phối", "hợp", "chặt", "chẽ"])
        .or_else(|| names::after_words(text, &["phối", "hợp"]))?;
    let (list, _) = names::name_list(&text[start..]);
    (!list.is_empty()).then_some(list)
}

fn sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', ':', ';']) && text.split_whitespace().count() > 8
}

fn is_reporting_title(lower: &str) -> bool {
    lower.contains("báo cáo") || lower.contains("thông tin")
}

fn is_phase_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "đợt ",
        "giai đoạn ",
        "quý ",
        "báo cáo ",
        "6 tháng",
        "sáu tháng",
        "năm ",
    ]
    .iter()
    .any(|w| lower.starts_with(w))
        && name.split_whitespace().count() <= 4
}

/// A report's name from its rhythm: the recurring ones by their period,
/// the year's report, or plain `Báo cáo`.
fn regime_name(f: &Found, clause: &str) -> String {
    let every = f
        .rule
        .as_ref()
        .and_then(|r| serde_json::to_value(r).ok())
        .and_then(|v| v.get("every").and_then(|e| e.as_str()).map(str::to_string));
    match every.as_deref() {
        Some("month") => return "Hằng tháng".into(),
        Some("quarter") => return "Hằng quý".into(),
        Some("year") => return "Hằng năm".into(),
        Some("week") => return "Hằng tuần".into(),
        _ => {}
    }
    let lower = clause.trim().to_lowercase();
    if lower.contains("cả năm")
        || lower.contains("báo cáo năm")
        || lower.contains("tổng kết năm")
        || lower.starts_with("năm,")
        || lower.starts_with("năm:")
    {
        "Báo cáo năm".into()
    } else if lower.contains("6 tháng") || lower.contains("sáu tháng") {
        "Báo cáo 6 tháng".into()
    } else {
        "Báo cáo".into()
    }
}

/// `X và Y báo cáo kết quả … về Z trước ngày …`: names, then the verb.
fn reports_first(text: &str) -> bool {
    let (list, end) = names::name_list(text);
    let after = text[end..].trim_start().to_lowercase();
    !list.is_empty()
        && [
            "báo cáo",
            "gửi báo cáo",
            "định kỳ báo cáo",
            "tổng hợp báo cáo",
        ]
        .iter()
        .any(|w| after.starts_with(w))
}

/// Who reports: the names that open the sentence.
fn reporters_of(text: &str) -> Vec<String> {
    let (list, _) = names::name_list(text);
    list
}

/// The sentence of `text` that holds `clause`, as written.
fn clause_sentence(text: &str, clause: &str) -> String {
    let at = text.find(clause).unwrap_or(0);
    let start = text[..at].rfind(". ").map_or(0, |p| p + 2);
    let end = text[at..].find(". ").map_or(text.len(), |p| at + p + 1);
    text[start..end].trim().to_string()
}

/// `… gửi về Ban Tuyên giáo Tỉnh uỷ …` → the body reported to.
fn recipient_of(text: &str) -> Option<String> {
    for words in [&["gửi", "về"][..], &["về"][..], &["gửi"][..]] {
        let mut from = 0;
        while let Some(start) = names::after_words(&text[from..], words).map(|s| s + from) {
            if let Some(len) = names::name_prefix(&text[start..]) {
                // `về Sở (qua Phòng Giáo dục Trung học)`: the office named.
                let after = text[start + len..].trim_start();
                if let Some(via) = after.strip_prefix("(qua ")
                    && let Some(l) = names::name_prefix(via)
                {
                    return Some(via[..l].to_string());
                }
                return Some(text[start..start + len].to_string());
            }
            if start <= from || start >= text.len() {
                break;
            }
            from = start;
        }
    }
    None
}

/// What a report covers: the words before its recipient or time.
fn content_before_time(rest: &str, f: &Found, _line: &str) -> Option<String> {
    let lower = rest.to_lowercase();
    let cut = ["gửi về", "gửi"]
        .iter()
        .filter_map(|w| lower.find(w))
        .min()
        .unwrap_or(f.span.0)
        .min(f.span.0);
    let content = rest[..cut].trim().trim_end_matches(',').trim();
    let words = content.split_whitespace().count();
    (words > 2).then(|| content.to_string())
}

/// Where the sentences and clauses after the first start: the byte after
/// a `.` or `;` and the space after it, the mark, and whether a capital
/// opens it (a clause after `;` may open in lower case).
fn sentence_starts(text: &str) -> Vec<(usize, char, bool)> {
    text.match_indices(['.', ';'])
        .filter_map(|(i, mark)| {
            let rest = &text[i + 1..];
            let trimmed = rest.trim_start();
            (rest.len() != trimmed.len() && trimmed.starts_with(char::is_alphabetic)).then(|| {
                (
                    text.len() - trimmed.len(),
                    if mark == "." { '.' } else { ';' },
                    trimmed.starts_with(char::is_uppercase),
                )
            })
        })
        .collect()
}

fn ends_sentence(text: &str, f: &Found) -> bool {
    let after = text[f.span.1..].trim_start();
    after.is_empty() || after.starts_with('.') || after.starts_with(';')
}

fn sentence_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let trimmed = rest.trim_start();
    let mut end = from + (rest.len() - trimmed.len());
    if trimmed.starts_with(['.', ';']) {
        end += 1;
    }
    end
}

/// `Ủy ban nhân dân xã phối hợp` → `Ủy ban nhân dân xã`: a heading that
/// names a body and the part it plays in the items below.
fn without_role_verb(text: &str) -> &str {
    let t = text.trim().trim_end_matches([':', '.']).trim_end();
    for verb in [" phối hợp thực hiện", " phối hợp", " thực hiện", " chủ trì"] {
        if let Some(rest) = t.strip_suffix(verb) {
            return rest.trim_end();
        }
    }
    t
}

/// The labelled fields of an item as planning tables write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Lead,
    Coordinate,
    Time,
    /// `Kết quả:`, `Sản phẩm:`: what the work yields, kept as read.
    Product,
    /// `Nội dung: Triển khai …` under an activity's label (`a) Hoạt động
    /// 1`): the work itself.
    Content,
}

/// `Đơn vị chủ trì: Sở Y tế` → (Lead, "Sở Y tế"); a line that is no field.
/// Labels are told by their words, as offices vary them (`Đơn vị chủ trì
/// tham mưu thực hiện`, `Cơ quan phối hợp thực hiện`, `Thời hạn trình`).
fn field_of(text: &str) -> Option<(Field, String)> {
    // Only a content label may stand over its pieces with nothing after it.
    labelled(text).filter(|(field, value)| !value.is_empty() || *field == Field::Content)
}

/// A labelled line's field and its words, which may be none (`- Thời gian
/// thực hiện:` over bullets of its own).
fn labelled(text: &str) -> Option<(Field, String)> {
    let (label, value) = text.split_once(':')?;
    // No word of these labels has a second tone placement, so lower case
    // and single spaces are enough (and far cheaper than `name_key`, read
    // for every line that holds a colon).
    let words = label.split_whitespace().count();
    if words > 8 {
        return None;
    }
    let key = label
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let value = value.trim().trim_end_matches([';', '.']).trim().to_string();
    let starts = |w: &str| key.starts_with(w);
    let holds = |w: &str| key.contains(w);
    let body = starts("đơn vị") || starts("cơ quan") || starts("bộ phận");
    let field = if starts("chủ trì") || body && holds("chủ trì") {
        Field::Lead
    } else if starts("phối hợp") || body && holds("phối hợp") {
        Field::Coordinate
    } else if body && words <= 5 && (holds("thực hiện") || holds("triển khai")) {
        Field::Lead
    } else if starts("thời gian") || starts("thời hạn") || starts("tiến độ") {
        Field::Time
    } else if starts("kết quả") || starts("sản phẩm") {
        Field::Product
    } else if starts("nội dung") && words <= 4 {
        Field::Content
    } else {
        return None;
    };
    Some((field, value))
}

/// The bodies a field names. A field holds names, split as a table's
/// cell; or, clause by clause, sentences whose subjects they are
/// (`Cơ quan thực hiện: Bộ Công an tiến hành rà soát …; các bộ, Ủy ban
/// nhân dân các tỉnh rà soát …`).
fn field_names(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for clause in value.split(';') {
        let (names, end) = names::name_list(clause);
        let rest = clause[end..].trim_start();
        if !names.is_empty()
            && rest.split_whitespace().count() > 3
            && rest.starts_with(char::is_lowercase)
        {
            out.extend(names);
        } else {
            out.extend(cell_names(clause));
        }
    }
    out
}

/// A line that is only a time: `(Từ ngày 17/12/2025 đến ngày
/// 25/01/2026)`, `(Thời gian từ ngày 04/2 đến ngày 08/2/2026)`.
pub(crate) fn time_line(text: &str) -> Option<Timing> {
    let t = text.trim();
    let inner = t.strip_prefix('(')?.strip_suffix(')')?.trim();
    let inner = inner
        .strip_prefix("Thời gian")
        .or_else(|| inner.strip_prefix("thời gian"))
        .map(|r| r.trim_start_matches([':', ' ']))
        .unwrap_or(inner);
    match timing::rule_of(inner) {
        Ok(Some(rule)) => Some((inner.to_string(), Some(rule))),
        _ => None,
    }
}

/// `BƯỚC HAI`, `GIAI ĐOẠN 2`, `ĐỢT 3`: a step of the work, which starts
/// its own time.
pub(crate) fn step_line(text: &str) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    words <= 4
        && ["BƯỚC ", "GIAI ĐOẠN ", "ĐỢT "]
            .iter()
            .any(|p| t.starts_with(p))
}

/// The time a `Thời gian …:` field gives: its words read whole, or, where
/// a note follows in brackets (`Tháng 11/2025 (sau khi … ban hành Hướng
/// dẫn)`), the time before the note. Words not read are kept as written,
/// with no rule, for the reviewer.
fn field_time(value: &str) -> Timing {
    let value = value.trim();
    if let Ok(rule) = timing::rule_of(value) {
        return (value.to_string(), rule);
    }
    if let Some(open) = value.find('(')
        && let Ok(Some(rule)) = timing::rule_of(value[..open].trim())
    {
        return (value[..open].trim().to_string(), Some(rule));
    }
    // `Thường xuyên, định kỳ hằng quý báo cáo về Sở Tài chính`: the time
    // that opens the words, the rest what is done then.
    // Only where what follows is other words: `Trong năm 2023, 2024` is a
    // time partly read, left for the reviewer, not cut short.
    if let Some(f) = timing::inline(value, None)
        && f.span.0 == 0
        && f.rule.is_some()
        && value[f.span.1..]
            .split_whitespace()
            .next()
            .is_some_and(|w| {
                w.starts_with(char::is_alphabetic) && !["và", "đến", "hoặc", "tới"].contains(&w)
            })
    {
        return (f.phrase, f.rule);
    }
    (value.to_string(), None)
}

fn apply_field(ctx: &mut Context, field: Field, value: &str) {
    match field {
        Field::Lead => {
            ctx.lead = field_names(value);
            // `Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với …`.
            if let Some(partners) = coordinates_of(value) {
                ctx.coordinates = partners;
            }
        }
        Field::Coordinate => {
            ctx.coordinates = field_names(value);
        }
        Field::Time => ctx.phrase = Some(field_time(value)),
        Field::Product | Field::Content => {}
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[test]
    fn a_field_time_is_read_where_it_opens_the_words() {
        let (phrase, rule) = field_time("Thường xuyên, định kỳ hằng quý báo cáo về Sở Tài chính");
        assert_eq!(phrase, "Thường xuyên, định kỳ hằng quý");
        assert!(rule.is_some());
        // A list read in part is left whole, with no rule.
        let (phrase, rule) = field_time("Trong năm 2023, 2024");
        assert_eq!(phrase, "Trong năm 2023, 2024");
        assert!(rule.is_none());
    }

    #[test]
    fn labelled_fields_are_read() {
        assert_eq!(
            field_of("Đơn vị chủ trì: Sở Y tế."),
            Some((Field::Lead, "Sở Y tế".into()))
        );
        assert_eq!(
            field_of("Thời gian thực hiện: Quý IV năm 2023."),
            Some((Field::Time, "Quý IV năm 2023".into()))
        );
        assert_eq!(
            field_of("Cơ quan phối hợp: Bộ Tài chính"),
            Some((Field::Coordinate, "Bộ Tài chính".into()))
        );
        assert_eq!(field_of("Sở Y tế: chủ trì kiểm tra"), None);
        assert_eq!(field_of("Thời gian thực hiện:"), None);
        let mut ctx = Context::default();
        apply_field(&mut ctx, Field::Time, "Quý IV năm 2023");
        assert!(ctx.phrase.as_ref().is_some_and(|(_, r)| r.is_some()));
    }
}
