//! Finding what a person wrote, in memory only: no index file, no saved queries.
//!
//! The corpus is built from the entries a person may read (their own, and what a
//! partner shared or revealed: the caller passes only those, as [`crate::access`]
//! decides), once, when the entries change; each keypress then matches the query
//! against folded text already in memory. Folding makes matching ignore case and
//! accents ("é" finds "e" and "e" finds "é"). The words of a query are found in any
//! order; whole words and recent entries rank first.
//!
//! A query line holds words and filters:
//! - `by:NAME`: entries by that person (a name as shown, or `me`);
//! - `is:private`, `is:shared`, `is:checkin`;
//! - `in:WORD`: the module's or exercise's title holds the word;
//! - `since:YYYY-MM-DD`, a month `YYYY-MM`, or `last:N` (the last N days).

use std::ops::Range;

use age::secrecy::zeroize::Zeroize;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use unicode_normalization::UnicodeNormalization;

use crate::content::{CHECKIN_MODULE, Visibility};
use crate::domain::{Answer, Entry, PersonId};

/// `text` in lower case with accents and other combining marks taken off, for matching.
///
/// Folding works a character at a time (a combining mark is dropped, never reordered),
/// so [`highlights`] can map a match in folded text back to the characters it came from.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for d in std::iter::once(c).nfd() {
        if !unicode_normalization::char::is_combining_mark(d) {
            out.extend(d.to_lowercase());
        }
    }
}

/// Where the query's words are in `text` (as shown, not folded), as byte ranges in
/// order, overlapping ones merged: what a screen highlights.
pub fn highlights(text: &str, words: &[String]) -> Vec<Range<usize>> {
    if words.is_empty() {
        return Vec::new();
    }
    // The folded text, and for each of its bytes the original character it came from.
    let mut folded = String::with_capacity(text.len());
    let mut from: Vec<Range<usize>> = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let before = folded.len();
        fold_char(c, &mut folded);
        from.extend(std::iter::repeat_n(
            at..at + c.len_utf8(),
            folded.len() - before,
        ));
    }
    let mut found: Vec<Range<usize>> = words
        .iter()
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            folded
                .match_indices(w.as_str())
                .map(|(i, m)| from[i].start..from[i + m.len() - 1].end)
                .collect::<Vec<_>>()
        })
        .collect();
    found.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for r in found {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// One entry as search sees it: where it is, and its words folded once, in one string
/// (each word of a query is then one scan of it).
pub struct Searchable {
    /// Index into the entries the corpus was built from.
    pub entry: usize,
    /// Its own place in the corpus.
    at: usize,
    /// The module's and exercise's titles and ids, then each answer's words, folded,
    /// each part on a line of its own.
    text: String,
    /// Where the titles end in `text`.
    titles: usize,
    /// Where each answer starts in `text`, with its index in the entry, in order.
    answers: Vec<(usize, usize)>,
}

impl Searchable {
    fn titles(&self) -> &str {
        &self.text[..self.titles]
    }

    /// The answer (by its index in the entry) that holds the byte at `at`.
    fn answer_at(&self, at: usize) -> Option<usize> {
        let i = self.answers.partition_point(|&(start, _)| start <= at);
        Some(self.answers[i.checked_sub(1)?].1)
    }
}

/// Everything a person may read, folded once: built when the entries change, never
/// per keypress, and dropped with them on lock.
pub struct Corpus {
    items: Vec<Searchable>,
}

impl Corpus {
    /// The corpus of `entries[i]` for each `i` in `readable`: what people wrote (not
    /// the questions, which every entry of an exercise shares), and the titles.
    pub fn build(entries: &[Entry], readable: &[usize]) -> Self {
        let items = readable
            .iter()
            .enumerate()
            .map(|(at, &i)| {
                let e = &entries[i];
                let r = &e.exercise;
                // Titles as shown, and the ids a workbook names them by (`in:going-gently`).
                let mut text = fold(&format!(
                    "{} {} {} {}",
                    r.module_title, r.exercise_title, r.module, r.exercise
                ));
                let titles = text.len();
                let mut answers = Vec::new();
                for (step, a) in e.answers.iter().enumerate() {
                    if let Some(words) = answer_words(&a.answer) {
                        text.push('\n');
                        answers.push((text.len(), step));
                        text.push_str(&fold(&words));
                    }
                }
                text.shrink_to_fit();
                Searchable {
                    entry: i,
                    at,
                    text,
                    titles,
                    answers,
                }
            })
            .collect();
        Self { items }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// The folded words are a copy of what people wrote: wiped, not just freed, on lock.
impl Drop for Corpus {
    fn drop(&mut self) {
        for item in &mut self.items {
            item.text.zeroize();
        }
    }
}

/// The words an answer holds for search: text, the picked options, a scale's value.
pub fn answer_words(answer: &Answer) -> Option<String> {
    match answer {
        Answer::Text { text } => Some(text.clone()),
        Answer::Choice { options } => Some(
            options
                .iter()
                .filter(|o| o.picked)
                .map(|o| &*o.label)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Answer::Scale { value, .. } => Some(value.to_string()),
        Answer::Read | Answer::Skipped | Answer::NotReady => None,
    }
}

/// Who an entry must be by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum By {
    Me,
    /// A name as shown, folded.
    Name(String),
}

/// A parsed query line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Folded words, every one of which must be found.
    pub words: Vec<String>,
    pub by: Option<By>,
    pub visibility: Option<Visibility>,
    pub checkins_only: bool,
    /// Folded words the module's or exercise's title must hold.
    pub within: Vec<String>,
    /// Entries written on or after this day (UTC).
    pub since: Option<NaiveDate>,
    /// Entries written before this day (UTC), for a month.
    pub before: Option<NaiveDate>,
}

impl Query {
    /// Reads a query line; `today` resolves `last:N`. A filter it cannot read is kept as
    /// a word, so nothing typed is silently ignored.
    pub fn parse(line: &str, today: NaiveDate) -> Self {
        let mut query = Self::default();
        for token in line.split_whitespace() {
            let folded = fold(token);
            if !query.take_filter(&folded, today) {
                query.words.push(folded);
            }
        }
        query
    }

    /// Whether everything this query finds is among what `earlier` found: the same
    /// filters, and each earlier word inside the word in its place (typing on), with
    /// perhaps more words after.
    pub fn narrows(&self, earlier: &Self) -> bool {
        self.words.len() >= earlier.words.len()
            && earlier
                .words
                .iter()
                .zip(&self.words)
                .all(|(old, new)| new.contains(old.as_str()))
            && Self {
                words: Vec::new(),
                ..self.clone()
            } == Self {
                words: Vec::new(),
                ..earlier.clone()
            }
    }

    fn take_filter(&mut self, token: &str, today: NaiveDate) -> bool {
        if let Some(name) = token.strip_prefix("by:") {
            self.by = Some(if name == "me" {
                By::Me
            } else {
                By::Name(name.to_owned())
            });
            return !name.is_empty();
        }
        match token {
            "is:private" => self.visibility = Some(Visibility::Private),
            "is:shared" => self.visibility = Some(Visibility::Shared),
            "is:checkin" => self.checkins_only = true,
            _ => {
                if let Some(word) = token.strip_prefix("in:").filter(|w| !w.is_empty()) {
                    self.within.push(word.to_owned());
                } else if let Some(day) = token
                    .strip_prefix("since:")
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                {
                    self.since = Some(day);
                } else if let Some(days) = token
                    .strip_prefix("last:")
                    .and_then(|n| n.parse::<i64>().ok())
                    .filter(|n| (0..=36_500).contains(n))
                {
                    self.since = Some(today - TimeDelta::days(days));
                } else if let Some((first, next)) = month(token) {
                    self.since = Some(first);
                    self.before = Some(next);
                } else {
                    return false;
                }
            }
        }
        true
    }
}

/// `YYYY-MM` as (its first day, the next month's first day).
fn month(token: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (year, month) = token.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next))
}

/// One entry found: where, how well, and the step that matched first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    /// Where it is in the corpus.
    item: usize,
    /// The answer (by its index in the entry) holding the first match, if a match is in
    /// an answer rather than a title.
    pub step: Option<usize>,
    pub score: u32,
}

/// Whose entries are whose, for `by:`.
pub struct People<'a> {
    pub me: &'a PersonId,
    /// Each person's id and name as shown.
    pub names: Vec<(&'a PersonId, String)>,
}

/// Every entry of `corpus` the query finds, best first: whole-word matches score above
/// parts of words, and among equals the newer entry comes first.
pub fn find(corpus: &Corpus, entries: &[Entry], query: &Query, people: &People<'_>) -> Vec<Hit> {
    Scan::all(query.clone())
        .run(corpus, entries, people, usize::MAX)
        .unwrap_or_default()
}

/// One query being matched, a part at a time: a screen looks through a slice of the
/// corpus per turn, so no keypress waits for a whole scan of a large one, and the
/// results come when the last slice is done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    pub query: Query,
    /// The corpus items to look at, in order: all of them, or what a wider query found.
    items: Items,
    /// How many of them have been looked at.
    next: usize,
    /// What was found so far, with when each entry was last changed (to rank by).
    found: Vec<(Hit, DateTime<Utc>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Items {
    All,
    /// The items of what the wider query found, shared with its results.
    Within(std::sync::Arc<[Hit]>),
}

impl Scan {
    /// `query` over the whole corpus.
    pub fn all(query: Query) -> Self {
        Self {
            query,
            items: Items::All,
            next: 0,
            found: Vec::new(),
        }
    }

    /// `query` over what a wider one found (it must [narrow](Query::narrows) that one):
    /// typing on costs what the results do, not what the whole corpus does.
    pub fn within(query: Query, earlier: &std::sync::Arc<[Hit]>) -> Self {
        Self {
            query,
            items: Items::Within(std::sync::Arc::clone(earlier)),
            next: 0,
            found: Vec::new(),
        }
    }

    /// Looks through more of the corpus, stopping once about `budget` bytes of folded
    /// text have been looked through; the results, best first, when nothing is left.
    pub fn run(
        &mut self,
        corpus: &Corpus,
        entries: &[Entry],
        people: &People<'_>,
        budget: usize,
    ) -> Option<Vec<Hit>> {
        let total = match &self.items {
            Items::All => corpus.items.len(),
            Items::Within(items) => items.len(),
        };
        let mut spent = 0;
        while self.next < total && spent < budget {
            let at = match &self.items {
                Items::All => self.next,
                Items::Within(hits) => hits[self.next].item,
            };
            self.next += 1;
            let Some(item) = corpus.items.get(at) else {
                continue;
            };
            // Never nothing, so an empty item still counts against the budget.
            spent += item.text.len() + 1;
            let Some(entry) = entries.get(item.entry) else {
                continue;
            };
            if passes_filters(entry, item, &self.query, people)
                && let Some(hit) = score(item, &self.query.words)
            {
                self.found.push((hit, entry.updated));
            }
        }
        if self.next < total {
            return None;
        }
        let mut hits = std::mem::take(&mut self.found);
        hits.sort_by(|(a, at), (b, bt)| b.score.cmp(&a.score).then(bt.cmp(at)));
        Some(hits.into_iter().map(|(hit, _)| hit).collect())
    }
}

fn passes_filters(entry: &Entry, item: &Searchable, query: &Query, people: &People<'_>) -> bool {
    let by = match &query.by {
        None => true,
        Some(By::Me) => &entry.author == people.me,
        Some(By::Name(name)) => people
            .names
            .iter()
            .any(|(id, shown)| *id == &entry.author && fold(shown).starts_with(name.as_str())),
    };
    let day = entry.created.date_naive();
    by && query.visibility.is_none_or(|v| entry.visibility == v)
        && (!query.checkins_only || entry.exercise.module.as_str() == CHECKIN_MODULE)
        && query
            .within
            .iter()
            .all(|w| item.titles().contains(w.as_str()))
        && query.since.is_none_or(|since| day >= since)
        && query.before.is_none_or(|before| day < before)
}

/// Whether every word is in the item; its score and first matching answer if so.
/// Each word is one pass over the text: where it first is in an answer, and whether
/// it stands anywhere as a whole word.
fn score(item: &Searchable, words: &[String]) -> Option<Hit> {
    let mut total = 0;
    let mut step = None;
    for word in words {
        let mut found = false;
        let mut whole = false;
        let mut in_answer = None;
        for (at, _) in item.text.match_indices(word.as_str()) {
            found = true;
            if in_answer.is_none() && at >= item.titles {
                in_answer = Some(at);
            }
            whole = whole || is_whole_word(&item.text, at, word.len());
            if whole && (in_answer.is_some() || step.is_some()) {
                break;
            }
        }
        if !found {
            return None;
        }
        if step.is_none() {
            step = in_answer.and_then(|at| item.answer_at(at));
        }
        total += if whole { 2 } else { 1 };
    }
    Some(Hit {
        entry: item.entry,
        item: item.at,
        step,
        score: total,
    })
}

/// Whether the `len` bytes at `at` in `text` stand as a word of their own, not inside
/// a longer one.
fn is_whole_word(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ExerciseId, ModuleId, StepId, WorkbookId};
    use crate::domain::{ENTRY_FORMAT, EntryId, ExerciseRef, PickedOption, StepAnswer};
    use chrono::TimeZone;

    fn entry(author: &str, day: u32, title: &str, text: &str, visibility: Visibility) -> Entry {
        let at = Utc.with_ymd_and_hms(2026, 3, day, 20, 0, 0).unwrap();
        Entry {
            format: ENTRY_FORMAT,
            id: EntryId::random(),
            author: PersonId(author.into()),
            created: at,
            updated: at,
            visibility,
            mac: None,
            witness: Vec::new(),
            exercise: std::sync::Arc::new(ExerciseRef {
                workbook: WorkbookId::new("rebuilding-trust"),
                workbook_version: "3".into(),
                module: ModuleId::new("healing"),
                exercise: ExerciseId::new("an-exercise"),
                module_title: "Talking openly".into(),
                exercise_title: title.into(),
            }),
            answers: vec![
                StepAnswer {
                    step: StepId::new("words"),
                    prompt: "What feels true?".into(),
                    answer: Answer::Text {
                        text: text.to_owned(),
                    },
                },
                StepAnswer {
                    step: StepId::new("picked"),
                    prompt: "Which fits?".into(),
                    answer: Answer::Choice {
                        options: vec![PickedOption::new(
                            crate::content::OptionId::new("calm"),
                            "A calm evening".into(),
                            true,
                        )],
                    },
                },
            ],
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
    }

    fn titles(entries: &[Entry], hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| entries[h.entry].exercise.exercise_title.to_string())
            .collect()
    }

    fn search(entries: &[Entry], line: &str) -> Vec<String> {
        let all: Vec<usize> = (0..entries.len()).collect();
        let corpus = Corpus::build(entries, &all);
        let me = PersonId("sam".into());
        let alex = PersonId("alex".into());
        let people = People {
            me: &me,
            names: vec![(&me, "Sam".to_owned()), (&alex, "Alex".to_owned())],
        };
        let hits = find(&corpus, entries, &Query::parse(line, today()), &people);
        titles(entries, &hits)
    }

    /// Everything in `entries`, as a person who may read all of it.
    fn all_of(entries: &[Entry]) -> Corpus {
        let all: Vec<usize> = (0..entries.len()).collect();
        Corpus::build(entries, &all)
    }

    /// `me`, with no one else named.
    fn alone(me: &PersonId) -> People<'_> {
        People {
            me,
            names: Vec::new(),
        }
    }

    fn journal() -> Vec<Entry> {
        vec![
            entry(
                "sam",
                2,
                "The anniversary",
                "The café where we met, on our anniversary night",
                Visibility::Private,
            ),
            entry(
                "sam",
                20,
                "Forgiveness",
                "Not ready to forgive; maybe someday",
                Visibility::Shared,
            ),
            entry(
                "alex",
                25,
                "Where I am",
                "Thinking about the anniversary dinner",
                Visibility::Shared,
            ),
        ]
    }

    #[test]
    fn case_and_accents_are_ignored_both_ways() {
        let entries = journal();
        assert_eq!(search(&entries, "CAFE"), ["The anniversary"]);
        assert_eq!(fold("Café ÉTÉ naïve"), "cafe ete naive");
    }

    #[test]
    fn words_are_found_in_any_order_and_all_must_be_there() {
        let entries = journal();
        assert_eq!(search(&entries, "night anniversary"), ["The anniversary"]);
        assert!(search(&entries, "anniversary forgive").is_empty());
    }

    #[test]
    fn whole_words_rank_before_parts_and_newer_before_older() {
        let entries = journal();
        // "forgive" is a whole word in one entry and part of "Forgiveness" (title).
        assert_eq!(search(&entries, "forgive"), ["Forgiveness"]);
        assert_eq!(
            search(&entries, "anniversary"),
            ["Where I am", "The anniversary"],
            "both whole words: the newer first"
        );
        assert_eq!(search(&entries, "anniv"), ["Where I am", "The anniversary"]);
        let mut entries = journal();
        entries.push(entry(
            "sam",
            28,
            "Later",
            "Nightly walks help",
            Visibility::Private,
        ));
        assert_eq!(
            search(&entries, "night"),
            ["The anniversary", "Later"],
            "a whole word, though older, before a part of a newer word"
        );
    }

    #[test]
    fn filters_combine_with_words() {
        let entries = journal();
        assert_eq!(search(&entries, "anniversary by:alex"), ["Where I am"]);
        assert_eq!(search(&entries, "anniversary by:me"), ["The anniversary"]);
        assert_eq!(search(&entries, "is:private"), ["The anniversary"]);
        assert_eq!(search(&entries, "is:shared by:sam"), ["Forgiveness"]);
        assert_eq!(
            search(&entries, "since:2026-03-10 anniversary"),
            ["Where I am"]
        );
        assert_eq!(search(&entries, "2026-03 calm").len(), 3);
        assert!(search(&entries, "2026-04").is_empty());
        assert_eq!(search(&entries, "last:8"), ["Where I am"]);
        assert_eq!(
            search(&entries, "in:forgiveness"),
            ["Forgiveness"],
            "an exercise's title"
        );
        assert_eq!(
            search(&entries, "in:talking").len(),
            3,
            "the module's title"
        );
        assert!(search(&entries, "is:checkin").is_empty());
    }

    #[test]
    fn picked_options_are_searched_and_a_match_names_its_step() {
        let entries = journal();
        let corpus = all_of(&entries);
        let me = PersonId("sam".into());
        let people = alone(&me);
        let hits = find(
            &corpus,
            &entries,
            &Query::parse("evening", today()),
            &people,
        );
        assert_eq!(hits.len(), 3);
        assert!(hits.iter().all(|h| h.step == Some(1)), "{hits:?}");
    }

    #[test]
    fn only_what_the_caller_may_read_is_searched() {
        let entries = journal();
        // The caller leaves out a partner's entry it may not read.
        let corpus = Corpus::build(&entries, &[0, 1]);
        let me = PersonId("sam".into());
        let people = People {
            me: &me,
            names: Vec::new(),
        };
        let hits = find(&corpus, &entries, &Query::parse("dinner", today()), &people);
        assert!(hits.is_empty());
    }

    #[test]
    fn a_filter_it_cannot_read_is_searched_as_a_word() {
        let q = Query::parse("since:yesterday 2026-13 by:", today());
        assert_eq!(q.words, ["since:yesterday", "2026-13", "by:"]);
    }

    #[test]
    fn highlights_map_folded_matches_back_to_the_text_as_shown() {
        let words = vec![fold("cafe"), fold("NIGHT")];
        let text = "The Café at night, every Night";
        let marked: Vec<&str> = highlights(text, &words)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(marked, ["Café", "night", "Night"]);
        // A decomposed accent (e + combining acute) is taken whole.
        let text = "cafe\u{301} noir";
        let marked: Vec<&str> = highlights(text, &words[..1])
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            marked,
            ["cafe"],
            "the match ends where the word's letters do"
        );
        assert_eq!(fold(text), "cafe noir");
        assert!(highlights("anything", &[]).is_empty());
    }

    #[test]
    fn overlapping_matches_merge_into_one_highlight() {
        let text = "anniversary";
        let words = vec!["anni".to_owned(), "nivers".to_owned()];
        assert_eq!(highlights(text, &words), vec![0..8]);
    }

    #[test]
    fn a_workbook_id_finds_its_entries() {
        let entries = journal();
        assert_eq!(search(&entries, "in:healing").len(), 3, "the module's id");
    }

    #[test]
    fn a_narrower_query_finds_the_same_among_what_the_wider_one_found() {
        let mut entries = journal();
        entries.extend(journal());
        let corpus = all_of(&entries);
        let me = PersonId("sam".into());
        let people = alone(&me);
        let steps = ["a", "an", "anni", "anniv night", "anniv nights"];
        let mut earlier: Option<(Query, Vec<Hit>)> = None;
        for line in steps {
            let query = Query::parse(line, today());
            let whole = find(&corpus, &entries, &query, &people);
            if let Some((before, found)) = &earlier {
                assert!(query.narrows(before), "{line}");
                let within = Scan::within(query.clone(), &found.as_slice().into())
                    .run(&corpus, &entries, &people, usize::MAX)
                    .unwrap();
                assert_eq!(within, whole, "{line}");
            }
            earlier = Some((query, whole));
        }
        let wide = Query::parse("anniv", today());
        for wider_or_other in ["ann", "anniv by:me", "night", "2026-03 anniv", ""] {
            let q = Query::parse(wider_or_other, today());
            assert!(!q.narrows(&wide), "{wider_or_other}");
        }
    }

    #[test]
    fn a_scan_in_slices_finds_what_one_pass_does_and_only_at_its_end() {
        let mut entries = Vec::new();
        for _ in 0..20 {
            entries.extend(journal());
        }
        let corpus = all_of(&entries);
        let me = PersonId("sam".into());
        let people = alone(&me);
        let query = Query::parse("anniversary", today());
        let whole = find(&corpus, &entries, &query, &people);
        assert_eq!(whole.len(), 40);
        for budget in [1, 100, 1000] {
            let mut scan = Scan::all(query.clone());
            let mut turns = 1;
            let hits = loop {
                if let Some(hits) = scan.run(&corpus, &entries, &people, budget) {
                    break hits;
                }
                turns += 1;
            };
            assert_eq!(hits, whole, "budget {budget}");
            assert!(turns > 1, "budget {budget}: more than one slice");
        }
        let narrower = Query::parse("anniversary night", today());
        let mut scan = Scan::within(narrower.clone(), &whole.as_slice().into());
        assert_eq!(scan.run(&corpus, &entries, &people, 1), None);
        let mut rest = None;
        while rest.is_none() {
            rest = scan.run(&corpus, &entries, &people, 1);
        }
        assert_eq!(rest, Some(find(&corpus, &entries, &narrower, &people)));
    }
}
