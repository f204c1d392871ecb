//! The chart view: events over time, one bar per period with the empty periods kept, for the
//! events the timeline's filter keeps. The unit follows the span on screen; `+` and `-` change
//! it, `h` and `l` move the cursor over the periods, Enter filters the timeline to the period
//! under the cursor and Esc there comes back.
//!
//! What is read stays bounded by the screen: the events per month (the kept tallies when
//! nothing is filtered out) once per filter, then for the bars on screen either those months
//! or, for days and weeks and for windows of few enough events, the events of the window
//! through the date index.

use std::ops::AddAssign;

use chrono::{Days, Months, NaiveDate};

use super::{Action, Effect, Request};
use crate::domain::Kind;
use crate::domain::period::{self, Unit};
use crate::store::{EventFilter, Store};

/// The kinds a bar is split into, stacked from the bottom in this order; every other kind
/// counts in a last part, "other".
pub const KINDS: [Kind; 5] = [
    Kind::Meeting,
    Kind::Talks,
    Kind::Call,
    Kind::Summit,
    Kind::Visit,
];

/// Beyond this many events on screen, bars of whole months come from the months already read,
/// whole and not split by kind, rather than from reading every event on screen for its kind.
pub const SPLIT_MOST: usize = 10_000;

/// Events of a period by kind: `KINDS` in order, then the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally(pub [usize; KINDS.len() + 1]);

impl Tally {
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }

    fn of(kind: &str, events: usize) -> Tally {
        let mut tally = Tally::default();
        let part = KINDS
            .iter()
            .position(|k| k.as_str() == kind)
            .unwrap_or(KINDS.len());
        tally.0[part] = events;
        tally
    }

    /// "5 meetings, 3 calls": the parts that hold events, or "no events".
    pub fn parts(&self) -> String {
        let named: Vec<String> = self
            .0
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| format!("{n} {}", part_name(i, *n)))
            .collect();
        if named.is_empty() {
            "no events".into()
        } else {
            named.join(", ")
        }
    }
}

/// The name of a part of a tally for a count of it: "meetings", "talks", "other".
pub fn part_name(part: usize, count: usize) -> &'static str {
    let plural = count != 1;
    match (KINDS.get(part), plural) {
        (Some(Kind::Meeting), true) => "meetings",
        (Some(Kind::Call), true) => "calls",
        (Some(Kind::Summit), true) => "summits",
        (Some(Kind::Visit), true) => "visits",
        (Some(kind), _) => kind.as_str(),
        (None, _) => "other",
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += theirs;
        }
    }
}

/// One bar: the period it stands for and its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    pub start: NaiveDate,
    pub tally: Tally,
}

/// What a brush changed, so that Esc in the timeline can undo it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Brush {
    /// The filter before the brush.
    pub before: String,
    /// The filter the brush set: Esc undoes the brush only while it is still the filter.
    pub applied: String,
    /// The chart as it was: its unit, and the periods under the cursor and first on screen.
    unit: Unit,
    cursor: NaiveDate,
    scroll: NaiveDate,
}

#[derive(Debug, Default)]
pub struct Chart {
    /// Events per month under the filter, each month by its first day, oldest first.
    pub months: Vec<(NaiveDate, usize)>,
    pub unit: Unit,
    /// Periods from the one holding the first event to the one holding the last.
    pub periods: usize,
    /// The period under the cursor, counted from the first.
    pub cursor: usize,
    /// The first period on screen.
    pub scroll: usize,
    /// The bars on screen, from `scroll`.
    pub bars: Vec<Bar>,
    /// The bars are split by kind (else they are whole, from the months).
    pub split: bool,
    /// The timeline's filter as typed, when the chart was counted under one.
    pub filter_text: String,
    /// Bars that fit on screen, as the terminal loop last measured.
    pub(super) fit: usize,
    pub(super) loaded: bool,
    /// The bars on screen are to be read again.
    pub(super) stale: bool,
    pub(super) brush: Option<Brush>,
    /// The user chose the unit; until then it follows the span and the width on screen.
    zoomed: bool,
    /// The chart as it was before a brush, to be put back once the filter is.
    restore: Option<Brush>,
}

impl Chart {
    /// The first day of the first period.
    fn origin(&self) -> Option<NaiveDate> {
        self.months.first().map(|(m, _)| self.unit.start(*m))
    }

    /// The last day with events, as far as the months tell: the end of the last month.
    fn end(&self) -> Option<NaiveDate> {
        self.months.last().map(|(m, _)| Unit::Month.last(*m))
    }

    /// The first day of the `n`th period from the first.
    pub fn start_of(&self, n: usize) -> Option<NaiveDate> {
        let origin = self.origin()?;
        let n32 = u32::try_from(n).ok()?;
        match self.unit {
            Unit::Day => origin.checked_add_days(Days::new(n as u64)),
            Unit::Week => origin.checked_add_days(Days::new(n as u64 * 7)),
            Unit::Month => origin.checked_add_months(Months::new(n32)),
            Unit::Quarter => origin.checked_add_months(Months::new(n32.checked_mul(3)?)),
            Unit::Year => origin.checked_add_months(Months::new(n32.checked_mul(12)?)),
            Unit::Decade => origin.checked_add_months(Months::new(n32.checked_mul(120)?)),
        }
    }

    /// The period holding `day`, counted from the first; the nearest period when outside.
    fn index_of(&self, day: NaiveDate) -> usize {
        match self.origin() {
            Some(origin) => self
                .unit
                .periods(origin, day)
                .saturating_sub(1)
                .min(self.periods.saturating_sub(1)),
            None => 0,
        }
    }

    /// The period under the cursor: its first day, if there is one.
    pub fn cursor_start(&self) -> Option<NaiveDate> {
        self.start_of(self.cursor)
    }

    /// The bar under the cursor, once read.
    pub fn cursor_bar(&self) -> Option<&Bar> {
        self.bars.get(self.cursor.checked_sub(self.scroll)?)
    }

    /// The first and last day of the bars on screen.
    pub fn window(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.start_of(self.scroll)?;
        let last_bar = (self.scroll + self.fit.max(1)).min(self.periods.max(1)) - 1;
        Some((first, self.unit.last(self.start_of(last_bar)?)))
    }

    /// Reads the months under the filter and fits the whole span on screen, newest period
    /// under the cursor; after a brush is undone, puts the chart back as it was.
    pub(super) fn load(
        &mut self,
        store: &Store,
        filter: &EventFilter,
        filter_text: &str,
        fit: usize,
    ) -> crate::store::Result<()> {
        self.months = store
            .events_per_month(filter)?
            .into_iter()
            .filter_map(|(month, n)| {
                NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                    .ok()
                    .map(|m| (m, n))
            })
            .collect();
        self.months.sort();
        self.filter_text = filter_text.to_string();
        self.fit = fit.max(1);
        self.loaded = true;
        match self.restore.take() {
            Some(before) => {
                self.zoomed = true;
                self.set_unit(before.unit, before.cursor);
                self.scroll = self.index_of(before.scroll);
                self.keep_cursor_visible();
            }
            None => {
                self.zoomed = false;
                self.fit_span(self.end().unwrap_or_default());
            }
        }
        self.stale = true;
        Ok(())
    }

    /// The finest unit that shows the whole span in the bars that fit, the cursor on `day`.
    fn fit_span(&mut self, day: NaiveDate) {
        let unit = match (self.months.first(), self.end()) {
            (Some((first, _)), Some(last)) => Unit::for_span(*first, last, self.fit),
            _ => Unit::Month,
        };
        self.set_unit(unit, day);
        self.scroll = self.periods.saturating_sub(self.fit);
    }

    /// Changes the unit, keeping the cursor on the period holding `day`.
    fn set_unit(&mut self, unit: Unit, day: NaiveDate) {
        self.unit = unit;
        self.periods = match (self.origin(), self.end()) {
            (Some(origin), Some(end)) => unit.periods(origin, end),
            _ => 0,
        };
        self.cursor = self.index_of(day);
        self.stale = true;
    }

    /// Bars that fit on screen now; the window follows.
    pub(super) fn set_fit(&mut self, fit: usize) {
        let fit = fit.max(1);
        if fit != self.fit {
            self.fit = fit;
            if !self.zoomed {
                // The newest period stays under the cursor when it was.
                let day = if self.cursor + 1 >= self.periods {
                    self.end()
                } else {
                    self.cursor_start()
                };
                self.fit_span(day.unwrap_or_default());
            }
            self.keep_cursor_visible();
            self.stale = true;
        }
    }

    fn keep_cursor_visible(&mut self) {
        let before = self.scroll;
        let last_scroll = self.periods.saturating_sub(self.fit);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + self.fit {
            self.scroll = self.cursor + 1 - self.fit;
        }
        self.scroll = self.scroll.min(last_scroll);
        if self.scroll != before {
            self.stale = true;
        }
    }

    /// Reads the bars on screen: from the months when they are whole months and too many events
    /// to split by kind, else the window's events by day and kind.
    pub(super) fn read_bars(
        &mut self,
        store: &Store,
        filter: &EventFilter,
    ) -> crate::store::Result<()> {
        self.stale = false;
        let Some((first, last)) = self.window() else {
            self.bars.clear();
            return Ok(());
        };
        let month_of_first = Unit::Month.start(first);
        let on_screen: usize = self
            .months
            .iter()
            .filter(|(m, _)| (month_of_first..=last).contains(m))
            .map(|(_, n)| n)
            .sum();
        self.split = !self.unit.whole_months() || on_screen <= SPLIT_MOST;
        let counts: Vec<(NaiveDate, Tally)> = if self.split {
            store
                .events_per_day_and_kind(filter, first, last)?
                .into_iter()
                .map(|(day, kind, n)| (day, Tally::of(&kind, n)))
                .collect()
        } else {
            self.months
                .iter()
                .map(|(m, n)| (*m, Tally::of("", *n)))
                .collect()
        };
        self.bars = period::bucket(self.unit, first, last, counts)
            .into_iter()
            .map(|(start, tally)| Bar { start, tally })
            .collect();
        Ok(())
    }

    /// The filter that keeps only the period under the cursor: the chart's own, with its dates
    /// replaced.
    fn brushed_filter(&self) -> Option<String> {
        let start = self.cursor_start()?;
        let last = self.unit.last(start);
        let mut words: Vec<&str> = self
            .filter_text
            .split_whitespace()
            .filter(|w| {
                let w = w.to_lowercase();
                !w.starts_with("from:") && !w.starts_with("to:")
            })
            .collect();
        let dates = format!("from:{start} to:{last}");
        words.push(&dates);
        Some(words.join(" "))
    }

    /// Enter: the timeline is to keep only the period under the cursor.
    fn brush(&mut self) -> Option<Effect> {
        let start = self.cursor_start()?;
        let applied = self.brushed_filter()?;
        self.brush = Some(Brush {
            before: self.filter_text.clone(),
            applied: applied.clone(),
            unit: self.unit,
            cursor: start,
            scroll: self.start_of(self.scroll).unwrap_or(start),
        });
        Some(Effect::Request(Request::Brush(applied)))
    }

    /// Esc in the timeline while the brush's filter is still on: the filter to put back, the
    /// chart to be shown as it was.
    pub(super) fn unbrush(&mut self, current_filter: &str) -> Option<String> {
        let brush = self.brush.take()?;
        if brush.applied != current_filter {
            return None;
        }
        let before = brush.before.clone();
        self.restore = Some(brush);
        Some(before)
    }

    fn zoom(&mut self, finer: bool) -> Effect {
        let next = if finer {
            self.unit.finer()
        } else {
            self.unit.coarser()
        };
        let Some(unit) = next else {
            return Effect::Say(format!(
                "the chart is at its {} already: {}",
                if finer { "finest" } else { "widest" },
                self.unit.count(1).trim_start_matches("1 ")
            ));
        };
        let day = self.cursor_start().unwrap_or_default();
        self.zoomed = true;
        self.set_unit(unit, day);
        // The cursor's period stays where it was on screen, as far as the ends allow.
        let offset = self.fit / 2;
        self.scroll = self.cursor.saturating_sub(offset);
        self.keep_cursor_visible();
        self.stale = true;
        Effect::Say(format!(
            "one bar a {}: {}",
            unit.name(),
            unit.count(self.periods)
        ))
    }

    pub(super) fn act(&mut self, action: Action) -> Option<Effect> {
        if self.periods == 0 {
            return match action {
                Action::Open | Action::ZoomIn | Action::ZoomOut | Action::Left | Action::Right => {
                    Some(Effect::Say("no events to chart".into()))
                }
                _ => None,
            };
        }
        let last = self.periods - 1;
        let page = self.fit.max(1);
        let cursor = match action {
            Action::ZoomIn => return Some(self.zoom(true)),
            Action::ZoomOut => return Some(self.zoom(false)),
            Action::Open => return self.brush(),
            Action::Left => self.cursor.saturating_sub(1),
            Action::Right => (self.cursor + 1).min(last),
            Action::PageUp => self.cursor.saturating_sub(page),
            Action::PageDown => (self.cursor + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::Select(i) => (self.scroll + i).min(last),
            Action::Up | Action::Down => self.cursor,
            _ => return None,
        };
        self.cursor = cursor;
        self.keep_cursor_visible();
        Some(Effect::Nothing)
    }

    /// "Mar 2025: 12 events (5 meetings, 7 calls)": the period under the cursor in words.
    pub fn cursor_phrase(&self) -> String {
        let Some(start) = self.cursor_start() else {
            return String::new();
        };
        let when = self.unit.phrase(start);
        match self.cursor_bar() {
            Some(bar) if self.split && bar.tally.total() > 0 => format!(
                "{when}: {} ({})",
                events(bar.tally.total()),
                bar.tally.parts()
            ),
            Some(bar) => format!("{when}: {}", events(bar.tally.total())),
            None => when,
        }
    }
}

fn events(n: usize) -> String {
    match n {
        0 => "no events".into(),
        1 => "1 event".into(),
        n => format!("{} events", crate::interchange::thousands(n)),
    }
}
