//! The section tree of a document part: numbered headings, and under each
//! the items (paragraphs, bullets, `a)`, `(1)`, table rows) in their order.

use crate::lines::{Line, Marker};
use crate::timing;

#[derive(Debug, Clone)]
pub struct Node {
    /// Index of the line in the document's lines.
    pub line: usize,
    /// For a heading, its numbers as written (`[1, 7, 1]`); empty for items.
    pub numbers: Vec<u32>,
    /// The text, with continuation lines joined.
    pub text: String,
    pub children: Vec<usize>,
    /// A `Thời gian …:` line that gives this node's time, its line index
    /// and the words after the label.
    pub timing: Option<(usize, String)>,
    /// Lines joined into this node (continuations), beside `line`.
    pub more_lines: Vec<usize>,
}

impl Node {
    pub fn is_heading(&self) -> bool {
        !self.numbers.is_empty()
    }
}

#[derive(Debug, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// Top-level nodes of the part, in order.
    pub roots: Vec<usize>,
    /// Footnotes met in the part: line index.
    pub footnotes: Vec<usize>,
}

/// Two words or more, every letter a capital.
pub fn title_in_capitals(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
        && !text.chars().any(char::is_lowercase)
        && text.split_whitespace().count() >= 2
}

/// Builds the tree of `lines[range]`.
pub fn build(lines: &[Line], range: std::ops::Range<usize>) -> Tree {
    let mut tree = Tree::default();
    // Open headings: (depth, node).
    let mut headings: Vec<(usize, usize)> = Vec::new();
    // Under the current heading: the last item at its level, the last bullet,
    // the last `a)` item.
    let mut last_item: Option<usize> = None;
    let mut last_dash: Option<usize> = None;
    let mut last_letter: Option<usize> = None;
    let mut last_node: Option<usize> = None;

    for i in range {
        let line = &lines[i];
        // A page number left by a copy from Word is no part of the text.
        if line.marker == Marker::None
            && line
                .text
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        {
            continue;
        }
        match &line.marker {
            Marker::Blank => continue,
            Marker::Footnote(_) => {
                tree.footnotes.push(i);
                continue;
            }
            _ => {}
        }
        // A line that only carries the time of the item above it.
        if matches!(line.marker, Marker::None | Marker::Dash)
            && let Some(words) = timing::label_line(&line.text)
            && let Some(target) = last_node
            && tree.nodes[target].timing.is_none()
        {
            tree.nodes[target].timing = Some((i, words));
            continue;
        }
        // A paragraph that starts in lower case goes on from the line above
        // (a page break inside a sentence).
        // So does one after a paragraph that stopped on a comma (`5. Tập
        // đoàn Công nghiệp - Viễn thông Quân đội,` / `Tập đoàn Bưu chính …`).
        if line.marker == Marker::None
            && let Some(prev) = last_node
            && (line.text.chars().next().is_some_and(char::is_lowercase)
                || tree.nodes[prev].text.trim_end().ends_with(','))
        {
            let node = &mut tree.nodes[prev];
            node.text.push(' ');
            node.text.push_str(&line.text);
            node.more_lines.push(i);
            continue;
        }
        let id = tree.nodes.len();
        let numbers = match &line.marker {
            Marker::Number(n) => n.clone(),
            _ => Vec::new(),
        };
        tree.nodes.push(Node {
            line: i,
            numbers: numbers.clone(),
            text: line.text.clone(),
            children: Vec::new(),
            timing: None,
            more_lines: Vec::new(),
        });
        last_node = Some(id);
        let heading_parent = |headings: &Vec<(usize, usize)>| headings.last().map(|&(_, n)| n);
        let attach = |tree: &mut Tree, parent: Option<usize>| match parent {
            Some(p) => tree.nodes[p].children.push(id),
            None => tree.roots.push(id),
        };
        if !numbers.is_empty() {
            let depth = numbers.len();
            while headings.last().is_some_and(|&(d, _)| d >= depth) {
                headings.pop();
            }
            attach(&mut tree, heading_parent(&headings));
            headings.push((depth, id));
            last_item = None;
            last_dash = None;
            last_letter = None;
            continue;
        }
        // A title in capitals (`B. ĐỐI VỚI VIỆC HIỆP THƯƠNG`, `BƯỚC HAI`)
        // starts a new division of the part: the numbered headings above it
        // are closed, and what follows is no longer theirs.
        if line.marker == Marker::None && title_in_capitals(&line.text) {
            headings.clear();
            last_item = None;
            last_dash = None;
            last_letter = None;
            attach(&mut tree, None);
            continue;
        }
        let under = heading_parent(&headings);
        let parent = match &line.marker {
            Marker::Plus => last_dash.or(last_item).or(under),
            Marker::Paren(_) => last_item
                .filter(|&p| tree.nodes[p].text.trim_end().ends_with(':'))
                .or(under),
            Marker::Dash => last_letter.or(under),
            _ => under,
        };
        attach(&mut tree, parent);
        match &line.marker {
            Marker::Dash => {
                last_dash = Some(id);
                if last_letter.is_none() {
                    last_item = Some(id);
                }
            }
            Marker::Letter(_) => {
                last_letter = Some(id);
                last_item = Some(id);
                last_dash = None;
            }
            Marker::Plus | Marker::Paren(_) => {}
            _ => {
                last_item = Some(id);
                last_dash = None;
                last_letter = None;
            }
        }
    }
    tree
}
