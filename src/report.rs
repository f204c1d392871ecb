//! Ordinal sentences for stored events: the counting rules applied to the store's histories.
//! Shared by the command line, the exports and the TUI so that all say the same thing.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::counting::{self, Criteria, Rule};
use crate::domain::date::DateStyle;
use crate::domain::names::Labels;
use crate::domain::ordinal::{Ordinal, ordinal_word};
use crate::domain::prior::{self, Prior};
use crate::domain::scope::Scope;
use crate::domain::series::Series;
use crate::domain::{Event, Person};
use crate::store::{
    BoxError, DbError, Depth, EventFilter, KeptPlace, Order, Result, Store, StoreError,
};

mod facts;
pub use facts::Facts;

/// The type of an error that the store's streaming boxed with its own, so that the exit code
/// can still tell a failed write from a failed store.
fn unboxed<E>(error: BoxError) -> E
where
    E: From<StoreError> + std::error::Error + 'static,
{
    let error = match error.downcast::<E>() {
        Ok(own) => return *own,
        Err(other) => other,
    };
    let error = match error.downcast::<StoreError>() {
        Ok(store) => return E::from(*store),
        Err(other) => other,
    };
    match error.downcast::<DbError>() {
        Ok(engine) => E::from(StoreError::from(*engine)),
        // The store boxes only its own two types; anything else is still the store failing.
        Err(other) => E::from(StoreError::from(DbError::io(std::io::Error::other(other)))),
    }
}

/// The ordinal of one event among the meetings of one set of people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdinalLine {
    /// The people, in sentence order.
    pub people: Vec<(i64, String)>,
    /// Continued from the prior count where one is known.
    pub ordinal: Ordinal,
    /// The ordinal as the sentence says it: "6th", or where sources dispute the prior count,
    /// "6th, or 7th by news.mail.ru's count,".
    pub words: String,
    /// " (or 7th by news.mail.ru's count)", or nothing: the disputed alternatives, for lines
    /// that say them after the noun.
    pub alternatives: String,
    /// " in this record", ", counting 6 before this record", or nothing: how far the count
    /// reaches back.
    pub scope: String,
    /// Whether the ordinal rests on a prior count (of any number, none included).
    pub prior: bool,
    /// "together once before, 18 Feb 2025 in Riyadh": where the pair met before in other
    /// roles, said in the sentence too.
    pub together: Option<String>,
    /// "3rd face-to-face meeting between Vladimir Putin and Steve Witkoff in this record".
    pub sentence: String,
    /// "previous: 13 Mar 2025, Moscow, 29 days earlier".
    pub previous: Option<String>,
    /// "counting the reported meeting of 11 Feb 2025": what the ordinal rests on that is not
    /// confirmed. Filled in by `Ordinals::note_reported`, for the detail, `show` and `count`.
    pub reported: Option<String>,
}

impl OrdinalLine {
    /// The sentence with the reported meetings it counts, said after the count and before
    /// where the pair was together: "…, counting the reported meeting of 11 Feb 2025 ·
    /// together once before in other roles, 15 Aug 2025 in Anchorage".
    pub fn with_reported(&self) -> String {
        let Some(reported) = &self.reported else {
            return self.sentence.clone();
        };
        let beside = self
            .together
            .as_ref()
            .map(|note| format!(" · {note}"))
            .unwrap_or_default();
        let counted = self
            .sentence
            .strip_suffix(&beside)
            .unwrap_or(&self.sentence);
        format!("{counted}, {reported}{beside}")
    }
}

/// Ordinal sentences from the places the store keeps: one lookup per event, or one query for a
/// page of events read with `read`.
pub struct Ordinals<'s> {
    store: &'s Store,
    places: HashMap<i64, Vec<KeptPlace>>,
    /// Read once, when first needed: a record holds a few.
    priors: Option<Arc<HashMap<Series, Prior>>>,
    style: DateStyle,
    /// Whether each line says the previous meeting, and events are read with their claims.
    whole: bool,
}

impl<'s> Ordinals<'s> {
    pub fn new(store: &'s Store, style: DateStyle) -> Self {
        Ordinals {
            store,
            places: HashMap::new(),
            priors: None,
            style,
            whole: true,
        }
    }

    /// For a listing that prints the sentences alone (the CSV export): no line says the
    /// previous meeting (`OrdinalLine::previous` is `None` unless a prior count gives it) and
    /// `for_each_event` reads events without their claims, so that a page costs a lookup per
    /// event in each table and none per kept place.
    pub fn sentences_only(mut self) -> Self {
        self.whole = false;
        self
    }

    fn kept_places(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<KeptPlace>>> {
        if self.whole {
            self.store.kept_places(ids)
        } else {
            self.store.kept_ordinals(ids)
        }
    }

    fn priors(&mut self) -> Result<Arc<HashMap<Series, Prior>>> {
        match &self.priors {
            Some(priors) => Ok(Arc::clone(priors)),
            None => {
                let priors = Arc::new(self.store.priors()?);
                self.priors = Some(Arc::clone(&priors));
                Ok(priors)
            }
        }
    }

    /// What the sentences of `events` rest on, read now, so that they can be said without the
    /// store: on another thread while the next page is read (the CSV export). They are said as
    /// `sentences_only` says them: no line says the previous meeting.
    pub fn page_sentences(&mut self, events: &[Event]) -> Result<PageSentences> {
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        Ok(PageSentences {
            places: self.store.page_ordinals(&ids)?,
            priors: self.priors()?,
            style: self.style,
            key: String::new(),
        })
    }

    /// Calls `each` on every event `filter` keeps, in `order`, reading the kept places a page
    /// at a time. A failure is `each`'s own error or the store's, in `each`'s type.
    pub fn for_each_event<E>(
        &mut self,
        filter: &EventFilter,
        order: Order,
        mut each: impl FnMut(&Event, &mut Self) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E>
    where
        E: From<StoreError> + std::error::Error + Send + Sync + 'static,
    {
        self.each_page(filter, order, |ordinals, page| {
            ordinals.read(&page)?;
            for event in &page {
                each(event, ordinals)?;
            }
            Ok(())
        })
    }

    /// As `for_each_event`, a page at a time, each page with what its sentences rest on
    /// (`page_sentences`), so that `each` may have them said on another thread.
    pub fn for_each_page_said<E>(
        &mut self,
        filter: &EventFilter,
        order: Order,
        mut each: impl FnMut(Vec<Event>, PageSentences) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E>
    where
        E: From<StoreError> + std::error::Error + Send + Sync + 'static,
    {
        self.each_page(filter, order, |ordinals, page| {
            let said = ordinals.page_sentences(&page)?;
            each(page, said)?;
            Ok(())
        })
    }

    /// Every page `filter` keeps, in `order`, read as deep as the sentences need; a failure in
    /// the type of the caller's own.
    fn each_page<E>(
        &mut self,
        filter: &EventFilter,
        order: Order,
        mut each: impl FnMut(&mut Self, Vec<Event>) -> std::result::Result<(), BoxError>,
    ) -> std::result::Result<usize, E>
    where
        E: From<StoreError> + std::error::Error + 'static,
    {
        let store = self.store;
        let depth = if self.whole {
            Depth::Full
        } else {
            Depth::Listed
        };
        store
            .for_each_page_read(filter, order, depth, |page| each(self, page))
            .map_err(unboxed)
    }

    /// Reads the places of a page of events at once, in place of the page read before.
    pub fn read(&mut self, events: &[Event]) -> Result<()> {
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        self.places = self.kept_places(&ids)?;
        for id in ids {
            self.places.entry(id).or_default();
        }
        Ok(())
    }

    /// One sentence for each pair of heads of sides: face-to-face meetings for an in-person
    /// event, calls for a phone or video call. Empty where fewer than two sides have a head, or
    /// for a cancelled event. Read from the kept places alone, so that a page of a listing or an
    /// export costs a lookup per event.
    pub fn for_event(&mut self, event: &Event) -> Result<Vec<OrdinalLine>> {
        self.lines(event, false)
    }

    /// As `for_event`, for one event shown on its own (the detail, `show`): a pair together
    /// before in other roles is told so, read from the smaller of the two people's histories
    /// (about 0.1 ms a pair on average, 5 ms at worst at 50,000 events: too much for every row
    /// of an export, nothing for one event).
    pub fn for_shown_event(&mut self, event: &Event) -> Result<Vec<OrdinalLine>> {
        self.lines(event, true)
    }

    /// The short form of the event's first ordinal ("3rd", "3rd-4th"), for a timeline row: the
    /// kept place alone, nothing more read.
    pub fn badge(&mut self, event: &Event) -> Result<String> {
        Ok(self
            .lines(event, false)?
            .first()
            .map(|l| l.ordinal.badge())
            .unwrap_or_default())
    }

    fn lines(&mut self, event: &Event, together: bool) -> Result<Vec<OrdinalLine>> {
        let together: Option<TogetherNote<Self>> = together.then_some(Self::together);
        lines_of(self, event, together)
    }

    /// Where the pair of `series` was together before `event` other than as heads: "together
    /// once before, 18 Feb 2025 in Riyadh", "together 3 times before in other roles, last …"
    /// (after meetings as heads, a bare "together once before" would read as fewer than they
    /// had).
    fn together(
        &mut self,
        event: &Event,
        series: &Series,
        met_before: bool,
    ) -> Result<Option<String>> {
        let Some(together) = self.store.together_before(series, event.date.first())? else {
            return Ok(None);
        };
        let last = self.store.event(together.last)?;
        let mut at = last.date.display(self.style);
        match (last.place.city.trim(), &last.place.country) {
            ("", Some(country)) => {
                at.push_str(&format!(" in {}", country.in_sentence()));
            }
            ("", None) => {}
            (city, _) => at.push_str(&format!(" in {city}")),
        }
        let roles = if met_before { " in other roles" } else { "" };
        Ok(Some(match together.times {
            1 => format!("together once before{roles}, {at}"),
            2 => format!("together twice before{roles}, last {at}"),
            n => format!("together {n} times before{roles}, last {at}"),
        }))
    }

    /// Says on each line which earlier meetings it counts that are only reported.
    pub fn note_reported(&mut self, event: &Event, lines: &mut [OrdinalLine]) -> Result<()> {
        for line in lines.iter_mut() {
            let [(first, _), (second, _)] = line.people.as_slice() else {
                continue;
            };
            let series = Series::meetings(event.mode, *first, *second);
            let Some(place) = self.place(event, &series)? else {
                continue;
            };
            let dates = self.store.reported_before(&series, place.ordinal.low)?;
            line.reported = reported_phrase(event.mode, &dates, self.style);
        }
        Ok(())
    }

    /// The first ordinal sentence of the event, or an empty string: what the interface says
    /// after a save. A summit's is its shortened ordinals (`summit`) joined by "; ".
    pub fn headline(&mut self, event: &Event) -> Result<String> {
        let lines = self.for_event(event)?;
        Ok(headline_of(event, lines))
    }

    /// The sentences for `person`'s meetings with the other heads in `event`.
    pub fn person_lines(&mut self, event: &Event, person_id: i64) -> Result<Vec<OrdinalLine>> {
        let lines = self.for_event(event)?;
        Ok(lines
            .into_iter()
            .filter(|line| line.people.iter().any(|(id, _)| *id == person_id))
            .collect())
    }

    /// "Steve Witkoff's 3rd visit to Russia", for a person away from home: the
    /// place kept for the visit this event is part of (trips, stopovers and home are the
    /// store's to work out; an event at home or a stopover has no such place).
    pub fn visit(&mut self, event: &Event, person: &Person) -> Result<Option<String>> {
        self.visit_of(event, person.id, &person.name)
    }

    /// As `visit`, for the person numbered `person` and named `name`: a participant of the
    /// event, with no need to read the person.
    fn visit_of(&mut self, event: &Event, person: i64, name: &str) -> Result<Option<String>> {
        visit_of(self, event, person, name)
    }

    /// Every ordinal sentence of the event, as `show` says them, from the kept places alone
    /// (a page of an export costs a lookup per event): each pair of heads (a summit's
    /// shortened), then each head's visit. The CSV `ordinal` cell joins them with "; ", the
    /// JSON `ordinals` lists them.
    pub fn sentences(&mut self, event: &Event) -> Result<Vec<String>> {
        every_sentence(self, event)
    }

    /// What the history says of each event: "3rd meeting with Steve Witkoff", "2nd visit to
    /// Russia", "in the US delegation". The whole record's scope is left to the list's heading
    /// (`HISTORY_ORDINALS`); a count reaching before the record says so.
    pub fn history_notes(&mut self, event: &Event, person: &Person) -> Result<Vec<String>> {
        let noun = match event.mode {
            crate::domain::Mode::InPerson => "meeting",
            crate::domain::Mode::Phone => "phone call",
            crate::domain::Mode::Video => "video call",
        };
        let prefix = if event.status == crate::domain::Status::Planned {
            "will be the "
        } else {
            ""
        };
        let mut notes: Vec<String> = self
            .person_lines(event, person.id)?
            .into_iter()
            .map(|line| {
                let others: Vec<&str> = line
                    .people
                    .iter()
                    .filter(|(id, _)| *id != person.id)
                    .map(|(_, name)| name.as_str())
                    .collect();
                format!(
                    "{prefix}{} {noun} with {}{}{}",
                    line.ordinal.phrase(),
                    counting::join_names(&others),
                    within_record(&line.scope),
                    line.alternatives
                )
            })
            .collect();
        if let Some(visit) = self.visit(event, person)? {
            let visit = visit.trim_start_matches(&format!("{}'s ", person.name));
            notes.push(
                visit
                    .strip_suffix(prior::IN_THIS_RECORD)
                    .unwrap_or(visit)
                    .to_string(),
            );
        }
        if !event.heads_side(person.id)
            && let Some(me) = event.participants.iter().find(|p| p.person_id == person.id)
        {
            notes.push(format!("in the {} delegation", me.side));
        }
        Ok(notes)
    }
}

/// Where a sentence's kept places and prior counts come from: the store, read as needed
/// (`Ordinals`), or what was read beforehand for a page (`PageSentences`).
trait Lookup {
    /// The event's kept place in `series`.
    fn place(&mut self, event: &Event, series: &Series) -> Result<Option<KeptPlace>>;
    /// What is known of `series` from before the record.
    fn prior(&mut self, series: &Series) -> Result<Option<Prior>>;
    fn style(&self) -> DateStyle;
}

impl Lookup for Ordinals<'_> {
    /// Read with its page, or on its own.
    fn place(&mut self, event: &Event, series: &Series) -> Result<Option<KeptPlace>> {
        if !self.places.contains_key(&event.id) {
            let found = self.kept_places(&[event.id])?;
            self.places
                .insert(event.id, found.into_values().flatten().collect());
        }
        Ok(place_in(&self.places, event, series))
    }

    fn prior(&mut self, series: &Series) -> Result<Option<Prior>> {
        Ok(self.priors()?.get(series).cloned())
    }

    fn style(&self) -> DateStyle {
        self.style
    }
}

/// The ordinal sentences of one page of events, from its kept places and the record's prior
/// counts read beforehand (`Ordinals::page_sentences`): owning everything it needs, it says
/// them on any thread.
pub struct PageSentences {
    places: crate::store::PageOrdinals,
    priors: Arc<HashMap<Series, Prior>>,
    style: DateStyle,
    /// The key of the series looked up last, kept so that a lookup allocates nothing.
    key: String,
}

impl PageSentences {
    /// As `Ordinals::sentences`, for an event of the page.
    pub fn sentences(&mut self, event: &Event) -> Result<Vec<String>> {
        every_sentence(self, event)
    }
}

impl Lookup for PageSentences {
    /// An event of another page has none: what was not read is not made up.
    fn place(&mut self, event: &Event, series: &Series) -> Result<Option<KeptPlace>> {
        self.key.clear();
        series.write_key(&mut self.key);
        Ok(self
            .places
            .find(event.id, &self.key)
            .map(|ordinal| KeptPlace {
                series: series.clone(),
                ordinal,
                previous: None,
            }))
    }

    fn prior(&mut self, series: &Series) -> Result<Option<Prior>> {
        Ok(self.priors.get(series).cloned())
    }

    fn style(&self) -> DateStyle {
        self.style
    }
}

/// The event's place in `series` among the places read.
fn place_in(
    places: &HashMap<i64, Vec<KeptPlace>>,
    event: &Event,
    series: &Series,
) -> Option<KeptPlace> {
    places
        .get(&event.id)
        .and_then(|places| places.iter().find(|p| &p.series == series))
        .cloned()
}

/// Where a pair of `series` was together before `event` in other roles (whether they `met
/// before` as heads decides the wording), said in the pair's line.
type TogetherNote<L> = fn(&mut L, &Event, &Series, bool) -> Result<Option<String>>;

/// One line for each pair of heads with a kept place, heads in surname order; with `together`,
/// an in-person meeting's line says where the pair was together before.
fn lines_of<L: Lookup>(
    lookup: &mut L,
    event: &Event,
    together: Option<TogetherNote<L>>,
) -> Result<Vec<OrdinalLine>> {
    let mut heads: Vec<(i64, String)> = event
        .heads()
        .iter()
        .map(|p| (p.person_id, p.name.clone()))
        .collect();
    counting::sort_by_surname(&mut heads, |(_, name)| name);
    let style = lookup.style();
    let mut lines = Vec::new();
    for (i, first) in heads.iter().enumerate() {
        for second in &heads[i + 1..] {
            let series = Series::meetings(event.mode, first.0, second.0);
            if let Some(place) = lookup.place(event, &series)? {
                let prior = lookup.prior(&series)?;
                let scoped = prior::scoped(place.ordinal, prior.as_ref(), &Scope::default(), style);
                let note = match together {
                    Some(note) if event.mode == crate::domain::Mode::InPerson => {
                        note(lookup, event, &series, scoped.ordinal.low > 1)?
                    }
                    _ => None,
                };
                lines.push(line_from(
                    event,
                    &[first.clone(), second.clone()],
                    &place,
                    scoped,
                    note,
                    style,
                ));
            }
        }
    }
    Ok(lines)
}

/// "Steve Witkoff's 3rd visit to Russia" for the person numbered `person` and named `name`, a
/// participant of `event`, from the place kept for the visit the event is part of.
fn visit_of<L: Lookup>(
    lookup: &mut L,
    event: &Event,
    person: i64,
    name: &str,
) -> Result<Option<String>> {
    let Some(country) = event.place.country.as_ref() else {
        return Ok(None);
    };
    let series = Series::Visits {
        person,
        country: country.code().to_string(),
    };
    let Some(place) = lookup.place(event, &series)? else {
        return Ok(None);
    };
    let prior = lookup.prior(&series)?;
    let scoped = prior::scoped(
        place.ordinal,
        prior.as_ref(),
        &Scope::default(),
        lookup.style(),
    );
    Ok(Some(format!(
        "{}{}",
        visit_phrase(name, &scoped.phrase(), country),
        scoped.suffix
    )))
}

/// Each pair of heads' sentence (a summit's shortened), then each head's visit.
fn every_sentence<L: Lookup>(lookup: &mut L, event: &Event) -> Result<Vec<String>> {
    let lines = lines_of(lookup, event, None)?;
    let mut visits = Vec::new();
    for head in event.heads() {
        visits.extend(visit_of(lookup, event, head.person_id, &head.name)?);
    }
    Ok(sentences_of(event, lines, visits))
}

/// The heading of a history's ordinals, which says their scope once for every line.
pub const HISTORY_ORDINALS: &str = "ORDINAL IN THIS RECORD";

/// A history line's scope: nothing for the whole record, said once in `HISTORY_ORDINALS`.
fn within_record(scope: &str) -> &str {
    if scope == prior::IN_THIS_RECORD {
        ""
    } else {
        scope
    }
}

/// The sentence for a kept place of `event` in the series of `pair` (in sentence order), read
/// with what is known from before the record, and where the pair was `together` before in
/// other roles.
fn line_from(
    event: &Event,
    pair: &[(i64, String)],
    place: &KeptPlace,
    scoped: prior::Scoped,
    together: Option<String>,
    style: DateStyle,
) -> OrdinalLine {
    let names: Vec<&str> = pair.iter().map(|(_, n)| n.as_str()).collect();
    let criteria = Criteria {
        mode: event.mode,
        rule: Rule::Heads,
    };
    let planned = if event.status == crate::domain::Status::Planned {
        "will be the "
    } else {
        ""
    };
    let (as_heads, beside) = match &together {
        Some(note) => (" as heads of their sides", format!(" · {note}")),
        None => ("", String::new()),
    };
    OrdinalLine {
        people: pair.to_vec(),
        ordinal: scoped.ordinal,
        words: scoped.phrase(),
        alternatives: scoped.alternatives(),
        sentence: format!(
            "{planned}{} {} between {}{as_heads}{}{beside}",
            scoped.phrase(),
            criteria.noun(),
            counting::join_names(&names),
            scoped.suffix
        ),
        scope: scoped.suffix,
        prior: scoped.prior,
        together,
        reported: None,
        previous: scoped.since.or_else(|| {
            place
                .previous
                .as_ref()
                .map(|(date, city)| counting::previous_phrase(date, city, &event.date, style))
        }),
    }
}

/// The headline of `event` from its ordinal lines: the first sentence, or a summit's
/// shortened ordinals joined by "; ".
fn headline_of(event: &Event, lines: Vec<OrdinalLine>) -> String {
    if !is_summit(event) {
        return lines
            .into_iter()
            .next()
            .map(|l| l.sentence)
            .unwrap_or_default();
    }
    let (lines, firsts) = summit(event, lines);
    let mut said: Vec<String> = lines.into_iter().map(|l| l.sentence).collect();
    said.extend(firsts);
    said.join("; ")
}

/// The sentences of `event` from its ordinal `lines` and its heads' `visits`, in the order
/// `show` says them: the pairs (a summit's shortened, with its line for the pairs meeting
/// first), then the visits.
pub fn sentences_of(event: &Event, lines: Vec<OrdinalLine>, visits: Vec<String>) -> Vec<String> {
    let (lines, firsts) = summit(event, lines);
    let mut said: Vec<String> = lines.into_iter().map(|l| l.sentence).collect();
    said.extend(firsts);
    said.extend(visits);
    said
}

/// Whether the event is a summit: more than two sides with a head, or more than four heads,
/// where a sentence for every pair would bury the few that say something.
pub fn is_summit(event: &Event) -> bool {
    let heads = event.heads();
    let mut sides: Vec<&crate::domain::Country> = heads.iter().map(|h| &h.side).collect();
    sides.sort();
    sides.dedup();
    sides.len() > 2 || heads.len() > 4
}

/// A summit's ordinals shortened: the lines of pairs that met before (an ordinal past the
/// first, or one resting on a prior count), then, for the rest, one line: "first face-to-face
/// meetings in this record: 11 pairs". Any other event's lines, and a summit's with fewer than
/// two such firsts, are returned as they are.
pub fn summit(event: &Event, lines: Vec<OrdinalLine>) -> (Vec<OrdinalLine>, Option<String>) {
    if !is_summit(event) {
        return (lines, None);
    }
    let first = |l: &OrdinalLine| !l.prior && l.ordinal.low == 1 && l.ordinal.high == 1;
    if lines.iter().filter(|l| first(l)).count() < 2 {
        return (lines, None);
    }
    let (firsts, before): (Vec<OrdinalLine>, Vec<OrdinalLine>) = lines.into_iter().partition(first);
    let noun = Criteria {
        mode: event.mode,
        rule: Rule::Heads,
    }
    .noun();
    let planned = if event.status == crate::domain::Status::Planned {
        "will be the "
    } else {
        ""
    };
    let rest = format!(
        "{planned}first {noun}s in this record: {} pairs",
        firsts.len()
    );
    (before, Some(rest))
}

/// The claims of one aspect of an event: "Duration (disputed): about 3 h (Sputnik citing Yuri
/// Ushakov) · more than 2 h (UNN)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimGroup {
    pub aspect: crate::domain::claim::Aspect,
    pub disputed: bool,
    /// "about 3 h (Sputnik citing Yuri Ushakov)", each claim with whom it rests on.
    pub entries: Vec<String>,
}

impl ClaimGroup {
    pub fn line(&self) -> String {
        format!(
            "{}{}: {}",
            self.aspect.label(),
            if self.disputed { " (disputed)" } else { "" },
            self.entries.join(" · ")
        )
    }
}

/// The event's claims grouped by aspect, in the order aspects first appear; counts are left to
/// `check_counts`, which sets them against the record.
pub fn claim_groups(event: &Event) -> Vec<ClaimGroup> {
    use crate::domain::claim::{Aspect, disputed};
    let disputes = disputed(&event.claims);
    let mut groups: Vec<ClaimGroup> = Vec::new();
    for claim in event.claims.iter().filter(|c| c.aspect != Aspect::Count) {
        let mut entry = claim.value.clone();
        let by = claim_sources(event, &claim.sources);
        if !by.is_empty() {
            entry.push_str(&format!(" ({by})"));
        }
        if !claim.note.is_empty() {
            entry.push_str(&format!(" [{}]", claim.note.replace('\n', " ")));
        }
        match groups.iter_mut().find(|g| g.aspect == claim.aspect) {
            Some(group) => group.entries.push(entry),
            None => groups.push(ClaimGroup {
                aspect: claim.aspect,
                disputed: disputes.contains(&claim.aspect),
                entries: vec![entry],
            }),
        }
    }
    groups
}

/// "Sputnik citing Yuri Ushakov, UNN": the sources a claim names.
fn claim_sources(event: &Event, positions: &[usize]) -> String {
    let names: Vec<String> = positions
        .iter()
        .filter_map(|&i| event.sources.get(i))
        .map(crate::domain::Source::attribution)
        .collect();
    names.join(", ")
}

/// A published count set against the record's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountCheck {
    /// Who published it: the claim's sources, or "a source".
    pub by: String,
    /// What they published: "6th face-to-face meeting between Vladimir Putin and Steve
    /// Witkoff", "Kirill Dmitriev's 2nd visit to the United States since 24 Feb
    /// 2022".
    pub published: String,
    /// What they counted over, as a sentence says it: " since 24 Feb 2022", " in 2025", or
    /// nothing for the whole record.
    pub scope: String,
    pub number: usize,
    /// The record's ordinal for the same thing over the same scope, where the record counts
    /// this event among them.
    pub record: Option<Ordinal>,
    /// Why the record has no figure, where it has none.
    pub missing: Option<String>,
    /// Agrees with the record's count, continued from the prior count it follows.
    pub agrees: bool,
    /// Whose count before the record it agrees with instead, where the prior count is disputed
    /// ("news.mail.ru's count"): not wrong, but not the record's.
    pub disputed: Option<String>,
}

impl CountCheck {
    /// "TASS called this the 6th ✓", "The Moscow Times counts the 2nd since 24 Feb 2022; this
    /// record counts the 3rd ≠", "news.mail.ru called this the 7th, by news.mail.ru's count
    /// before this record; this record counts the 6th, a disputed count ≈".
    pub fn line(&self) -> String {
        let (number, scope) = (ordinal_word(self.number), &self.scope);
        let missing = self
            .missing
            .as_deref()
            .unwrap_or("this record has no figure");
        match (&self.record, self.agrees) {
            (Some(record), false) if let Some(whose) = &self.disputed => format!(
                "{} called this the {number}{scope}, by {whose} before this record; this \
                 record counts the {}, a disputed count ≈",
                self.by,
                record.phrase()
            ),
            (Some(_), true) => format!("{} called this the {number}{scope} ✓", self.by),
            (Some(record), false) => format!(
                "{} counts the {number}{scope}; this record counts the {} ≠",
                self.by,
                record.phrase()
            ),
            (None, _) => format!("{} counts the {number}{scope}; {missing} ≠", self.by),
        }
    }
}

/// Every published count among `event`'s claims, each set against the record's own count of
/// the same thing over the same scope: within the record and continued from any prior count,
/// or only the members within the publisher's period and role.
pub fn check_counts(store: &Store, event: &Event, style: DateStyle) -> Result<Vec<CountCheck>> {
    use crate::domain::claim::{Counted, Destination};
    let mut checks = Vec::new();
    for claim in &event.claims {
        let Some(count) = &claim.count else {
            continue;
        };
        let by = match claim_sources(event, &claim.sources) {
            names if names.is_empty() => "A source".to_string(),
            names => names,
        };
        let mut people = Vec::new();
        let mut names = Vec::new();
        let mut missing = None;
        for name in &count.people {
            match store.resolve_person(name) {
                Ok(person) => {
                    names.push(person.name.clone());
                    people.push(person);
                }
                Err(_) => {
                    missing = Some(format!("this record has nobody named {name}"));
                    names.push(name.clone());
                }
            }
        }
        let scope = count.scope.phrase(style);
        let one = names.first().cloned().unwrap_or_default();
        let nth = ordinal_word(count.number);
        let to = |destination: &Destination| match destination {
            Destination::Country(country) => country.in_sentence().to_string(),
            Destination::Region(name) => name.clone(),
        };
        let published = match &count.counted {
            Counted::Meetings(mode) => {
                let mut sorted = names.clone();
                counting::sort_by_surname(&mut sorted, |n| n);
                let noun = Criteria {
                    mode: *mode,
                    rule: Rule::Heads,
                }
                .noun();
                format!("{nth} {noun} between {}{scope}", sorted.join(" and "))
            }
            Counted::Visits(place) => format!("{one}'s {nth} visit to {}{scope}", to(place)),
            Counted::Trips(place) => format!("{one}'s {nth} trip to {}{scope}", to(place)),
        };
        let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
        let series = match (&count.counted, ids.as_slice()) {
            (Counted::Meetings(mode), [a, b]) => Some(Series::meetings(*mode, *a, *b)),
            (Counted::Visits(Destination::Country(country)), [person]) => Some(Series::Visits {
                person: *person,
                country: country.code().to_string(),
            }),
            _ => None,
        };
        let mut record = None;
        let mut disputing = Vec::new();
        if let Some(series) = &series {
            match record_count(store, event, series, &count.scope, &people, style)? {
                Ok((ordinal, disputes)) => {
                    record = Some(ordinal);
                    disputing = disputes;
                }
                Err(why) => {
                    missing.get_or_insert(why);
                }
            }
        } else if let ([person], Counted::Visits(place) | Counted::Trips(place)) =
            (people.as_slice(), &count.counted)
        {
            let trips = matches!(count.counted, Counted::Trips(_));
            match travel_count(store, event, person, place, trips, &count.scope, style)? {
                Ok(ordinal) => record = Some(ordinal),
                Err(why) => {
                    missing.get_or_insert(why);
                }
            }
        }
        let counts = |r: &Ordinal| (r.low..=r.high).contains(&count.number);
        let agrees = record.as_ref().is_some_and(counts);
        let disputed = disputing
            .into_iter()
            .find(|(ordinal, _)| !agrees && counts(ordinal))
            .map(|(_, whose)| whose);
        checks.push(CountCheck {
            by,
            published,
            scope,
            number: count.number,
            record,
            missing: match record {
                Some(_) => None,
                None => missing,
            },
            agrees,
            disputed,
        });
    }
    Ok(checks)
}

/// The record's ordinal of `event` among `person`'s visits to `place` (or their trips there,
/// or all their trips abroad), over `scope`, or why it has none: trips are grouped as the kept
/// ordinals group them, and a visit counts once however many of the trip's events were there.
fn travel_count(
    store: &Store,
    event: &Event,
    person: &Person,
    place: &crate::domain::claim::Destination,
    trips: bool,
    scope: &crate::domain::scope::Scope,
    style: DateStyle,
) -> Result<std::result::Result<Ordinal, String>> {
    use crate::domain::claim::Destination;
    let region = match place {
        Destination::Country(_) => None,
        Destination::Region(name) => match store.regions().find(name) {
            Ok(region) => Some(region),
            Err(why) => return Ok(Err(why)),
        },
    };
    let within = |country: &crate::domain::Country| match (place, region) {
        (_, Some(region)) => region.contains(country),
        (Destination::Country(wanted), None) => wanted == country,
        (Destination::Region(_), None) => false,
    };
    let counted = if trips {
        store.trips_of(person.id, Some(&within), scope)?
    } else {
        store.visits_of(person.id, within, scope)?
    };
    let noun = if trips { "trips" } else { "visits" };
    Ok(counted
        .iter()
        .find(|c| c.stops.iter().any(|s| s.event_id == event.id))
        .map(|c| c.place.ordinal)
        .ok_or_else(|| {
            if scope.is_whole_record() {
                format!("this event is not one of these {noun} in this record")
            } else {
                format!(
                    "this event is not one of these {noun} ({})",
                    scope.phrase(style).trim()
                )
            }
        }))
}

/// The record's ordinal, with the ordinals by the disputing prior counts (each with whose count
/// it is), or why the record has none.
type RecordCount = std::result::Result<(Ordinal, Vec<(Ordinal, String)>), String>;

/// The record's ordinal of `event` in `series` over `scope`, or why it has none. The whole
/// record is read from the kept place and continued from any prior count; a period or a role
/// ranks only the members within it, up to this event, so that the record counts what the
/// publisher counted. Prior counts hold no dates or titles, so they continue only a count with
/// no start and no role.
fn record_count(
    store: &Store,
    event: &Event,
    series: &Series,
    scope: &crate::domain::scope::Scope,
    people: &[Person],
    style: DateStyle,
) -> Result<RecordCount> {
    use crate::domain::series::{SeriesMember, rank};
    let place = store
        .kept_places(&[event.id])?
        .remove(&event.id)
        .unwrap_or_default()
        .into_iter()
        .find(|p| &p.series == series);
    let Some(place) = place else {
        return Ok(Err(
            "this record does not count this event among them".to_string()
        ));
    };
    let continued = scope.since.is_none() && scope.role.is_none();
    if scope.is_whole_record() {
        let prior = store.priors()?.remove(series);
        let scoped = prior::scoped(place.ordinal, prior.as_ref(), scope, style);
        return Ok(Ok((scoped.ordinal, scoped.disputed)));
    }
    // The title may be held by either of a pair: the publisher speaks of one of them.
    let in_role = |day: chrono::NaiveDate| {
        people
            .iter()
            .any(|p| scope.holds_role(&crate::domain::FuzzyDate::from_day(day), &p.titles))
    };
    if !scope.covers(&event.date) {
        return Ok(Err(format!(
            "this event is not within what was counted ({})",
            scope.phrase(style).trim()
        )));
    }
    if !in_role(event.date.first()) {
        return Ok(Err(format!(
            "nobody counted was {} on this day, by the titles on record",
            scope.role.as_deref().unwrap_or_default().trim()
        )));
    }
    let within: Vec<SeriesMember> = store
        .series_members(series, scope.since, event.date.last())?
        .into_iter()
        .filter(|m| {
            m.event_id == event.id
                || (scope.until.is_none_or(|until| m.last <= until) && in_role(m.first))
        })
        .collect();
    let Some(at) = within.iter().position(|m| m.event_id == event.id) else {
        return Ok(Err(
            "this record does not count this event among them".to_string()
        ));
    };
    let ordinal = rank(&within)[at].ordinal;
    Ok(Ok(if continued {
        let prior = store.priors()?.remove(series);
        let scoped = prior::scoped(ordinal, prior.as_ref(), scope, style);
        (scoped.ordinal, scoped.disputed)
    } else {
        (ordinal, Vec::new())
    }))
}

/// The people a series names, a pair in sentence order (which does not depend on the record's
/// numbering).
pub fn series_names(store: &Store, series: &Series) -> Result<Vec<String>> {
    Ok(match series {
        Series::Meetings { first, second, .. } => {
            let mut names = vec![store.person(*first)?.name, store.person(*second)?.name];
            counting::sort_by_surname(&mut names, |n| n);
            names
        }
        Series::Visits { person, .. } => vec![store.person(*person)?.name],
    })
}

/// What is known of `person` from before the record, for their history: "6 meetings with
/// Donald Trump, the last on 28 Jun 2019, Osaka", "none with Marco Rubio (a true first)",
/// "3 visits to Saudi Arabia", "5 meetings with Donald Trump, or 6 by news.mail.ru's count".
pub fn priors_of(store: &Store, person: i64, style: DateStyle) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for prior in store.priors()?.into_values() {
        let what = match &prior.series {
            Series::Meetings {
                mode,
                first,
                second,
            } if *first == person || *second == person => {
                let other = if *first == person { *second } else { *first };
                let noun = match mode {
                    crate::domain::Mode::InPerson => "meetings",
                    crate::domain::Mode::Phone => "phone calls",
                    crate::domain::Mode::Video => "video calls",
                };
                format!("{noun} with {}", store.person(other)?.name)
            }
            Series::Visits {
                person: who,
                country,
            } if *who == person => {
                let country = crate::domain::Country::parse(country).ok();
                let name = country
                    .as_ref()
                    .map(crate::domain::Country::in_sentence)
                    .unwrap_or_default();
                format!("visits to {name}")
            }
            _ => continue,
        };
        let first = prior.count();
        let mut text = if first.count == 0 {
            format!("no {what} (a true first)")
        } else {
            format!("{} {what}", first.count)
        };
        for other in prior.disputed() {
            text.push_str(&format!(", or {} by {}", other.count, other.whose()));
        }
        text.push_str(&first.last_phrase(style));
        found.push(text);
    }
    found.sort();
    Ok(found)
}

/// "counting the reported meeting of 11 Feb 2025", "counting the reported calls of 7 Feb 2025
/// and 12 Feb 2025"; nothing when none is only reported.
pub fn reported_phrase(
    mode: crate::domain::Mode,
    dates: &[crate::domain::FuzzyDate],
    style: DateStyle,
) -> Option<String> {
    let noun = match mode {
        crate::domain::Mode::InPerson => "meeting",
        crate::domain::Mode::Phone | crate::domain::Mode::Video => "call",
    };
    let days: Vec<String> = dates.iter().map(|d| d.display(style)).collect();
    match days.as_slice() {
        [] => None,
        [one] => Some(format!("counting the reported {noun} of {one}")),
        many => Some(format!(
            "counting the reported {noun}s of {}",
            counting::join_names(&many.iter().map(String::as_str).collect::<Vec<_>>())
        )),
    }
}

fn visit_phrase(name: &str, ordinal: &str, country: &crate::domain::Country) -> String {
    format!("{name}'s {ordinal} visit to {}", country.in_sentence())
}

/// The trip each head of `event` was on when it took place, one line each: "Antony Blinken's
/// trip of 12–16 Oct 2023: Israel, Jordan, Qatar, Bahrain, Saudi Arabia, … (8 events)". A
/// head at home is on no trip; a trip of this event alone says nothing its visit line does not,
/// and is left out. A head heading a side other than their home is said too, since
/// their visits are counted from that home: "Chiang Kai-shek heads the TW side; home: CN".
pub fn trip_lines(store: &Store, event: &Event, style: DateStyle) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for head in event.heads() {
        if let Some(trip) = store.trip_of(event.id, head.person_id)?
            && trip.events.len() > 1
        {
            lines.push(format!("{}'s {}", head.name, trip_phrase(&trip, style)));
        }
        if let Some(home) = store.home(head.person_id)?
            && home != head.side
        {
            lines.push(format!(
                "{} heads the {} side; home: {}",
                head.name,
                head.side.code(),
                home.code()
            ));
        }
    }
    Ok(lines)
}

/// The most countries a trip line names before it stops at "…".
const TRIP_COUNTRIES: usize = 5;

/// "trip of 12–16 Oct 2023: Israel, Jordan (3 events)".
pub fn trip_phrase(trip: &crate::store::TripSummary, style: DateStyle) -> String {
    let mut countries: Vec<String> = trip
        .countries
        .iter()
        .take(TRIP_COUNTRIES)
        .map(|c| c.name().to_string())
        .collect();
    if trip.countries.len() > TRIP_COUNTRIES {
        countries.push("…".into());
    }
    let events = match trip.events.len() {
        1 => "1 event".to_string(),
        n => format!("{n} events"),
    };
    // A trip of stopovers only visited nowhere.
    let countries = if countries.is_empty() {
        "stopovers only".to_string()
    } else {
        countries.join(", ")
    };
    format!(
        "trip of {}: {countries} ({events})",
        days_phrase(trip.first, trip.last, style)
    )
}

/// "12 Oct 2023", "12–16 Oct 2023", "28 Sep – 2 Oct 2023", "30 Dec 2023 – 2 Jan 2024"; in ISO,
/// "2023-10-12 – 2023-10-16".
fn days_phrase(first: chrono::NaiveDate, last: chrono::NaiveDate, style: DateStyle) -> String {
    use chrono::Datelike;
    if style == DateStyle::Iso {
        return if first >= last {
            first.to_string()
        } else {
            format!("{first} – {last}")
        };
    }
    let whole = |d: chrono::NaiveDate| d.format("%-d %b %Y").to_string();
    if first >= last {
        return whole(first);
    }
    if first.year() != last.year() {
        return format!("{} – {}", whole(first), whole(last));
    }
    if first.month() != last.month() {
        return format!("{} – {}", first.format("%-d %b"), whole(last));
    }
    format!("{}–{}", first.day(), whole(last))
}

/// "Putin–Witkoff": the heads of the sides by their labels (short names, told apart where two
/// people share one), in sentence order; co-heads of a side share it: "Beseda/Karasin–Anton/Peek".
pub fn heads_label(event: &Event, labels: &Labels) -> String {
    let heads: Vec<(&crate::domain::Country, &str, &str)> = event
        .heads()
        .into_iter()
        .map(|h| (&h.side, labels.get(h.person_id, &h.name), h.name.as_str()))
        .collect();
    let by_label = |a: &(&crate::domain::Country, &str, &str),
                    b: &(&crate::domain::Country, &str, &str)| {
        a.1.to_lowercase()
            .cmp(&b.1.to_lowercase())
            .then_with(|| a.2.cmp(b.2))
    };
    let mut sides: Vec<Vec<(&crate::domain::Country, &str, &str)>> = Vec::new();
    for head in &heads {
        if !sides.iter().any(|side| side[0].0 == head.0) {
            let mut side: Vec<_> = heads.iter().filter(|h| h.0 == head.0).copied().collect();
            side.sort_by(by_label);
            sides.push(side);
        }
    }
    sides.sort_by(|a, b| by_label(&a[0], &b[0]));
    let labels: Vec<String> = sides
        .iter()
        .map(|side| side.iter().map(|h| h.1).collect::<Vec<_>>().join("/"))
        .collect();
    labels.join("–")
}

/// "Kirill Dmitriev met Steve Witkoff in Washington", "Vladimir Putin and Donald Trump spoke by
/// phone"; the title where fewer than two sides have a head.
pub fn what_happened(event: &Event) -> String {
    let heads: Vec<&str> = event.heads().iter().map(|p| p.name.as_str()).collect();
    let place = match event.place.city.as_str() {
        "" => String::new(),
        city => format!(" in {city}"),
    };
    match (event.mode, heads.as_slice()) {
        (_, [] | [_]) => event.title.clone(),
        (crate::domain::Mode::Phone, _) => {
            format!("{} spoke by phone", counting::join_names(&heads))
        }
        (crate::domain::Mode::Video, _) => {
            format!("{} spoke by video", counting::join_names(&heads))
        }
        (_, [first, second]) => format!("{first} met {second}{place}"),
        (_, many) => format!("{} met{place}", counting::join_names(many)),
    }
}

/// "a week after", "3 days before", "the same day as".
pub fn gap_phrase(days: i64) -> String {
    let direction = if days >= 0 { "after" } else { "before" };
    match days.unsigned_abs() {
        0 => "the same day as".to_string(),
        1 => format!("the day {direction}"),
        n @ 2..=5 => format!("{n} days {direction}"),
        n => match (n + 3) / 7 {
            1 => format!("a week {direction}"),
            weeks => format!("{weeks} weeks {direction}"),
        },
    }
}

/// Up to `limit` events of the same heads within `days` either side of `event`, nearest first,
/// each with the phrase that relates it: "a week after Kirill Dmitriev met Steve Witkoff in
/// Washington". The candidates are chosen by their dates alone, and only the chosen are read
/// with their participants, so that a busy head's crowded weeks cost a row each.
pub fn related(
    store: &Store,
    event: &Event,
    days: u64,
    limit: usize,
) -> Result<Vec<(Event, String)>> {
    let window = chrono::Days::new(days);
    let from = event.date.first() - window;
    let to = event.date.last() + window;
    let mut found: Vec<Event> = Vec::new();
    for head in event.heads() {
        let filter = crate::store::EventFilter {
            people: vec![head.person_id],
            from: Some(crate::domain::FuzzyDate::day(from)),
            to: Some(crate::domain::FuzzyDate::day(to)),
            ..crate::store::EventFilter::default()
        };
        for other in store.bare_events_page(&filter, crate::store::Order::OldestFirst, 0, 50)? {
            if other.id != event.id && !found.iter().any(|f| f.id == other.id) {
                found.push(other);
            }
        }
    }
    let gap = |other: &Event| (event.date.first() - other.date.first()).num_days();
    found.sort_by_key(|other| (gap(other).abs(), other.id));
    let (events, relations): (Vec<Event>, Vec<String>) = found
        .into_iter()
        .filter_map(|other| relation(event, &other).map(|relation| (other, relation)))
        .take(limit)
        .unzip();
    Ok(store
        .with_people(events)?
        .into_iter()
        .zip(relations)
        .map(|(other, relation)| {
            let phrase = format!("{relation} {}", what_happened(&other));
            (other, phrase)
        })
        .collect())
}

/// How `event` stands to `other` in time, as precisely as both dates allow: "a week after"
/// between days, "in the same month as" where one is known only to the month, and nothing
/// where that cannot be said.
fn relation(event: &Event, other: &Event) -> Option<String> {
    use crate::domain::Precision;
    let (a, b) = (&event.date, &other.date);
    if a.precision() == Precision::Day
        && b.precision() == Precision::Day
        && !a.circa()
        && !b.circa()
    {
        return Some(gap_phrase((a.first() - b.first()).num_days()));
    }
    let month = |d: &crate::domain::FuzzyDate| d.first().format("%Y-%m").to_string();
    let known_to_month = |d: &crate::domain::FuzzyDate| d.precision() != Precision::Year;
    (known_to_month(a) && known_to_month(b) && month(a) == month(b))
        .then(|| "in the same month as".to_string())
}

/// A citation of the event to paste into a text: "Steve Witkoff meets Vladimir Putin, St
/// Petersburg, 11 Apr 2025. Reuters citing RIA <https://…>".
pub fn citation(event: &Event, style: DateStyle) -> String {
    let mut text = event.title.clone();
    let city = &event.place.city;
    if !city.is_empty() && !event.title.contains(city.as_str()) {
        text.push_str(&format!(", {city}"));
    }
    text.push_str(&format!(", {}.", event.date.display(style)));
    let sources: Vec<String> = event
        .sources
        .iter()
        .map(|s| match s.url.as_str() {
            "" => s.attribution(),
            url => format!("{} <{url}>", s.attribution()),
        })
        .collect();
    if !sources.is_empty() {
        text.push(' ');
        text.push_str(&sources.join("; "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(text: &str) -> Event {
        Event {
            id: 1,
            uuid: uuid::Uuid::nil(),
            version: 1,
            date: crate::domain::FuzzyDate::parse_iso(text).unwrap(),
            end_date: None,
            title: "t".into(),
            kind: crate::domain::Kind::Meeting,
            mode: crate::domain::Mode::InPerson,
            status: crate::domain::Status::Confirmed,
            place: crate::domain::EventPlace::default(),
            notes: String::new(),
            participants: Vec::new(),
            sources: Vec::new(),
            claims: Vec::new(),
            unnamed_sides: Vec::new(),
        }
    }

    #[test]
    fn relations_respect_the_precision_of_dates() {
        let day = dated("2025-04-11");
        assert_eq!(
            relation(&day, &dated("2025-04-10")).as_deref(),
            Some("the day after")
        );
        assert_eq!(
            relation(&day, &dated("2025-04")).as_deref(),
            Some("in the same month as")
        );
        assert_eq!(
            relation(&dated("2025-04"), &day).as_deref(),
            Some("in the same month as")
        );
        assert_eq!(relation(&day, &dated("2025-03")), None);
        assert_eq!(relation(&day, &dated("2025")), None);
        assert_eq!(
            relation(&day, &dated("c. 2025-04-10")).as_deref(),
            Some("in the same month as")
        );
    }

    #[test]
    fn trip_days_read_as_people_say_them() {
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let cases = [
            ("2023-10-12", "2023-10-12", "12 Oct 2023"),
            ("2023-10-12", "2023-10-16", "12–16 Oct 2023"),
            ("2023-09-28", "2023-10-02", "28 Sep – 2 Oct 2023"),
            ("2023-12-30", "2024-01-02", "30 Dec 2023 – 2 Jan 2024"),
        ];
        for (first, last, said) in cases {
            assert_eq!(days_phrase(day(first), day(last), DateStyle::Human), said);
        }
        assert_eq!(
            days_phrase(day("2023-09-28"), day("2023-10-02"), DateStyle::Iso),
            "2023-09-28 – 2023-10-02"
        );
        assert_eq!(
            days_phrase(day("2023-10-12"), day("2023-10-12"), DateStyle::Iso),
            "2023-10-12"
        );
    }

    #[test]
    fn a_history_says_every_count_from_before_the_record() {
        use crate::domain::Source;
        use crate::domain::prior::PriorCount;
        let mut store = Store::open_in_memory().unwrap();
        crate::interchange::seed(&mut store).unwrap();
        let putin = store.resolve_person("Putin").unwrap().id;
        let trump = store.resolve_person("Trump").unwrap().id;
        let series = Series::meetings(crate::domain::Mode::InPerson, putin, trump);
        let count = |n: usize, outlet: &str| PriorCount {
            count: n,
            last: None,
            place: String::new(),
            sources: vec![Source {
                outlet: outlet.into(),
                ..Source::default()
            }],
        };
        // The seed holds 5 (TIME, Sputnik) disputed by 6 (The Times of India, Charter97): another
        // source joins the 6, and The Times of India, counting otherwise, leaves it for the 7.
        store
            .add_prior_count(&series, count(6, "news.mail.ru"))
            .unwrap();
        store
            .add_prior_count(&series, count(7, "The Times of India"))
            .unwrap();
        assert_eq!(
            priors_of(&store, trump, DateStyle::Human).unwrap(),
            [
                "5 meetings with Vladimir Putin, or 6 by the count of Charter97 and news.mail.ru, \
                 or 7 by The Times of India's count, the last in 2019, the G20 summit in Japan"
            ]
        );
    }

    #[test]
    fn gaps_read_as_people_say_them() {
        let cases = [
            (0, "the same day as"),
            (1, "the day after"),
            (-1, "the day before"),
            (3, "3 days after"),
            (9, "a week after"),
            (-7, "a week before"),
            (12, "2 weeks after"),
            (21, "3 weeks after"),
        ];
        for (days, phrase) in cases {
            assert_eq!(gap_phrase(days), phrase, "{days}");
        }
    }

    #[test]
    fn related_events_are_the_nearest_few_read_with_their_heads() {
        let mut store = Store::open_in_memory().unwrap();
        crate::interchange::seed(&mut store).unwrap();
        let kremlin = store.event(25).unwrap();
        let all = related(&store, &kremlin, 3650, usize::MAX).unwrap();
        assert!(all.len() > 2, "{all:?}");
        let gaps: Vec<i64> = all
            .iter()
            .map(|(other, _)| (kremlin.date.first() - other.date.first()).num_days().abs())
            .collect();
        assert!(gaps.windows(2).all(|w| w[0] <= w[1]), "{gaps:?}");
        for (other, phrase) in &all {
            let heads = other.heads();
            assert!(!heads.is_empty(), "{other:?}");
            if heads.len() > 1 {
                assert!(phrase.contains(&heads[0].name), "{phrase}");
            }
        }
        for limit in 0..=all.len() {
            let few = related(&store, &kremlin, 3650, limit).unwrap();
            assert_eq!(few, all[..limit], "limit {limit}");
        }
    }
}
