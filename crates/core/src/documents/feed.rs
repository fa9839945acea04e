//! A unit's calendar feed: its deadlines and the events it takes part in,
//! as all-day items (written as iCalendar by `dondoc_export::ics`).

use jiff::civil::Date;

#[derive(Debug, Clone, Default)]
pub struct Feed {
    /// `dondoc — Ban Tuyên giáo Tỉnh uỷ`
    pub name: String,
    pub items: Vec<FeedItem>,
}

#[derive(Debug, Clone, Default)]
pub struct FeedItem {
    /// Stable across exports so a subscribed calendar updates in place
    /// (`assignment-123@dondoc`, `event-dh-xx@dondoc`).
    pub uid: String,
    pub summary: String,
    pub description: String,
    /// All-day, inclusive: a deadline is its last day; an event its days.
    pub start: Date,
    pub end: Date,
    /// Bumped whenever the item's dates change (the event's or the window's).
    pub sequence: u32,
}
