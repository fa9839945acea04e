//! A plan in the JSON interchange form of `spec/plan-json.md`.
//!
//! The spec's keys keep their names; the keys added here give a place to
//! everything else a plan says (purposes, forms of work, groups of units,
//! recipients, the signature block …), so that nothing of the document is
//! dropped on the way into the database.

use crate::deadline::Rule;
use crate::due::Due;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanDoc {
    pub number: String,
    pub issuer: String,
    /// Day of issue, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default)]
    pub based_on: Vec<BasedOn>,
    /// The sentence that introduces the plan after its bases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble: Option<String>,
    #[serde(default)]
    pub purposes: Vec<String>,
    #[serde(default)]
    pub requirements: Vec<String>,
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// Paragraphs that stand beside the phases (e.g. what runs through all of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases_notes: Vec<String>,
    #[serde(default)]
    pub forms_of_work: Vec<FormOfWork>,
    #[serde(default)]
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub reporting: Vec<Reporting>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub units: Vec<Unit>,
    /// Named groups of units ("Các huyện, thành uỷ, …") and their members.
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub slogans: Vec<String>,
    #[serde(default)]
    pub decoration: Vec<Decoration>,
    /// Recipients list (`Nơi nhận`), verbatim.
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    /// Other paragraphs the document says (footnotes, closing lines), with where.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_units: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unparsed: Option<Vec<Unparsed>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasedOn {
    pub number: String,
    pub date: Option<String>,
    pub issuer: Option<String>,
    /// Kind and subject as written ("Chỉ thị … về đại hội đảng bộ các cấp …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub name: String,
    pub phrase: String,
    pub window: Option<Rule>,
    /// The parenthesis that explains the window, without its brackets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Headings of the content topics, verbatim.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Body of each topic: paragraphs and bullet items under topic `topic` (1-based).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topic_details: Vec<TopicDetail>,
    /// A part of the phase with a window of its own ("Trong thời gian diễn ra Đại hội …").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<Focus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Vec<Due>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicDetail {
    pub topic: usize,
    pub text: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    pub phrase: String,
    pub window: Option<Rule>,
    pub topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Vec<Due>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormOfWork {
    /// Place in the numbering, e.g. `III.1.1`.
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    #[serde(default)]
    pub text: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    #[serde(rename = "ref")]
    pub reference: String,
    pub text: String,
    pub leads: Vec<String>,
    #[serde(default)]
    pub coordinates: Vec<String>,
    pub deadline_phrase: Option<String>,
    pub deadline: Option<Rule>,
    /// The heading the task stands under, when it is not a unit ("Riêng Thành uỷ …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignees: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Vec<Due>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reporting {
    pub name: String,
    pub deadline_phrase: Option<String>,
    pub deadline: Option<Rule>,
    pub reporters: Vec<String>,
    pub recipient: Option<String>,
    /// What the report covers, as the document says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Vec<Due>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    pub unit: String,
    /// The form of work (its `ref`) the figure measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub kind: EventKind,
    /// The unit whose event it is (its congress, its conference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Congress,
    Conference,
    Anniversary,
    Meeting,
    #[default]
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub name: String,
    pub parent: Option<String>,
    pub kind: String,
    pub level: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    #[serde(default)]
    pub successors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decoration {
    pub zone: String,
    pub item: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// `T/M BAN THƯỜNG VỤ`
    pub on_behalf: Option<String>,
    pub title: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Where it stands: a section ref, `footnote 1`, `Phụ lục 03` …
    #[serde(rename = "where")]
    pub place: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unparsed {
    pub line: usize,
    pub text: String,
}
