//! The configuration file (`config.toml` in the platform's config directory): key bindings by
//! action name, the theme's colours, the date style, the default sort and where the detail
//! goes, and the user's own regions. A missing file means the defaults; a bad one is reported,
//! naming the line, and the defaults are used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::app::keymap::{self, KeyMap};
use crate::domain::Country;
use crate::domain::region::{Region, name_key};
use crate::store::Order;
use crate::ui::theme::{Palette, Theme};

/// Where the detail pane sits beside the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetailPlacement {
    /// Beside the list from 110 columns, below it under that.
    #[default]
    Auto,
    Right,
    Below,
}

pub use crate::domain::date::DateStyle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    #[default]
    OldestFirst,
    NewestFirst,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    keys: BTreeMap<String, toml::Spanned<Keys>>,
    #[serde(default)]
    colors: BTreeMap<String, toml::Spanned<String>>,
    #[serde(default)]
    display: Display,
    #[serde(default)]
    store: StoreSettings,
    #[serde(default)]
    regions: UserRegions,
}

/// `[regions]`: a name, and the codes of its countries.
type UserRegions = BTreeMap<String, toml::Spanned<Vec<toml::Spanned<String>>>>;

/// The file as the counting commands read it: the regions only, so that a mistake elsewhere
/// (a key binding) does not stop a count.
#[derive(Debug, Default, Deserialize)]
struct RegionsOnly {
    #[serde(default)]
    regions: UserRegions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct StoreSettings {
    wait: Option<u64>,
}

/// How long a save in the interface waits for another program that is writing, unless
/// `[store] wait` says otherwise: someone at the keyboard can wait for a colleague's import
/// (and stop waiting with Esc), where a script wants an answer soon.
pub const INTERFACE_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Display {
    #[serde(default)]
    date_style: DateStyle,
    #[serde(default)]
    sort: Sort,
    #[serde(default)]
    detail: DetailPlacement,
    hyperlinks: Option<bool>,
}

/// The settings the interface runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub keymap: KeyMap,
    pub palette: Palette,
    pub date_style: DateStyle,
    pub order: Order,
    pub detail: DetailPlacement,
    pub hyperlinks: bool,
    /// How long a save waits for another writer.
    pub wait: std::time::Duration,
    /// The user's regions, which add to the shipped ones and replace those of their names.
    pub regions: Vec<Region>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            keymap: KeyMap::default(),
            palette: Palette::DEFAULT,
            date_style: DateStyle::default(),
            order: Order::OldestFirst,
            detail: DetailPlacement::default(),
            // Off unless asked for: ratatui draws OSC 8 links by a trick that misplaces the
            // rest of the screen in terminals that do not take them (tmux before 3.4).
            hyperlinks: false,
            wait: INTERFACE_WAIT,
            regions: Vec::new(),
        }
    }
}

impl Config {
    /// The theme for a terminal: these colours, unless `NO_COLOR` is set.
    pub fn theme(&self) -> Theme {
        Theme {
            palette: self.palette,
            hyperlinks: self.hyperlinks,
            ..Theme::from_env()
        }
    }

    /// Reads the settings from `text`; an error names the line and what is wrong.
    pub fn parse(text: &str) -> Result<Config, String> {
        let file: File = toml::from_str(text).map_err(|e| describe(text, &e))?;
        let mut config = Config::default();
        for (action, keys) in &file.keys {
            let at = line_of(text, keys.span());
            let keys = match keys.get_ref() {
                Keys::One(key) => vec![key.clone()],
                Keys::Many(keys) => keys.clone(),
            };
            config
                .keymap
                .bind(action, &keys)
                .map_err(|e| format!("line {at}: [keys] {e}"))?;
        }
        for (name, value) in &file.colors {
            let at = line_of(text, value.span());
            config
                .palette
                .set(name, value.get_ref())
                .map_err(|e| format!("line {at}: [colors] {e}"))?;
        }
        config.date_style = file.display.date_style;
        config.order = match file.display.sort {
            Sort::OldestFirst => Order::OldestFirst,
            Sort::NewestFirst => Order::NewestFirst,
        };
        config.detail = file.display.detail;
        config.hyperlinks = file.display.hyperlinks.unwrap_or(false);
        if let Some(seconds) = file.store.wait {
            config.wait = std::time::Duration::from_secs(seconds);
        }
        config.regions = regions(text, &file.regions)?;
        Ok(config)
    }

    /// Reads the file at `path`: the defaults when there is none, and the defaults with a
    /// message when it cannot be used.
    pub fn load(path: &Path) -> (Config, Option<String>) {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Config::default(), None),
            Err(e) => {
                let said = format!("{}: {e}; using the default settings", path.display());
                return (Config::default(), Some(said));
            }
        };
        match Config::parse(&text) {
            Ok(config) => (config, None),
            Err(e) => (
                Config::default(),
                Some(format!(
                    "{}: {e}; using the default settings",
                    path.display()
                )),
            ),
        }
    }
}

/// The user's regions in the configuration file at `path` (none when there is no file); an
/// error names the file, the line and what is wrong.
pub fn user_regions(path: &Path) -> Result<Vec<Region>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let file: RegionsOnly = toml::from_str(&text)
        .map_err(|e| format!("{}: {}", path.display(), describe(&text, &e)))?;
    regions(&text, &file.regions).map_err(|e| format!("{}: {e}", path.display()))
}

/// Checks the `[regions]` of `text`: each a name and at least one country, each name once
/// (whatever its case).
fn regions(text: &str, table: &UserRegions) -> Result<Vec<Region>, String> {
    let line = |span| line_of(text, span);
    let mut found: Vec<Region> = Vec::new();
    for (name, codes) in table {
        let at = line(codes.span());
        if name_key(name).is_empty() {
            return Err(format!(
                "line {at}: [regions] \"{name}\": a region needs a name"
            ));
        }
        if let Some(same) = found.iter().find(|r| name_key(&r.name) == name_key(name)) {
            return Err(format!(
                "line {at}: [regions] \"{name}\" and \"{}\" name the same region",
                same.name
            ));
        }
        if codes.get_ref().is_empty() {
            return Err(format!(
                "line {at}: [regions] \"{name}\": list at least one country code"
            ));
        }
        let mut members = std::collections::BTreeSet::new();
        for code in codes.get_ref() {
            let country = Country::parse(code.get_ref()).map_err(|reason| {
                format!(
                    "line {}: [regions] \"{name}\": \"{}\" is {reason}",
                    line(code.span()),
                    code.get_ref()
                )
            })?;
            members.insert(country);
        }
        found.push(Region::user(name, members, "config.toml"));
    }
    Ok(found)
}

/// "line 3: unknown field `colour`, expected …" from a TOML error.
fn describe(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().to_string();
    match error.span() {
        Some(span) => format!("line {}: {message}", line_of(text, span)),
        None => message,
    }
}

/// The line of `text`, counted from 1, that `span` starts on.
fn line_of(text: &str, span: std::ops::Range<usize>) -> usize {
    text[..span.start.min(text.len())].matches('\n').count() + 1
}

/// The configuration file's place: `~/.config/attache/config.toml` on Linux.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "attache").map(|d| d.config_dir().join("config.toml"))
}

/// A full configuration file with every setting at its default, each explained.
pub fn default_file() -> String {
    let mut out = String::from(
        "# attache configuration. Every setting is shown at its default; delete what you do not\n\
         # change. Keys are written as j, G, ctrl-r, alt-up, pgdn, enter, esc, f5, space.\n\n[keys]\n",
    );
    for binding in keymap::BINDINGS {
        let keys: Vec<String> = binding.keys.iter().map(|k| format!("{k:?}")).collect();
        out.push_str(&format!("# {}\n", binding.help));
        out.push_str(&format!("{} = [{}]\n", binding.name, keys.join(", ")));
    }
    out.push_str(
        "\n# Colours: a name (cyan, light-red, dark-gray), an index (0-255) or #rrggbb.\n\
         # NO_COLOR in the environment turns every colour off.\n[colors]\n",
    );
    let palette = Palette::DEFAULT;
    let colors = [
        palette.heading,
        palette.ordinal,
        palette.key,
        palette.error,
        palette.planned,
        palette.dim,
        palette.matched,
        palette.bar,
    ];
    for (name, color) in Palette::NAMES.iter().zip(colors) {
        out.push_str(&format!("{name} = \"{}\"\n", kebab(&color.to_string())));
    }
    out.push_str(
        "\n[display]\n\
         # day-month-year (11 Apr 2025) or iso (2025-04-11)\n\
         date-style = \"day-month-year\"\n\
         # oldest-first or newest-first\n\
         sort = \"oldest-first\"\n\
         # auto (beside the list from 110 columns), right or below\n\
         detail = \"auto\"\n\
         # source addresses as terminal hyperlinks (OSC 8), for terminals that take them;\n\
         # elsewhere (tmux before 3.4) they garble the screen\n\
         hyperlinks = false\n\
         \n[store]\n\
         # seconds a save waits for another program writing to the database (an import, a\n\
         # colleague's save) before giving up; Esc stops waiting sooner. --wait overrides it\n\
         wait = 60\n\
         \n# Regions of your own for count --region, as ISO 3166-1 codes; one named as a shipped\n\
         # region (attache regions lists them) replaces it, in any case.\n\
         [regions]\n\
         # Gulf = [\"SA\", \"AE\", \"QA\", \"BH\", \"KW\", \"OM\"]\n",
    );
    out
}

/// "DarkGray" → "dark-gray".
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::style::Color;

    #[test]
    fn the_default_file_reads_back_as_the_defaults() {
        let config = Config::parse(&default_file()).unwrap();
        assert_eq!(config.palette, Palette::DEFAULT);
        assert_eq!(config.order, Order::OldestFirst);
        assert_eq!(config.detail, DetailPlacement::Auto);
        let rows: Vec<_> = config.keymap.rows().collect();
        let defaults: Vec<_> = KeyMap::default().rows().collect();
        assert_eq!(rows, defaults);
        assert!(default_file().contains("# form: save\nform-save = [\"ctrl-s\"]\n"));
        assert_eq!(config.wait, INTERFACE_WAIT);
    }

    #[test]
    fn the_wait_of_a_save_is_set_in_seconds() {
        let config = Config::parse("[store]\nwait = 300\n").unwrap();
        assert_eq!(config.wait, std::time::Duration::from_secs(300));
        let bad = Config::parse("[store]\nwait = \"long\"\n").unwrap_err();
        assert!(bad.starts_with("line 2:"), "{bad}");
    }

    #[test]
    fn settings_change_what_they_name() {
        let config = Config::parse(
            "[keys]\nquit = \"x\"\ndown = [\"j\", \"ctrl-n\"]\n[colors]\nheading = \"#ff8800\"\n\
             [display]\nsort = \"newest-first\"\ndetail = \"below\"\ndate-style = \"iso\"\n",
        )
        .unwrap();
        let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(config.keymap.action_for(&x), Some(crate::app::Action::Quit));
        assert_eq!(
            config.keymap.action_for(&ctrl_n),
            Some(crate::app::Action::Down)
        );
        assert_eq!(config.palette.heading, Color::Rgb(0xff, 0x88, 0));
        assert_eq!(config.order, Order::NewestFirst);
        assert_eq!(config.detail, DetailPlacement::Below);
        assert_eq!(config.date_style, DateStyle::Iso);
    }

    #[test]
    fn mistakes_name_the_line() {
        let unknown =
            Config::parse("[display]\nsort = \"oldest-first\"\ncolour = 1\n").unwrap_err();
        assert!(
            unknown.starts_with("line 3: unknown field `colour`"),
            "{unknown}"
        );
        let bad = Config::parse("\n[display]\nsort = \"sideways\"\n").unwrap_err();
        assert!(bad.starts_with("line 3:"), "{bad}");
        let action = Config::parse("[keys]\nquit = [\"q\"]\nfoo = [\"z\"]\n").unwrap_err();
        assert_eq!(action, "line 3: [keys] unknown action \"foo\"");
        let colour = Config::parse("[colors]\n\nheading = \"plaid\"\n").unwrap_err();
        assert!(
            colour.starts_with("line 3: [colors] not a colour"),
            "{colour}"
        );
    }

    #[test]
    fn regions_of_ones_own_are_read_and_their_mistakes_named() {
        let config = Config::parse(
            "[regions]\nGulf = [\"SA\", \"ae\", \"QA\"]\n\"Middle East\" = [\"IL\"]\n",
        )
        .unwrap();
        let names: Vec<&str> = config.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Gulf", "Middle East"]);
        let gulf: Vec<&str> = config.regions[0].members.iter().map(|c| c.code()).collect();
        assert_eq!(gulf, ["AE", "QA", "SA"]);
        let bad = Config::parse("[regions]\nGulf = [\"SA\",\n  \"XX\"]\n").unwrap_err();
        assert_eq!(
            bad,
            "line 3: [regions] \"Gulf\": \"XX\" is not an ISO 3166-1 alpha-2 country code"
        );
        let empty = Config::parse("\n[regions]\nGulf = []\n").unwrap_err();
        assert_eq!(
            empty,
            "line 3: [regions] \"Gulf\": list at least one country code"
        );
        let twice = Config::parse("[regions]\ngulf = [\"SA\"]\nGulf = [\"AE\"]\n").unwrap_err();
        assert!(twice.contains("name the same region"), "{twice}");
        let not_a_list = Config::parse("[regions]\nGulf = \"SA\"\n").unwrap_err();
        assert!(not_a_list.starts_with("line 2:"), "{not_a_list}");
    }

    #[test]
    fn counting_reads_the_regions_whatever_else_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(user_regions(&path).unwrap(), Vec::new());
        std::fs::write(&path, "[keys]\nfly = \"z\"\n[regions]\nGulf = [\"SA\"]\n").unwrap();
        assert_eq!(user_regions(&path).unwrap()[0].name, "Gulf");
        std::fs::write(&path, "[regions]\nGulf = [\"SAU\"]\n").unwrap();
        let said = user_regions(&path).unwrap_err();
        assert!(
            said.starts_with(&format!("{}: line 2: [regions] \"Gulf\"", path.display())),
            "{said}"
        );
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_a_bad_one_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (_, said) = Config::load(&dir.path().join("none.toml"));
        assert_eq!(said, None);
        let bad = dir.path().join("config.toml");
        std::fs::write(&bad, "[keys\n").unwrap();
        let (config, said) = Config::load(&bad);
        assert!(said.unwrap().contains("line 1"));
        assert_eq!(config.order, Order::OldestFirst);
    }
}
