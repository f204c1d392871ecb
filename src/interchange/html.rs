//! A timeline page to publish: one HTML file that needs nothing else (no script, no font, no
//! image from anywhere), with a chart of the events per period (inline SVG), then the events by
//! month with their ordinal sentences, sides and heads, places, what the sources say, and the
//! sources as links. Light or dark as the reader's system asks, and plain on paper.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Seek, Write};

use chrono::NaiveDate;

use super::{ExportError, FILE_DATES};
use crate::domain::{Country, Event, Kind, Person, Precision, Status};
use crate::report::{self, Ordinals};
use crate::store::{EventFilter, Order, Store};

/// Forbids every load but the page's own styles: the page is read offline, from a mail or a
/// disk, and whatever a stored text might smuggle in can neither run nor call out.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE: &str = r#"
:root {
  color-scheme: light dark;
  --text: #1d1f21; --background: #ffffff; --muted: #5a5f66; --rule: #d6d9dd;
  --bar: #2f6db3; --link: #1a55a0; --mark: #8a4b00;
}
@media (prefers-color-scheme: dark) {
  :root {
    --text: #e6e8ea; --background: #15171a; --muted: #a3a9b0; --rule: #3b3f45;
    --bar: #6ea8ec; --link: #8dbdf5; --mark: #f0b45a;
  }
}
body {
  margin: 0 auto; max-width: 52rem; padding: 1.5rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
    "Noto Sans Arabic", sans-serif;
  color: var(--text); background: var(--background);
}
h1 { margin: 0 0 .25rem; font-size: 1.8rem; }
h2 { margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid var(--rule);
  font-size: 1.3rem; }
h3 { margin: 0; font-size: 1.05rem; }
h4 { margin: .5rem 0 0; font-size: .9rem; color: var(--muted); }
ul { margin: .25rem 0; padding-inline-start: 1.25rem; }
.summary, .meta, .number { color: var(--muted); }
.event { margin: 0 0 1.25rem; }
.meta { margin: .1rem 0 .3rem; }
.sides { list-style: none; padding-inline-start: 0; }
.status { color: var(--mark); font-weight: normal; font-size: .9rem; }
.head { font-weight: 600; }
.side { font-weight: 600; }
a { color: var(--link); overflow-wrap: anywhere; }
.chart { margin: 1rem 0 0; }
.chart svg { display: block; width: 100%; height: auto; }
.chart .bar { fill: var(--bar); }
.chart .axis { stroke: var(--rule); }
.chart text { fill: var(--muted); font-size: 12px; }
.chart figcaption { color: var(--muted); font-size: .9rem; }
@media print {
  :root { --text: #000; --background: #fff; --muted: #333; --rule: #999; --bar: #444;
    --link: #000; --mark: #000; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2, h3 { break-after: avoid; }
  .event, .chart { break-inside: avoid; }
  a[href]::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
}
"#;

/// Text made safe to stand between tags or inside a double- or single-quoted attribute value.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The address a source links to, when it is a web address: input takes nothing else, and a
/// record written by other means is not trusted to hold a `javascript:` link.
fn web_address(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

/// The heading an event is listed under: its month, or its year where only that is known.
fn month(event: &Event) -> String {
    match event.date.precision() {
        Precision::Year => event.date.first().format("%Y").to_string(),
        _ => event.date.first().format("%B %Y").to_string(),
    }
}

fn country(country: &Country) -> &str {
    match country.name() {
        "" => country.code(),
        name => name,
    }
}

/// Writes the page of the events `filter` keeps, oldest first; returns how many. The events are
/// read once: their entries wait in an unnamed temporary file while the chart, which comes
/// first, is counted, so that memory holds a date and a kind per event, not the page.
pub fn export(
    store: &Store,
    filter: &EventFilter,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut entries = std::io::BufWriter::new(tempfile::tempfile()?);
    let mut dated: Vec<(NaiveDate, Kind)> = Vec::new();
    let mut ordinals = Ordinals::new(store, FILE_DATES);
    // Heads recur from event to event: each is read once for the export.
    let mut heads: HashMap<i64, Person> = HashMap::new();
    let mut current = String::new();
    let mut span: Option<(String, String)> = None;
    let count =
        ordinals.for_each_event::<ExportError>(filter, Order::OldestFirst, |event, ordinals| {
            dated.push((event.date.first(), event.kind));
            let last = event.end_date.unwrap_or(event.date).display(FILE_DATES);
            match &mut span {
                Some((_, latest)) => *latest = last,
                None => span = Some((event.date.display(FILE_DATES), last)),
            }
            let heading = month(event);
            if heading != current {
                if !current.is_empty() {
                    entries.write_all(b"</section>\n")?;
                }
                writeln!(
                    entries,
                    "<section class=\"month\">\n<h2>{}</h2>",
                    escape(&heading)
                )?;
                current = heading;
            }
            let visits = visits(store, event, ordinals, &mut heads)?;
            write_event(store, event, ordinals, &visits, &mut entries)
        })?;
    if !current.is_empty() {
        entries.write_all(b"</section>\n")?;
    }
    let mut entries = entries.into_inner().map_err(|e| e.into_error())?;
    entries.rewind()?;

    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"attache\">\n\
         <title>Timeline</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>Timeline</h1>\n",
        escape(CONTENT_SECURITY_POLICY)
    )?;
    match span {
        Some((first, last)) => writeln!(
            out,
            "<p class=\"summary\">{} {}, {} to {}</p>\n</header>",
            super::thousands(count),
            if count == 1 { "event" } else { "events" },
            escape(&first),
            escape(&last),
        )?,
        None => writeln!(out, "<p class=\"summary\">No events.</p>\n</header>")?,
    }
    chart::write(&dated, out)?;
    writeln!(out, "<main>")?;
    std::io::copy(&mut entries, out)?;
    writeln!(out, "</main>\n</body>\n</html>")?;
    Ok(count)
}

/// "Steve Witkoff's 3rd visit to Russia", for each head away from home, as `show` says it.
fn visits(
    store: &Store,
    event: &Event,
    ordinals: &mut Ordinals,
    heads: &mut HashMap<i64, Person>,
) -> Result<Vec<String>, ExportError> {
    let mut lines = Vec::new();
    for head in event.heads() {
        let person = match heads.entry(head.person_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                new.insert(store.person(head.person_id)?)
            }
        };
        lines.extend(ordinals.visit(event, person)?);
    }
    Ok(lines)
}

fn write_event(
    store: &Store,
    event: &Event,
    ordinals: &mut Ordinals,
    visits: &[String],
    out: &mut impl Write,
) -> Result<(), ExportError> {
    let mut when = event.date.display(FILE_DATES);
    if let Some(end) = &event.end_date {
        when.push_str(&format!(" – {}", end.display(FILE_DATES)));
    }
    write!(
        out,
        "<article class=\"event\" id=\"event-{id}\">\n<h3><span class=\"number\">#{id}</span> \
         <time datetime=\"{iso}\">{when}</time> <span class=\"title\" dir=\"auto\">{title}</span>",
        id = event.id,
        iso = escape(&event.date.to_iso()),
        when = escape(&when),
        title = escape(&event.title),
    )?;
    if matches!(event.status, Status::Planned | Status::Cancelled) {
        write!(out, " <span class=\"status\">({})</span>", event.status)?;
    }
    writeln!(out, "</h3>")?;

    let mut meta = format!(
        "<p class=\"meta\">{} · {} · {}",
        event.kind, event.mode, event.status
    );
    let place: Vec<&str> = [event.place.city.as_str()]
        .into_iter()
        .chain(event.place.country.as_ref().map(country))
        .filter(|p| !p.is_empty())
        .collect();
    if !place.is_empty() || !event.place.venue.is_empty() {
        meta.push_str(" · <span class=\"place\" dir=\"auto\">");
        meta.push_str(&escape(&place.join(", ")));
        if !event.place.venue.is_empty() {
            if !place.is_empty() {
                meta.push_str(" · ");
            }
            meta.push_str(&escape(&event.place.venue));
        }
        meta.push_str("</span>");
    }
    writeln!(out, "{meta}</p>")?;

    // The sentences `show` prints, without what only one event shown alone can afford to read
    // (the roles a pair met in before).
    let (lines, firsts) = report::summit(event, ordinals.for_event(event)?);
    if !lines.is_empty() || firsts.is_some() || !visits.is_empty() {
        writeln!(out, "<ul class=\"ordinals\">")?;
        for line in &lines {
            let mut text = line.sentence.clone();
            if let Some(previous) = &line.previous {
                text.push_str(&format!(" · {previous}"));
            }
            writeln!(out, "<li>{}</li>", escape(&text))?;
        }
        if let Some(firsts) = &firsts {
            writeln!(out, "<li>{}</li>", escape(firsts))?;
        }
        for visit in visits {
            writeln!(out, "<li>{}</li>", escape(visit))?;
        }
        writeln!(out, "</ul>")?;
    }

    write_sides(event, out)?;

    let counts = report::check_counts(store, event, FILE_DATES)?;
    let groups = report::claim_groups(event);
    if !counts.is_empty() || !groups.is_empty() {
        writeln!(out, "<h4>What the sources say</h4>\n<ul class=\"claims\">")?;
        for check in &counts {
            writeln!(out, "<li>{}</li>", escape(&check.line()))?;
        }
        for group in &groups {
            let class = if group.disputed {
                " class=\"disputed\""
            } else {
                ""
            };
            writeln!(out, "<li{class}>{}</li>", escape(&group.line()))?;
        }
        writeln!(out, "</ul>")?;
    }

    if !event.sources.is_empty() {
        writeln!(out, "<h4>Sources</h4>\n<ul class=\"sources\">")?;
        for source in &event.sources {
            let outlet = escape(&source.outlet);
            let mut item = match web_address(&source.url) {
                Some(url) => format!(
                    "<a href=\"{}\" rel=\"noreferrer\" dir=\"auto\">{outlet}</a>",
                    escape(url)
                ),
                None => format!("<span dir=\"auto\">{outlet}</span>"),
            };
            if !source.citing.is_empty() {
                item.push_str(&format!(
                    " citing <span dir=\"auto\">{}</span>",
                    escape(&source.citing)
                ));
            }
            if !source.via.is_empty() {
                item.push_str(&format!(
                    " via <span dir=\"auto\">{}</span>",
                    escape(&source.via)
                ));
            }
            if let Some(published) = source.published {
                item.push_str(&format!(", {published}"));
            }
            writeln!(out, "<li>{item}</li>")?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</article>")?;
    Ok(())
}

/// The sides in the order their first participant is listed, each with its people (heads
/// marked), then the sides whose members were not named.
fn write_sides(event: &Event, out: &mut impl Write) -> Result<(), ExportError> {
    if event.participants.is_empty() && event.unnamed_sides.is_empty() {
        return Ok(());
    }
    writeln!(out, "<ul class=\"sides\">")?;
    let mut sides: Vec<&Country> = Vec::new();
    for p in &event.participants {
        if !sides.contains(&&p.side) {
            sides.push(&p.side);
        }
    }
    for side in sides {
        let people: Vec<String> = event
            .participants
            .iter()
            .filter(|p| &p.side == side)
            .map(|p| {
                if event.heads_side(p.person_id) {
                    format!(
                        "<span class=\"name head\" dir=\"auto\">{}</span> (head)",
                        escape(&p.name)
                    )
                } else {
                    format!(
                        "<span class=\"name\" dir=\"auto\">{}</span>",
                        escape(&p.name)
                    )
                }
            })
            .collect();
        writeln!(
            out,
            "<li><span class=\"side\">{}</span>: {}</li>",
            escape(country(side)),
            people.join(", ")
        )?;
    }
    for side in &event.unnamed_sides {
        writeln!(
            out,
            "<li><span class=\"side\">{}</span>: members not named</li>",
            escape(country(side))
        )?;
    }
    writeln!(out, "</ul>")?;
    Ok(())
}

mod chart {
    //! The events per period as bars, one per period of the span (`domain::period`), empty
    //! periods kept, each with a title saying its period, its count and its kinds.

    use std::io::Write;
    use std::ops::AddAssign;

    use chrono::NaiveDate;

    use super::escape;
    use crate::domain::Kind;
    use crate::domain::period::{Unit, bucket};

    /// At most this many bars: a year of weeks fits, each bar still wide enough to point at.
    pub(super) const MOST_BARS: usize = 60;
    const WIDTH: f64 = 800.0;
    const BARS_HEIGHT: f64 = 160.0;
    const TOP: f64 = 16.0;
    const LABELS: f64 = 22.0;

    /// The events of one period, by kind in `Kind::ALL` order.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    struct Tally([usize; Kind::ALL.len()]);

    impl Tally {
        fn of(kind: Kind) -> Tally {
            let mut tally = Tally::default();
            if let Some(i) = Kind::ALL.iter().position(|k| *k == kind) {
                tally.0[i] = 1;
            }
            tally
        }

        fn total(&self) -> usize {
            self.0.iter().sum()
        }

        /// "Mar 2025: 4 events (meeting 2, call 2)".
        fn title(&self, period: &str) -> String {
            let total = self.total();
            let mut title = format!(
                "{period}: {total} {}",
                if total == 1 { "event" } else { "events" }
            );
            let kinds: Vec<String> = Kind::ALL
                .iter()
                .zip(self.0)
                .filter(|(_, n)| *n > 0)
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            if !kinds.is_empty() {
                title.push_str(&format!(" ({})", kinds.join(", ")));
            }
            title
        }
    }

    impl AddAssign for Tally {
        fn add_assign(&mut self, other: Tally) {
            for (mine, theirs) in self.0.iter_mut().zip(other.0) {
                *mine += theirs;
            }
        }
    }

    /// Writes the chart of events dated `dated` (their first days), or nothing for none.
    pub(super) fn write(dated: &[(NaiveDate, Kind)], out: &mut dyn Write) -> std::io::Result<()> {
        let (Some(first), Some(last)) = (
            dated.iter().map(|(day, _)| *day).min(),
            dated.iter().map(|(day, _)| *day).max(),
        ) else {
            return Ok(());
        };
        let unit = Unit::for_span(first, last, MOST_BARS);
        let bars = bucket(
            unit,
            first,
            last,
            dated.iter().map(|(day, kind)| (*day, Tally::of(*kind))),
        );
        let (Some((first_start, _)), Some((last_start, _))) = (bars.first(), bars.last()) else {
            return Ok(());
        };
        let most = bars
            .iter()
            .map(|(_, t)| t.total())
            .max()
            .unwrap_or(0)
            .max(1);
        let slot = WIDTH / bars.len() as f64;
        let gap = if slot > 4.0 { slot * 0.15 } else { 0.0 };
        let height = TOP + BARS_HEIGHT + LABELS;
        let caption = format!(
            "Events per {}, {} to {}",
            unit.name(),
            unit.phrase(*first_start),
            unit.phrase(*last_start)
        );
        writeln!(
            out,
            "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
             viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\">",
            escape(&caption)
        )?;
        writeln!(
            out,
            "<text x=\"0\" y=\"12\">{most}</text>\n<line class=\"axis\" x1=\"0\" y1=\"{base}\" \
             x2=\"{WIDTH}\" y2=\"{base}\"/>",
            base = TOP + BARS_HEIGHT
        )?;
        for (i, (start, tally)) in bars.iter().enumerate() {
            let tall = BARS_HEIGHT * tally.total() as f64 / most as f64;
            writeln!(
                out,
                "<rect class=\"bar\" x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\">\
                 <title>{}</title></rect>",
                i as f64 * slot + gap / 2.0,
                TOP + BARS_HEIGHT - tall,
                slot - gap,
                tall,
                escape(&tally.title(&unit.phrase(*start)))
            )?;
        }
        writeln!(
            out,
            "<text x=\"0\" y=\"{y}\">{}</text>\n<text x=\"{WIDTH}\" y=\"{y}\" \
             text-anchor=\"end\">{}</text>\n</svg>\n<figcaption>{}</figcaption>\n</figure>",
            escape(&unit.label(*first_start)),
            escape(&unit.label(*last_start)),
            escape(&caption),
            y = height - 4.0,
        )?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_period_is_titled_with_its_count_and_kinds() {
            let mut tally = Tally::default();
            assert_eq!(tally.title("Mar 2025"), "Mar 2025: 0 events");
            tally += Tally::of(Kind::Call);
            assert_eq!(tally.title("Mar 2025"), "Mar 2025: 1 event (call 1)");
            tally += Tally::of(Kind::Meeting);
            tally += Tally::of(Kind::Call);
            assert_eq!(
                tally.title("Mar 2025"),
                "Mar 2025: 3 events (meeting 1, call 2)"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup_and_keeps_plain_text_as_is() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape("\"><img src=x onerror='alert(1)'>"),
            "&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;"
        );
        assert_eq!(escape("AT&amp;T"), "AT&amp;amp;T");
        assert!(matches!(escape("Путин 习近平 نتنياهو"), Cow::Borrowed(_)));
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(web_address("https://tass.ru/a"), Some("https://tass.ru/a"));
        assert_eq!(web_address("HTTP://tass.ru"), Some("HTTP://tass.ru"));
        assert_eq!(web_address("javascript:alert(1)"), None);
        assert_eq!(web_address(" https://tass.ru"), None);
        assert_eq!(web_address("data:text/html,x"), None);
        assert_eq!(web_address(""), None);
    }
}
