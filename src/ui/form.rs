//! The entry form: one line a field, problems beside the fields, completions under the focused
//! one, scrolled to keep the focus in view.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::text::{coord, field_window, fit};
use super::theme::Theme;
use crate::app::form::{CountRow, Form, Resolved, Slot};
use crate::app::keymap::{self, FormAction, KeyMap};
use crate::domain::claim::Destination;
use crate::domain::date::DateStyle;

const LABEL: usize = 13;

/// One line of the form, with where a text cursor goes when its slot has focus.
struct FormLine<'a> {
    line: Line<'a>,
    slot: Option<Slot>,
    /// The text cursor's column, when this line holds the focused text field.
    cursor: Option<usize>,
    /// A problem to show after the line, or under it where it does not fit.
    problem: Option<String>,
}

fn field<'a>(
    form: &Form,
    theme: &Theme,
    slot: Slot,
    label: &str,
    width: usize,
    after: Option<(String, ratatui::style::Style)>,
) -> FormLine<'a> {
    let focused = form.focus == slot;
    let label_style = if focused { theme.key() } else { theme.bold() };
    let mut spans = vec![Span::styled(fit(label, LABEL), label_style)];
    let cursor = input_spans(form, theme, slot, width, &mut spans).map(|x| LABEL + x);
    let problem = form.problem(slot);
    if problem.is_none()
        && let Some((text, style)) = after
    {
        spans.push(Span::styled(format!(" {text}"), style));
    }
    FormLine {
        line: Line::from(spans),
        slot: Some(slot),
        cursor,
        problem,
    }
}

/// The bracketed value of the text field at `slot`, `width` columns inside the brackets; the
/// focused one scrolls to keep its cursor in view. Returns the cursor's column from the `[`.
fn input_spans(
    form: &Form,
    theme: &Theme,
    slot: Slot,
    width: usize,
    spans: &mut Vec<Span<'_>>,
) -> Option<usize> {
    let input = form.input(slot)?;
    if form.focus == slot {
        let (shown, cursor) = field_window(input, width);
        spans.push(Span::styled(format!("[{shown}]"), theme.selected(true)));
        Some(1 + cursor)
    } else {
        spans.push(Span::styled(
            format!("[{}]", fit(input.value(), width)),
            theme.plain(),
        ));
        None
    }
}

fn choice<'a>(form: &Form, theme: &Theme, slot: Slot, label: &str, value: &str) -> FormLine<'a> {
    let focused = form.focus == slot;
    let style = if focused {
        theme.selected(true)
    } else {
        theme.plain()
    };
    FormLine {
        line: Line::from(vec![
            Span::styled(
                fit(label, LABEL),
                if focused { theme.key() } else { theme.bold() },
            ),
            Span::styled(format!("‹ {value} ›"), style),
            Span::styled(if focused { "  ←/→ to change" } else { "" }, theme.dim()),
        ]),
        slot: Some(slot),
        cursor: None,
        problem: None,
    }
}

fn button<'a>(form: &Form, theme: &Theme, slot: Slot, text: &str) -> FormLine<'a> {
    let style = if form.focus == slot {
        theme.selected(true)
    } else {
        theme.key()
    };
    FormLine {
        line: Line::from(vec![
            Span::raw(" ".repeat(2)),
            Span::styled(text.to_string(), style),
        ]),
        slot: Some(slot),
        cursor: None,
        problem: form.problem(slot),
    }
}

fn heading<'a>(theme: &Theme, text: &str) -> FormLine<'a> {
    FormLine {
        line: Line::styled(text.to_string(), theme.heading()),
        slot: None,
        cursor: None,
        problem: None,
    }
}

fn rows<'a>(form: &Form, theme: &Theme, dates: DateStyle, width: usize) -> Vec<FormLine<'a>> {
    let wide = width.saturating_sub(LABEL + 4).min(60);
    let date_after = |slot| form.date_preview(slot, dates).map(|p| (p, theme.ordinal()));
    let country_after = Some((
        crate::domain::Country::parse(form.country.value())
            .map(|c| c.name().to_string())
            .unwrap_or_default(),
        theme.dim(),
    ));
    let mut rows = vec![
        field(form, theme, Slot::Title, "Title", wide, None),
        field(
            form,
            theme,
            Slot::Date,
            "Date",
            16,
            date_after(Slot::Date).or(Some((
                "2025-04-11, 11 Apr 2025, 2025-04, c. 2025, today".into(),
                theme.dim(),
            ))),
        ),
        field(
            form,
            theme,
            Slot::EndDate,
            "End date",
            16,
            date_after(Slot::EndDate),
        ),
        choice(form, theme, Slot::Kind, "Kind", form.kind.as_str()),
        choice(form, theme, Slot::Mode, "Mode", form.mode.as_str()),
        choice(form, theme, Slot::Status, "Status", form.status.as_str()),
        field(form, theme, Slot::City, "City", 24, None),
        field(form, theme, Slot::Country, "Country", 4, country_after),
        field(form, theme, Slot::Venue, "Venue", wide, None),
        heading(theme, "Participants"),
    ];
    for (i, row) in form.participants.iter().enumerate() {
        let resolved = match form.resolved(i) {
            Some(Resolved::Person(name)) => (format!("→ {name}"), theme.dim()),
            Some(Resolved::New { close: None }) => ("new person".to_string(), theme.ordinal()),
            Some(Resolved::New { close: Some(close) }) => {
                (format!("new person; close to {close}"), theme.error())
            }
            Some(Resolved::Ambiguous(_)) | None => (String::new(), theme.dim()),
        };
        rows.push(field(
            form,
            theme,
            Slot::PersonName(i),
            &format!("  {}", i + 1),
            24,
            Some(resolved),
        ));
        let head_focus = form.focus == Slot::PersonHead(i);
        let mut spans = vec![Span::styled(
            fit("    side", LABEL),
            if form.focus == Slot::PersonSide(i) {
                theme.key()
            } else {
                theme.dim()
            },
        )];
        let cursor =
            input_spans(form, theme, Slot::PersonSide(i), 4, &mut spans).map(|x| LABEL + x);
        spans.extend([
            Span::raw("  "),
            Span::styled(
                format!(
                    "[{}] heads the delegation",
                    if row.head { "x" } else { " " }
                ),
                if head_focus {
                    theme.selected(true)
                } else {
                    theme.plain()
                },
            ),
        ]);
        let problems: Vec<String> = [Slot::PersonSide(i), Slot::PersonHead(i)]
            .into_iter()
            .filter_map(|slot| form.problem(slot))
            .collect();
        let slot = if head_focus {
            Slot::PersonHead(i)
        } else {
            Slot::PersonSide(i)
        };
        rows.push(FormLine {
            line: Line::from(spans),
            slot: Some(slot),
            cursor,
            problem: None,
        });
        // Under the row, never after the head box, whose label it would read as going on.
        if !problems.is_empty() {
            rows.push(problem_below(&problems.join("; "), Some(slot), theme));
        }
    }
    rows.push(button(form, theme, Slot::AddPerson, "[+ add participant]"));
    for trip in &form.trips {
        rows.push(FormLine {
            line: Line::styled(format!("  {trip}"), theme.dim()),
            slot: None,
            cursor: None,
            problem: None,
        });
    }
    rows.push(heading(theme, "Sources"));
    for i in 0..form.sources.len() {
        rows.push(field(
            form,
            theme,
            Slot::Outlet(i),
            &format!("  {} outlet", i + 1),
            24,
            None,
        ));
        rows.push(field(form, theme, Slot::Citing(i), "    citing", 24, None));
        rows.push(field(form, theme, Slot::Url(i), "    url", wide, None));
        rows.push(field(
            form,
            theme,
            Slot::Published(i),
            "    published",
            16,
            date_after(Slot::Published(i)),
        ));
    }
    rows.push(button(form, theme, Slot::AddSource, "[+ add source]"));
    rows.push(heading(theme, "What the sources say"));
    for (i, claim) in form.claims.iter().enumerate() {
        let mut aspect = choice(
            form,
            theme,
            Slot::ClaimAspect(i),
            &format!("  {} aspect", i + 1),
            claim.aspect.as_str(),
        );
        aspect.problem = form.problem(Slot::ClaimAspect(i));
        rows.push(aspect);
        if claim.aspect == crate::domain::claim::Aspect::Count {
            rows.extend(count_rows(form, theme, dates, i, &claim.count, wide));
        }
        rows.push(field(
            form,
            theme,
            Slot::ClaimValue(i),
            "    says",
            wide,
            None,
        ));
        let named: Vec<String> = crate::app::form::source_numbers_of(claim)
            .iter()
            .filter_map(|&p| form.sources.get(p))
            .map(|s| s.outlet.value().to_string())
            .collect();
        let by = (!named.is_empty()).then(|| (format!("→ {}", named.join(", ")), theme.dim()));
        rows.push(field(
            form,
            theme,
            Slot::ClaimSources(i),
            "    sources",
            12,
            by,
        ));
        rows.push(field(
            form,
            theme,
            Slot::ClaimNote(i),
            "    note",
            wide,
            None,
        ));
    }
    rows.push(button(form, theme, Slot::AddClaim, "[+ add claim]"));
    rows.push(heading(theme, "Notes"));
    let notes = form.notes.lines();
    let focused = form.focus == Slot::Notes;
    if notes.len() == 1 && notes[0].is_empty() {
        let style = if focused {
            theme.selected(true)
        } else {
            theme.dim()
        };
        rows.push(FormLine {
            line: Line::styled("  (Enter starts a new line)", style),
            slot: Some(Slot::Notes),
            cursor: None,
            problem: None,
        });
    } else {
        for line in notes {
            let style = if focused { theme.key() } else { theme.plain() };
            rows.push(FormLine {
                line: Line::styled(format!("  {line}"), style),
                slot: Some(Slot::Notes),
                cursor: None,
                problem: None,
            });
        }
    }
    rows
}

/// The fields of count claim `i`, one a line, in the order Tab visits them.
fn count_rows<'a>(
    form: &Form,
    theme: &Theme,
    dates: DateStyle,
    i: usize,
    count: &CountRow,
    wide: usize,
) -> Vec<FormLine<'a>> {
    let mut rows = Vec::new();
    for slot in Form::count_slots(i, count.kind) {
        let row = match slot {
            Slot::CountKind(_) => choice(form, theme, slot, "    counts", count.kind.label()),
            Slot::CountPerson(_, k) => {
                let label = if k == 0 { "    who" } else { "    with" };
                let resolved = match form.count_resolved(i, k) {
                    Some(Resolved::Person(name)) => Some((format!("→ {name}"), theme.dim())),
                    _ => None,
                };
                field(form, theme, slot, label, 24, resolved)
            }
            Slot::CountPlace(_) => {
                let named = match Destination::parse(count.place.value()) {
                    Ok(Destination::Country(country)) => country.name().to_string(),
                    Ok(Destination::Region(_)) => "a region".to_string(),
                    Err(_) => "a country code (IL) or a region (Middle East)".to_string(),
                };
                field(form, theme, slot, "    to", 24, Some((named, theme.dim())))
            }
            Slot::CountNumber(_) => field(form, theme, slot, "    number", 6, None),
            Slot::CountSince(_) | Slot::CountUntil(_) => {
                let label = if matches!(slot, Slot::CountSince(_)) {
                    "    since"
                } else {
                    "    until"
                };
                let after = form.date_preview(slot, dates).map(|p| (p, theme.ordinal()));
                field(form, theme, slot, label, 16, after)
            }
            _ => field(
                form,
                theme,
                slot,
                "    as",
                wide.min(32),
                count
                    .role
                    .value()
                    .trim()
                    .is_empty()
                    .then(|| ("a title, if counted by one".to_string(), theme.dim())),
            ),
        };
        rows.push(row);
    }
    rows
}

/// Each row's problem after it where it fits, else on a line of its own under it, so that a
/// field and its message never run into each other.
fn with_problems<'a>(rows: Vec<FormLine<'a>>, theme: &Theme, width: usize) -> Vec<FormLine<'a>> {
    let mut out = Vec::with_capacity(rows.len());
    for mut row in rows {
        let Some(problem) = row.problem.take() else {
            out.push(row);
            continue;
        };
        let text = format!(" {problem}");
        if row.line.width() + text.width() <= width {
            row.line.spans.push(Span::styled(text, theme.error()));
            out.push(row);
        } else {
            let slot = row.slot;
            out.push(row);
            out.push(problem_below(&problem, slot, theme));
        }
    }
    out
}

/// A line under a field's row saying its problem.
fn problem_below<'a>(problem: &str, slot: Option<Slot>, theme: &Theme) -> FormLine<'a> {
    FormLine {
        line: Line::from(vec![
            Span::raw(" ".repeat(LABEL)),
            Span::styled(format!("↑ {problem}"), theme.error()),
        ]),
        slot,
        cursor: None,
        problem: None,
    }
}

/// The keys bound to `action` as a hint shows them: the first, "Ctrl-S".
fn hint(keys: &KeyMap, action: FormAction) -> Option<String> {
    keys.form_keys(action).first().map(|k| keymap::shown(k))
}

/// " Ctrl-S save · Esc cancel · … ", from the bindings in force; an action left without a key
/// is left out.
fn footer(parts: &[(Option<String>, &str)]) -> String {
    let said: Vec<String> = parts
        .iter()
        .filter_map(|(key, what)| key.as_ref().map(|key| format!("{key} {what}")))
        .collect();
    format!(" {} ", said.join(" · "))
}

/// "Alt-↑↓" when both moves share their modifier, else "Alt-↑/Ctrl-↓".
fn reorder_hint(keys: &KeyMap) -> Option<String> {
    let up = hint(keys, FormAction::RowUp);
    let down = hint(keys, FormAction::RowDown);
    match (up, down) {
        (Some(up), Some(down)) => Some(match (up.strip_suffix('↑'), down.strip_suffix('↓')) {
            (Some(a), Some(b)) if a == b => format!("{up}↓"),
            _ => format!("{up}/{down}"),
        }),
        (one, other) => one.or(other),
    }
}

pub fn draw(
    frame: &mut Frame,
    form: &Form,
    keys: &KeyMap,
    theme: &Theme,
    dates: DateStyle,
    area: Rect,
) {
    if area.width < 4 || area.height < 3 {
        return;
    }
    let title = match form.editing {
        Some(number) => format!(" Edit #{number} "),
        None => " Add an event ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.heading())
        .title(Span::styled(title, theme.heading()))
        .title_bottom(Span::styled(
            footer(&[
                (hint(keys, FormAction::Save), "save"),
                (hint(keys, FormAction::Close), "cancel"),
                (hint(keys, FormAction::NextField), "move"),
                (hint(keys, FormAction::RemoveRow), "remove row"),
                (reorder_hint(keys), "reorder"),
            ]),
            theme.dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut rows = with_problems(rows(form, theme, dates, width), theme, width);
    // Completions go under the focused field.
    let completions = form.completions();
    if let Some(at) = rows.iter().position(|r| r.slot == Some(form.focus)) {
        let offered: Vec<FormLine> = completions
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let style = if i == form.completion {
                    theme.selected(true)
                } else {
                    theme.dim()
                };
                FormLine {
                    line: Line::from(vec![
                        Span::raw(" ".repeat(LABEL + 1)),
                        Span::styled(c.clone(), style),
                    ]),
                    slot: None,
                    cursor: None,
                    problem: None,
                }
            })
            .collect();
        rows.splice(at + 1..at + 1, offered);
    }
    let height = inner.height as usize;
    let focus_line = rows
        .iter()
        .rposition(|r| r.slot == Some(form.focus))
        .unwrap_or(0);
    let first_focus = rows
        .iter()
        .position(|r| r.slot == Some(form.focus))
        .unwrap_or(0);
    let extra = if completions.is_empty() {
        0
    } else {
        completions.len()
    };
    let scroll = (focus_line + 1 + extra)
        .saturating_sub(height)
        .min(first_focus);
    let visible: Vec<Line> = rows
        .iter()
        .skip(scroll)
        .take(height)
        .map(|r| r.line.clone())
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
    // The question is asked on the status line, where every question is.
    if form.confirm_discard {
        return;
    }
    // The cursor sits in the focused text field.
    let on_screen = |row: usize| row >= scroll && row < scroll + height;
    if let Some((row, x)) = rows
        .iter()
        .enumerate()
        .find_map(|(i, r)| r.cursor.map(|x| (i, x)))
        .filter(|(row, _)| on_screen(*row))
    {
        frame.set_cursor_position(Position {
            x: inner.x + coord(x).min(inner.width.saturating_sub(1)),
            y: inner.y + coord(row - scroll),
        });
    } else if form.focus == Slot::Notes
        && let Some(first) = rows.iter().position(|r| r.slot == Some(Slot::Notes))
    {
        let (line, column) = form.notes.cursor();
        let row = first + line;
        let x = 2 + form
            .notes
            .lines()
            .get(line)
            .map_or(0, |l| l.chars().take(column).collect::<String>().width());
        if on_screen(row) {
            frame.set_cursor_position(Position {
                x: inner.x + coord(x).min(inner.width.saturating_sub(1)),
                y: inner.y + coord(row - scroll),
            });
        }
    }
}

/// The person form over the view: one line a field, its problem under the fields.
pub fn draw_person(
    frame: &mut Frame,
    form: &crate::app::person_form::PersonForm,
    keys: &KeyMap,
    theme: &Theme,
    area: Rect,
) {
    use crate::app::person_form::LABELS;
    if area.width < 4 || area.height < 3 {
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.heading())
        .title(Span::styled(" Edit person ", theme.heading()))
        .title_bottom(Span::styled(
            footer(&[
                (hint(keys, FormAction::Save), "save"),
                (hint(keys, FormAction::Close), "cancel"),
                (hint(keys, FormAction::NextField), "move"),
                (Some("lists:".into()), "\"; \" between entries"),
            ]),
            theme.dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let value_width = width.saturating_sub(LABEL + 2).max(1);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, label) in LABELS.iter().enumerate() {
        let focused = form.focus == i;
        let label_style = if focused { theme.key() } else { theme.bold() };
        let (shown, at) = field_window(&form.fields[i], value_width);
        if focused {
            cursor = Some((LABEL + 1 + at, i));
        }
        lines.push(Line::from(vec![
            Span::styled(fit(label, LABEL), label_style),
            Span::raw("["),
            Span::raw(shown),
            Span::raw("]"),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "Short name: for labels; blank for the family name, \"{}\"",
            form.default_short()
        ),
        theme.dim(),
    ));
    lines.push(Line::styled(
        "Titles: TITLE[:FROM[:UNTIL]], dates YYYY-MM-DD: Ambassador:2025-03-06",
        theme.dim(),
    ));
    if let Some(problem) = &form.problem {
        lines.push(Line::styled(problem.clone(), theme.error()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((x, y)) = cursor
        && y < inner.height as usize
    {
        let x = inner.x + coord(x).min(inner.width.saturating_sub(1));
        frame.set_cursor_position(Position {
            x,
            y: inner.y + coord(y),
        });
    }
}
