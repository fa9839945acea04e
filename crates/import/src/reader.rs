//! The whole document: its opening, its sections by what they hold, the
//! annexes, the recipients and the signature; every line either read into
//! the draft or listed as not understood.

use crate::assign::{Assign, TaskRead, Timing};
use crate::header;
use crate::lines::{Line, Marker};
use crate::outline;
use crate::timing;
use dondoc_core::plan::{Decoration, FormOfWork, Note, Phase, PlanDoc, Signature, Unparsed};
use std::ops::Range;

/// The kinds of document that assign work, as their title line names them
/// (in capitals, alone on the line): the word the title starts with.
const GENRES: &[&str] = &[
    "Kế hoạch",
    "Chương trình",
    "Hướng dẫn",
    "Chỉ thị",
    "Công điện",
    "Thông báo",
    "Quyết định",
    "Nghị quyết",
    "Kết luận",
];

/// The genre a title line names: the genre word alone, in any case; or in
/// capitals followed by one more word (`KẾ HOẠCH LIÊN TỊCH`, `THÔNG BÁO
/// KẾT LUẬN`).
fn genre_line(text: &str) -> Option<&'static str> {
    let key = dondoc_core::text::name_key(text);
    let capitals = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    GENRES.iter().copied().find(|g| {
        let gk = dondoc_core::text::name_key(g);
        key == gk
            || capitals
                && key.starts_with(&format!("{gk} "))
                && text.split_whitespace().count() <= g.split_whitespace().count() + 2
    })
}

/// What a section holds, told by its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Aims,
    Phases,
    Forms,
    Assign,
    Notes,
}

fn role_of(title: &str) -> Role {
    let t = title.to_uppercase();
    let has = |w: &str| t.contains(w);
    if has("TỔ CHỨC THỰC HIỆN")
        || has("PHÂN CÔNG")
        || has("TRÁCH NHIỆM")
        || has("TRIỂN KHAI THỰC HIỆN")
        || has("BÁO CÁO")
    {
        Role::Assign
    } else if has("MỤC ĐÍCH") || has("YÊU CẦU") || has("MỤC TIÊU") {
        Role::Aims
    } else if has("LỘ TRÌNH")
        || has("GIAI ĐOẠN")
        || has("CÁC ĐỢT")
        || has("THỜI GIAN")
        || has("TIẾN ĐỘ")
    {
        Role::Phases
    } else if has("HÌNH THỨC")
        || has("BIỆN PHÁP")
        || has("GIẢI PHÁP")
        || has("NỘI DUNG")
        || has("NHIỆM VỤ")
        || has("HOẠT ĐỘNG")
    {
        Role::Forms
    } else {
        Role::Notes
    }
}

/// A task's source, for the review page.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TaskSource {
    pub reference: String,
    pub lines: Vec<usize>,
}

pub struct Reading {
    pub plan: PlanDoc,
    pub sources: Vec<TaskSource>,
}

struct Reader<'a> {
    lines: &'a [Line],
    used: Vec<bool>,
    plan: PlanDoc,
    sources: Vec<TaskSource>,
    /// Who the items of the section being read go to when they name no
    /// one: the body a conclusion is sent to `để … biết, thực hiện`, for
    /// its section of tasks.
    section_lead: Vec<String>,
    /// The lines each step of a guide dates (`BƯỚC HAI` … `(Từ ngày
    /// 17/12/2025 đến ngày 25/01/2026)`), which its sections inherit
    /// though their numerals start anew.
    step_times: Vec<(Range<usize>, Timing)>,
    /// Whom the opening asks to do what follows (`… Chủ tịch Ủy ban nhân
    /// dân thành phố yêu cầu Giám đốc các sở, … thực hiện các nhiệm vụ sau:`):
    /// the lead of the points of a directive that name no one.
    opening_lead: Vec<String>,
}

pub fn read(lines: &[Line]) -> Reading {
    let mut r = Reader {
        lines,
        used: vec![false; lines.len()],
        plan: PlanDoc::default(),
        sources: Vec::new(),
        section_lead: Vec::new(),
        step_times: step_times(lines),
        opening_lead: Vec::new(),
    };
    r.run();
    let unparsed: Vec<Unparsed> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !r.used[*i] && !matches!(l.marker, Marker::Blank) && !page_debris(l))
        .map(|(_, l)| Unparsed {
            line: l.no,
            text: l.raw.trim().to_string(),
        })
        .collect();
    r.plan.unparsed = Some(unparsed);
    Reading {
        plan: r.plan,
        sources: r.sources,
    }
}

/// The time each step of a guide gives, and the lines it dates: set by a
/// line that is only a time within a few lines after the step's heading
/// (`BƯỚC HAI`), up to the next step.
fn step_times(lines: &[Line]) -> Vec<(Range<usize>, Timing)> {
    let mut out: Vec<(Range<usize>, Timing)> = Vec::new();
    let mut open: Option<(usize, Timing)> = None;
    // Lines read since the last step heading, while its time may follow.
    let mut since_step: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if crate::assign::step_line(&line.text) {
            out.extend(open.take().map(|(from, t)| (from..i, t)));
            since_step = Some(0);
        } else if let Some(n) = since_step {
            if let Some(time) = crate::assign::time_line(&line.text) {
                open = Some((i, time));
                since_step = None;
            } else if line.marker != Marker::Blank {
                since_step = (n < 4).then_some(n + 1);
            }
        }
    }
    out.extend(open.map(|(from, t)| (from..lines.len(), t)));
    out
}

/// Page numbers and rules left by a copy from Word: `- 3 -`, `Trang 2`.
fn page_debris(line: &Line) -> bool {
    let t = line.raw.trim().trim_matches(['-', '–', ' ']);
    let lower = t.to_lowercase();
    t.chars().all(|c| c.is_ascii_digit())
        || lower.strip_prefix("trang ").is_some_and(|n| {
            n.chars()
                .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
        })
        || header::boilerplate(&line.raw)
}

impl Reader<'_> {
    fn use_line(&mut self, i: usize) {
        self.used[i] = true;
    }

    fn run(&mut self) {
        let n = self.lines.len();
        // Parts: opening, body sections, closing (recipients, signature), annexes.
        let annexes: Vec<usize> = (0..n)
            .filter(|&i| matches!(self.lines[i].marker, Marker::Annex(_)))
            .collect();
        let body_end = annexes.first().copied().unwrap_or(n);
        let first_section = (0..body_end)
            .find(|&i| matches!(self.lines[i].marker, Marker::Roman(_)))
            .or_else(|| {
                (0..body_end)
                    .find(|&i| matches!(&self.lines[i].marker, Marker::Number(v) if v == &[1]))
            });
        let recipients = |from: usize| {
            (from..body_end).find(|&i| {
                let t = self.lines[i].text.to_lowercase();
                t.starts_with("nơi nhận")
            })
        };
        let opening_end = first_section.unwrap_or(body_end);
        self.opening(0..opening_end);
        // A decision that issues a plan `kèm theo` ends (recipients,
        // signature) before the plan it carries begins: its closing is
        // read as such, and the plan's own sections are the body.
        let wrapper_end = recipients(0)
            .filter(|&r| r < opening_end)
            .or_else(|| self.signature_start(0..opening_end));
        if let Some(end) = wrapper_end {
            let carried = (end..opening_end)
                .find(|&i| genre_line(&self.lines[i].text).is_some())
                .unwrap_or(opening_end);
            self.closing(end..carried);
        }
        let recipients_at = recipients(opening_end.min(body_end));
        // The signature block and recipients close the body.
        let closing_start = recipients_at.unwrap_or(body_end).min(
            self.signature_start(opening_end..body_end)
                .unwrap_or(body_end),
        );
        if let Some(start) = first_section {
            self.body(start..closing_start);
        }
        self.closing(closing_start..body_end);
        for (k, &start) in annexes.iter().enumerate() {
            let end = annexes.get(k + 1).copied().unwrap_or(n);
            self.annex(start..end);
        }
        // The plan's number and date from an annex, when the opening has none.
        self.fill_rules();
    }

    fn plan_year(&self) -> Option<i16> {
        self.plan
            .date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
    }

    /// Header, title, bases and the sentence that introduces the plan.
    fn opening(&mut self, range: Range<usize>) {
        let mut caps_before_number: Vec<String> = Vec::new();
        let mut title_lines: Vec<String> = Vec::new();
        let mut in_title = false;
        for i in range {
            let line = &self.lines[i];
            let text = line.text.trim();
            if line.marker == Marker::Blank {
                if in_title && title_lines.len() > 1 {
                    in_title = false;
                }
                continue;
            }
            if header::boilerplate(&line.raw) {
                self.use_line(i);
                continue;
            }
            let lower = text.to_lowercase();
            if let Some(rest) = lower.strip_prefix("số") {
                let rest_t = rest.trim_start_matches([':', ' ']);
                let at = text.len() - rest_t.len();
                if let Some(len) = header::doc_number(&text[at..]) {
                    self.plan.number = text[at..at + len].to_string();
                    self.use_line(i);
                    if self.plan.issuer.is_empty() && !caps_before_number.is_empty() {
                        self.plan.issuer = issuer_from_caps(&caps_before_number);
                    }
                    continue;
                }
            }
            if let Some((place, date)) = header::place_date(text) {
                self.plan.date = Some(date);
                self.plan.place = place;
                self.use_line(i);
                continue;
            }
            if let Some(genre) = genre_line(text) {
                in_title = true;
                title_lines.clear();
                title_lines.push(genre.to_string());
                self.use_line(i);
                continue;
            }
            let opens_basis = lower.starts_with("căn cứ")
                || lower.starts_with("thực hiện")
                || lower.starts_with("theo ")
                || lower.starts_with("để ")
                || lower.starts_with("nhằm");
            if in_title && !opens_basis {
                title_lines.push(text.to_string());
                self.use_line(i);
                continue;
            }
            in_title = false;
            if let Some(issuer) = header::issuer_sentence(text) {
                self.plan.issuer = issuer;
                header::based_on(text, &mut self.plan.based_on);
                self.plan.preamble = Some(text.to_string());
                self.use_line(i);
                continue;
            }
            if text.ends_with(':')
                && let Some(lead) = request_lead(text)
            {
                self.opening_lead = lead;
            }
            if opens_basis {
                header::based_on(text, &mut self.plan.based_on);
                self.use_line(i);
                continue;
            }
            // The issuing body: lines in capitals before the number.
            if self.plan.number.is_empty()
                && text
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
            {
                caps_before_number.push(text.to_string());
                self.use_line(i);
                continue;
            }
        }
        if title_lines.len() > 1 {
            self.plan.title = title_lines.join(" ");
        }
        if self.plan.issuer.is_empty() && !caps_before_number.is_empty() {
            self.plan.issuer = issuer_from_caps(&caps_before_number);
        }
    }

    fn sections(&self, range: Range<usize>) -> Vec<(usize, Range<usize>)> {
        // An annex with a title and nothing under it.
        if range.is_empty() {
            return Vec::new();
        }
        let starts: Vec<usize> = range
            .clone()
            .filter(|&i| matches!(self.lines[i].marker, Marker::Roman(_)))
            .collect();
        if starts.is_empty() {
            return vec![(range.start, range)];
        }
        starts
            .iter()
            .enumerate()
            .map(|(k, &s)| (s, s + 1..starts.get(k + 1).copied().unwrap_or(range.end)))
            .collect()
    }

    /// The body a conclusion says it is sent to, to know and to carry out
    /// (`Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Phú Thọ và
    /// các Bộ … biết, thực hiện`): the first one named.
    fn addressee(&self, range: Range<usize>) -> Vec<String> {
        for i in range {
            let text = &self.lines[i].text;
            let lower = text.to_lowercase();
            if lower.len() != text.len() {
                continue;
            }
            if let Some(at) = lower.find("thông báo để ")
                && lower.contains("thực hiện")
            {
                let (names, _) = crate::names::name_list(&text[at + "thông báo để ".len()..]);
                return names.into_iter().take(1).collect();
            }
        }
        Vec::new()
    }

    fn body(&mut self, range: Range<usize>) {
        let addressee = self.addressee(range.clone());
        let sections = self.sections(range);
        // A conclusion, a letter or a telegram has no titled sections: its
        // numbered points are where it gives work, read as such.
        let untitled = !sections
            .iter()
            .any(|(head, _)| matches!(self.lines[*head].marker, Marker::Roman(_)));
        for (head, inner) in sections {
            let (numeral, title) = match &self.lines[head].marker {
                Marker::Roman(r) => (r.clone(), self.lines[head].text.clone()),
                _ => (String::new(), String::new()),
            };
            if !numeral.is_empty() {
                self.use_line(head);
            }
            let tree = outline::build(self.lines, inner);
            let role = if untitled && numeral.is_empty() {
                Role::Assign
            } else {
                role_of(&title)
            };
            for &f in &tree.footnotes {
                self.use_line(f);
                self.plan.notes.push(Note {
                    place: format!("{numeral}, chú thích"),
                    text: self.lines[f].text.clone(),
                });
            }
            // Work is given wherever an item names who does it: a section
            // of tasks and solutions, of contents, of steps, not only the
            // one titled for organising. Aims assign nothing, and a section
            // of forms of work says how, leaving who to the assigning part;
            // task tables stand where the plan puts them.
            let upper = title.to_uppercase();
            self.section_lead = if upper.contains("NHIỆM VỤ") || upper.contains("GIẢI PHÁP")
            {
                addressee.clone()
            } else if untitled {
                self.opening_lead.clone()
            } else {
                Vec::new()
            };
            let forms_of_work = upper.starts_with("HÌNH THỨC");
            if role == Role::Aims {
                // Aims give no work, but a part set under them may
                // (`2. Tháng hành động` … `các cơ quan, đơn vị, địa phương
                // phối hợp thực hiện các hoạt động sau:`).
                let roots: Vec<usize> = tree
                    .roots
                    .iter()
                    .copied()
                    .filter(|&r| {
                        let n = &tree.nodes[r];
                        let lower = n.text.to_lowercase();
                        n.is_heading()
                            && !n.children.is_empty()
                            && !["mục đích", "yêu cầu", "mục tiêu", "chỉ tiêu"]
                                .iter()
                                .any(|w| lower.contains(w))
                    })
                    .collect();
                self.tasks_within(&tree, &numeral, false, &roots);
            } else if matches!(role, Role::Phases | Role::Forms | Role::Notes) && !forms_of_work {
                self.tasks_within(&tree, &numeral, activity_list(&upper), &tree.roots);
            } else if role != Role::Assign {
                self.tables_only(&tree, &numeral);
            }
            match role {
                Role::Aims => self.aims(&tree),
                Role::Phases => self.phases(&tree),
                Role::Forms => self.forms(&tree, &numeral),
                Role::Assign => self.assign(&tree, &numeral, upper.contains("BÁO CÁO")),
                Role::Notes => self.notes(&tree, &numeral),
            }
        }
        self.section_lead.clear();
    }

    fn all_nodes(tree: &outline::Tree, id: usize, out: &mut Vec<usize>) {
        out.push(id);
        for &c in &tree.nodes[id].children {
            Self::all_nodes(tree, c, out);
        }
    }

    fn node_lines(tree: &outline::Tree, id: usize) -> Vec<usize> {
        let n = &tree.nodes[id];
        let mut v = vec![n.line];
        v.extend(n.more_lines.iter().copied());
        if let Some((l, _)) = n.timing {
            v.push(l);
        }
        v
    }

    fn aims(&mut self, tree: &outline::Tree) {
        let mut target = 0; // 0 purposes, 1 requirements
        let mut ids = Vec::new();
        for &r in &tree.roots {
            Self::all_nodes(tree, r, &mut ids);
        }
        for id in ids {
            let n = &tree.nodes[id];
            if self.used[n.line] {
                continue;
            }
            for l in Self::node_lines(tree, id) {
                self.use_line(l);
            }
            let lower = n.text.to_lowercase();
            if n.is_heading() && n.text.split_whitespace().count() <= 4 {
                if lower.contains("yêu cầu") {
                    target = 1;
                } else if lower.contains("mục đích") || lower.contains("mục tiêu") {
                    target = 0;
                }
                continue;
            }
            if target == 0 {
                self.plan.purposes.push(n.text.clone());
            } else {
                self.plan.requirements.push(n.text.clone());
            }
        }
    }

    fn phases(&mut self, tree: &outline::Tree) {
        let mut ids = Vec::new();
        for &r in &tree.roots {
            Self::all_nodes(tree, r, &mut ids);
        }
        for id in ids {
            let n = &tree.nodes[id];
            if self.used[n.line] {
                continue;
            }
            for l in Self::node_lines(tree, id) {
                self.use_line(l);
            }
            if let Some(phase) = phase_line(&n.text) {
                self.plan.phases.push(phase);
                continue;
            }
            if n.is_heading() && n.text.split_whitespace().count() <= 6 {
                continue;
            }
            if !n.text.is_empty() {
                self.plan.phases_notes.push(n.text.clone());
            }
        }
    }

    fn forms(&mut self, tree: &outline::Tree, numeral: &str) {
        fn walk(r: &mut Reader, tree: &outline::Tree, id: usize, numeral: &str) {
            let n = &tree.nodes[id];
            if r.used[n.line] {
                return;
            }
            if n.is_heading() {
                // A heading whose items all became tasks is no form of work.
                let mut below = Vec::new();
                Reader::all_nodes(tree, id, &mut below);
                if below.len() > 1 && below[1..].iter().all(|&b| r.used[tree.nodes[b].line]) {
                    r.use_line(n.line);
                    return;
                }
                let numbers: Vec<String> = n.numbers.iter().map(u32::to_string).collect();
                let reference = if numeral.is_empty() {
                    numbers.join(".")
                } else {
                    format!("{numeral}.{}", numbers.join("."))
                };
                let mut text = Vec::new();
                for &c in &n.children {
                    let cn = &tree.nodes[c];
                    if cn.is_heading()
                        || matches!(r.lines[cn.line].marker, Marker::Row(_))
                        || r.used[cn.line]
                    {
                        continue;
                    }
                    let mut ids = Vec::new();
                    Reader::all_nodes(tree, c, &mut ids);
                    for id in ids {
                        for l in Reader::node_lines(tree, id) {
                            r.use_line(l);
                        }
                        text.push(tree.nodes[id].text.clone());
                    }
                }
                for l in Reader::node_lines(tree, id) {
                    r.use_line(l);
                }
                r.plan.forms_of_work.push(FormOfWork {
                    reference,
                    title: n.text.clone(),
                    text,
                });
                for &c in &n.children {
                    if tree.nodes[c].is_heading() {
                        walk(r, tree, c, numeral);
                    }
                }
            } else if !matches!(r.lines[n.line].marker, Marker::Row(_)) {
                let mut ids = Vec::new();
                Reader::all_nodes(tree, id, &mut ids);
                for id in ids {
                    for l in Reader::node_lines(tree, id) {
                        r.use_line(l);
                    }
                    r.plan.notes.push(Note {
                        place: numeral.to_string(),
                        text: tree.nodes[id].text.clone(),
                    });
                }
            }
        }
        for &root in &tree.roots {
            walk(self, tree, root, numeral);
        }
    }

    fn notes(&mut self, tree: &outline::Tree, numeral: &str) {
        let mut ids = Vec::new();
        for &r in &tree.roots {
            Self::all_nodes(tree, r, &mut ids);
        }
        for id in ids {
            if matches!(self.lines[tree.nodes[id].line].marker, Marker::Row(_))
                || self.used[tree.nodes[id].line]
            {
                continue;
            }
            for l in Self::node_lines(tree, id) {
                self.use_line(l);
            }
            self.plan.notes.push(Note {
                place: numeral.to_string(),
                text: tree.nodes[id].text.clone(),
            });
        }
    }

    fn assign(&mut self, tree: &outline::Tree, numeral: &str, reporting: bool) {
        self.assign_part(tree, numeral, false, reporting);
    }

    fn assign_part(&mut self, tree: &outline::Tree, numeral: &str, annex: bool, reporting: bool) {
        let year = self.plan_year();
        let mut a = Assign::new(self.lines, tree, year);
        a.default_lead = self.section_lead.clone();
        a.walk(numeral, &tree.roots, annex, reporting);
        let reporting = std::mem::take(&mut a.reporting);
        self.take_assign(a, numeral);
        for (r, lines) in reporting {
            for l in lines {
                self.use_line(l);
            }
            self.plan.reporting.push(r);
        }
    }

    fn take_tasks(&mut self, tasks: Vec<TaskRead>) {
        for mut t in tasks {
            // A step's time carried past the step's end (the step's
            // heading and its items may fall in different sections) yields
            // to the time of the step the task stands in.
            let inherited = t
                .task
                .deadline_phrase
                .as_deref()
                .is_some_and(|p| self.step_times.iter().any(|(_, (sp, _))| sp == p));
            if (t.task.deadline_phrase.is_none() || inherited)
                && let Some(first) = t.lines.first()
                && let Some((_, (phrase, rule))) = self
                    .step_times
                    .iter()
                    .find(|(lines, _)| lines.contains(first))
            {
                t.task.deadline_phrase = Some(phrase.clone());
                t.task.deadline = rule.clone();
            }
            for &l in &t.lines {
                self.use_line(l);
            }
            self.sources.push(TaskSource {
                reference: t.task.reference.clone(),
                lines: t.lines.iter().map(|&i| self.lines[i].no).collect(),
            });
            self.plan.tasks.push(t.task);
        }
    }

    /// The tasks of a section that is not titled as the assigning part:
    /// its items that name who does them (and, in a list of activities,
    /// every item). What they take is no longer the section's forms or
    /// notes.
    fn tasks_within(
        &mut self,
        tree: &outline::Tree,
        numeral: &str,
        activity: bool,
        roots: &[usize],
    ) {
        let year = self.plan_year();
        let mut a = Assign::new(self.lines, tree, year);
        a.activity = activity;
        a.default_lead = self.section_lead.clone();
        a.walk(numeral, roots, false, false);
        let task_lines: Vec<usize> = a
            .tasks
            .iter()
            .flat_map(|t| t.lines.iter().copied())
            .chain(a.reporting.iter().flat_map(|(_, l)| l.iter().copied()))
            .collect();
        // A task's node takes everything under it with it.
        for (id, n) in tree.nodes.iter().enumerate() {
            if task_lines.contains(&n.line) {
                let mut ids = Vec::new();
                Self::all_nodes(tree, id, &mut ids);
                for i in ids {
                    for l in Self::node_lines(tree, i) {
                        self.use_line(l);
                    }
                }
            }
        }
        // The header rows of a table read.
        for &l in &a.used {
            if matches!(self.lines[l].marker, Marker::Row(_)) {
                self.use_line(l);
            }
        }
        let reporting = std::mem::take(&mut a.reporting);
        for (r, lines) in reporting {
            for l in lines {
                self.use_line(l);
            }
            self.plan.reporting.push(r);
        }
        self.take_tasks(a.tasks);
    }

    /// Task tables in a section that is not the assigning part.
    fn tables_only(&mut self, tree: &outline::Tree, numeral: &str) {
        let mut ids = Vec::new();
        for &r in &tree.roots {
            Self::all_nodes(tree, r, &mut ids);
        }
        if !ids
            .iter()
            .any(|&i| matches!(self.lines[tree.nodes[i].line].marker, Marker::Row(_)))
        {
            return;
        }
        // The rows under each parent, read as one table.
        let year = self.plan_year();
        let mut a = Assign::new(self.lines, tree, year);
        a.walk(numeral, &tree.roots, false, false);
        let tables: Vec<TaskRead> = a
            .tasks
            .into_iter()
            .filter(|t| t.task.reference.contains(".row"))
            .collect();
        let rows: Vec<usize> = tables.iter().flat_map(|t| t.lines.clone()).collect();
        // The header rows: any row of the section not holding a task.
        for &i in &ids {
            let l = tree.nodes[i].line;
            if matches!(self.lines[l].marker, Marker::Row(_))
                && !rows.contains(&l)
                && a.used.contains(&l)
            {
                self.use_line(l);
            }
        }
        self.take_tasks(tables);
    }

    /// Where the signature block starts: `T/M …`, `TM. …`, `KT. …`.
    fn signature_start(&self, range: Range<usize>) -> Option<usize> {
        range
            .into_iter()
            .find(|&i| signature_opening(&self.lines[i].text))
    }

    fn closing(&mut self, range: Range<usize>) {
        let mut in_recipients = false;
        let mut sig: Vec<String> = Vec::new();
        for i in range {
            let line = &self.lines[i];
            if line.marker == Marker::Blank {
                continue;
            }
            let text = line.text.trim();
            let lower = text.to_lowercase();
            if lower.starts_with("nơi nhận") {
                in_recipients = true;
                self.use_line(i);
                let rest = text.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
                if !rest.is_empty() {
                    self.plan
                        .recipients
                        .push(rest.trim_end_matches([',', ';', '.']).to_string());
                }
                continue;
            }
            if signature_opening(text) || !sig.is_empty() {
                in_recipients = false;
                sig.push(text.to_string());
                self.use_line(i);
                continue;
            }
            if in_recipients && matches!(line.marker, Marker::Dash | Marker::Plus | Marker::None) {
                self.plan
                    .recipients
                    .push(text.trim_end_matches([',', ';', '.']).trim().to_string());
                self.use_line(i);
                continue;
            }
            // A name under a title with no `T/M` line.
            if !in_recipients
                && text
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
            {
                sig.push(text.to_string());
                self.use_line(i);
            }
        }
        if !sig.is_empty() {
            let name = sig
                .iter()
                .rev()
                .find(|s| {
                    !s.chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase)
                })
                .cloned()
                .unwrap_or_default();
            let on_behalf = sig.iter().find(|s| signature_opening(s)).cloned();
            let title: Vec<String> = sig
                .iter()
                .filter(|s| Some(*s) != on_behalf.as_ref() && **s != name)
                .cloned()
                .collect();
            self.plan.signature = Some(Signature {
                on_behalf,
                title: title.join(" "),
                name,
            });
        }
    }

    fn annex(&mut self, range: Range<usize>) {
        let number = match &self.lines[range.start].marker {
            Marker::Annex(n) => n.clone(),
            _ => String::new(),
        };
        self.use_line(range.start);
        let place = format!("PL{number}");
        // The title lines, and `(kèm theo Kế hoạch số …, ngày … của …)`.
        let mut title = String::new();
        let mut body_start = range.end;
        for i in range.start + 1..range.end {
            let line = &self.lines[i];
            if line.marker == Marker::Blank {
                continue;
            }
            let text = line.text.trim();
            let lower = text.to_lowercase();
            if lower.starts_with("(kèm theo") || lower.starts_with("kèm theo") {
                self.use_line(i);
                self.annex_reference(text);
                continue;
            }
            if line.marker == Marker::None
                && text
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                && body_start == range.end
            {
                title.push_str(text);
                title.push(' ');
                self.use_line(i);
                continue;
            }
            body_start = i;
            break;
        }
        let upper = title.to_uppercase();
        let inner = body_start..range.end;
        if upper.contains("KHẨU HIỆU") {
            self.slogans(inner, &place);
        } else if upper.contains("TRANG TRÍ") || upper.contains("KHÁNH TIẾT") {
            self.decoration(inner);
        } else if upper.contains("NỘI DUNG") {
            self.phase_contents(inner);
        } else {
            for (head, sect) in self.sections(inner) {
                let numeral = match &self.lines[head].marker {
                    Marker::Roman(r) => {
                        self.use_line(head);
                        format!("{place}.{r}")
                    }
                    _ => place.clone(),
                };
                let tree = outline::build(self.lines, sect);
                self.assign_part(&tree, &numeral, true, false);
            }
        }
    }

    fn annex_reference(&mut self, text: &str) {
        let lower = text.to_lowercase();
        let Some(at) = lower.find("số ") else {
            return;
        };
        let rest = &text[at + "số ".len()..];
        if let Some(len) = header::doc_number(rest) {
            if self.plan.number.is_empty() {
                self.plan.number = rest[..len].to_string();
            }
            let after = rest[len..].trim_start_matches([',', ' ']);
            if self.plan.date.is_none()
                && let Some((d, _)) = header::date_at(after)
            {
                self.plan.date = Some(d);
            }
            if self.plan.issuer.is_empty()
                && let Some(at) = after.find("của ")
            {
                let who = after[at + "của ".len()..].trim_end_matches([')', '.', ' ']);
                self.plan.issuer = who.to_string();
            }
        }
    }

    fn slogans(&mut self, range: Range<usize>, place: &str) {
        let tree = outline::build(self.lines, range.clone());
        let mut rest_roots = Vec::new();
        for &r in &tree.roots {
            let n = &tree.nodes[r];
            if n.is_heading() && n.numbers.len() == 1 {
                self.use_line(n.line);
                self.plan.slogans.push(n.text.clone());
                // What stands after the last slogan hangs under it.
                rest_roots.extend(n.children.iter().copied());
                continue;
            }
            rest_roots.push(r);
        }
        // What else the annex says: a request is a task, the rest notes.
        let year = self.plan_year();
        let mut a = Assign::new(self.lines, &tree, year);
        let mut pos = 0;
        for r in rest_roots {
            pos += 1;
            let before = a.tasks.len();
            a.walk_one(place, r, pos);
            if a.tasks.len() == before {
                pos -= 1;
                let n = &tree.nodes[r];
                a.used.push(n.line);
                a.notes.push((n.line, n.text.clone()));
            }
        }
        self.take_assign(a, place);
    }

    /// What a walk of the assigning part read: its lines, notes and tasks.
    fn take_assign(&mut self, a: Assign, place: &str) {
        let Assign {
            tasks, used, notes, ..
        } = a;
        for l in used {
            self.use_line(l);
        }
        for (line, text) in notes {
            self.use_line(line);
            self.plan.notes.push(Note {
                place: place.to_string(),
                text,
            });
        }
        self.take_tasks(tasks);
    }

    fn decoration(&mut self, range: Range<usize>) {
        let mut zone = String::from("inside");
        let mut item = String::new();
        for i in range {
            let line = &self.lines[i];
            if line.marker == Marker::Blank {
                continue;
            }
            let text = line.text.trim().to_string();
            match &line.marker {
                Marker::Roman(_) => {
                    let u = text.to_uppercase();
                    zone = if u.contains("NGOÀI") {
                        "outside".into()
                    } else {
                        "inside".into()
                    };
                    item.clear();
                    self.use_line(i);
                    if let Some((_, rest)) = text.split_once(':') {
                        self.plan.decoration.push(Decoration {
                            zone: zone.clone(),
                            item: "Bố cục".into(),
                            text: rest.trim().to_string(),
                        });
                    }
                }
                Marker::Number(_) => {
                    item = text.clone();
                    self.use_line(i);
                    // `5. Giữa sân khấu là bàn Đoàn Chủ tịch.`: a whole item in one line.
                    if text.ends_with('.') {
                        self.plan.decoration.push(Decoration {
                            zone: zone.clone(),
                            item: text.clone(),
                            text: text.clone(),
                        });
                    }
                }
                _ => {
                    self.use_line(i);
                    self.plan.decoration.push(Decoration {
                        zone: zone.clone(),
                        item: if item.is_empty() {
                            "Chung".into()
                        } else {
                            item.clone()
                        },
                        text,
                    });
                }
            }
        }
    }

    /// Content by phase: `I- ĐỢT I: …` then numbered topics.
    fn phase_contents(&mut self, range: Range<usize>) {
        for (head, sect) in self.sections(range) {
            let name = match &self.lines[head].marker {
                Marker::Roman(_) => {
                    self.use_line(head);
                    self.lines[head]
                        .text
                        .split(':')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string()
                }
                _ => String::new(),
            };
            let tree = outline::build(self.lines, sect);
            let phase = self
                .plan
                .phases
                .iter()
                .position(|p| dondoc_core::text::same_name(&p.name, &name));
            let mut ids = Vec::new();
            for &r in &tree.roots {
                Self::all_nodes(&tree, r, &mut ids);
            }
            for &id in &ids {
                for l in Self::node_lines(&tree, id) {
                    self.use_line(l);
                }
            }
            if let Some(p) = phase {
                for &r in &tree.roots {
                    let n = &tree.nodes[r];
                    if n.is_heading() {
                        self.plan.phases[p].topics.push(n.text.clone());
                    }
                }
            } else {
                for id in ids {
                    self.plan.notes.push(Note {
                        place: name.clone(),
                        text: tree.nodes[id].text.clone(),
                    });
                }
            }
        }
    }

    /// Rules for phases whose words read; tasks and reports got theirs where
    /// they were read.
    fn fill_rules(&mut self) {
        for p in &mut self.plan.phases {
            if p.window.is_none() {
                p.window = timing::rule_of(&p.phrase).ok().flatten();
            }
        }
    }
}

/// The bodies a sentence asks to act (`… yêu cầu Giám đốc, Thủ trưởng các
/// sở, ban ngành, Chủ tịch Ủy ban nhân dân xã, phường … thực hiện …`).
fn request_lead(text: &str) -> Option<Vec<String>> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return None;
    }
    [" yêu cầu ", " đề nghị ", " giao "].iter().find_map(|w| {
        let at = lower.find(w)? + w.len();
        let after = &text[at..];
        let posts = crate::names::post_list(after);
        if !posts.is_empty() {
            return Some(posts);
        }
        let (names, _) = crate::names::name_list(after);
        (!names.is_empty()).then_some(names)
    })
}

/// A section that lists activities to carry out (`NỘI DUNG HOẠT ĐỘNG
/// TRIỂN KHAI`, `NỘI DUNG VÀ THỜI GIAN THỰC HIỆN`): each of its items is a
/// piece of work to track, whether or not it names who does it. A section
/// of contents without a schedule describes; it does not list work.
fn activity_list(upper: &str) -> bool {
    upper.contains("NỘI DUNG") && (upper.contains("HOẠT ĐỘNG") || upper.contains("THỜI GIAN"))
}

/// `- Đợt I: Từ nay đến hết năm 2024.`, `Giai đoạn 1 (từ … đến …): …`.
fn phase_line(text: &str) -> Option<Phase> {
    let lower = text.to_lowercase();
    let starts = ["đợt ", "giai đoạn ", "bước "];
    if !starts.iter().any(|s| lower.starts_with(s)) {
        return None;
    }
    let name_end = text
        .find([':', '('])
        .filter(|&e| text[..e].split_whitespace().count() <= 3)?;
    let name = text[..name_end].trim().to_string();
    let rest = &text[name_end..];
    if let Some(rest) = rest.strip_prefix(':') {
        let rest = rest.trim();
        // The parenthesis that explains the window is its note.
        let (phrase, note) = match (rest.find('('), rest.rfind(')')) {
            (Some(o), Some(c)) if c > o => {
                let note = rest[o + 1..c].trim().to_string();
                let phrase = format!("{}{}", rest[..o].trim_end(), &rest[c + 1..]);
                let phrase = phrase.trim().replace(" .", ".");
                (phrase, Some(note))
            }
            _ => (rest.to_string(), None),
        };
        let window = timing::rule_of(&phrase).ok().flatten();
        return Some(Phase {
            name,
            phrase,
            window,
            note,
            ..Phase::default()
        });
    }
    // `Giai đoạn 1 (từ tháng 4/2025 đến tháng 6/2025): …`
    let close = rest.find(')')?;
    let phrase = rest[1..close].trim().to_string();
    let window = timing::rule_of(&phrase).ok().flatten();
    Some(Phase {
        name,
        phrase,
        window,
        ..Phase::default()
    })
}

fn signature_opening(text: &str) -> bool {
    let u = text.trim().to_uppercase();
    [
        "T/M ", "TM. ", "TM ", "T.M ", "KT. ", "K/T ", "KT ", "Q. ", "TL. ", "TUQ. ", "T/L ",
    ]
    .iter()
    .any(|p| u.starts_with(p))
}

/// The issuing body from the header's capital lines: the last, joined to
/// the one above when it only names the place (`ỦY BAN NHÂN DÂN` / `TỈNH X`).
fn issuer_from_caps(lines: &[String]) -> String {
    // The national title beside the issuer, when the page's width cut it
    // (`CỘNG HÒA XÃ` / `HỘI CHỦ NGHĨA VIỆT NAM`), is not the issuer; and a
    // word the width left alone (`ỦY BAN NHÂN` / `DÂN`) ends the line above.
    let mut body: Vec<String> = Vec::new();
    for l in lines.iter().filter(|l| !header::boilerplate(l)) {
        let u = l.trim().to_uppercase();
        if ["CỘNG HÒA", "CỘNG HOÀ", "HỘI CHỦ NGHĨA", "ĐỘC LẬP"]
            .iter()
            .any(|p| u.starts_with(p))
        {
            break;
        }
        match body.last_mut() {
            Some(prev)
                if l.split_whitespace().count() == 1
                    && l.trim().chars().all(char::is_alphabetic) =>
            {
                prev.push(' ');
                prev.push_str(l.trim());
            }
            _ => body.push(l.trim().to_string()),
        }
    }
    let Some(last) = body.last() else {
        return String::new();
    };
    let u = last.to_uppercase();
    if body.len() >= 2
        && ["TỈNH ", "HUYỆN ", "THÀNH PHỐ ", "XÃ ", "THỊ XÃ ", "QUẬN "]
            .iter()
            .any(|p| u.starts_with(p))
    {
        return format!("{} {}", body[body.len() - 2], last);
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genres_are_named_by_their_title_line() {
        assert_eq!(genre_line("HƯỚNG DẪN"), Some("Hướng dẫn"));
        assert_eq!(genre_line("Kế hoạch"), Some("Kế hoạch"));
        assert_eq!(genre_line("THÔNG BÁO KẾT LUẬN"), Some("Thông báo"));
        assert_eq!(genre_line("CHỈ THỊ"), Some("Chỉ thị"));
        assert_eq!(
            genre_line("Hướng dẫn các đơn vị triển khai thực hiện tốt"),
            None
        );
        assert_eq!(
            genre_line("KẾ HOẠCH TUYÊN TRUYỀN ĐẠI HỘI ĐẢNG BỘ CÁC CẤP"),
            None
        );
    }
}
