//! `regions`: the regions `count --region` takes, and the countries of one.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{Result, table};
use crate::domain::region::{Region, Regions};

#[derive(Debug, Args)]
pub struct RegionsArgs {
    /// One region, in any case: its countries and its source
    pub name: Option<String>,
    /// An aligned table, or JSON
    #[arg(long, value_enum, default_value = "table")]
    pub format: super::person::Format,
}

/// The shipped regions with the user's from config.toml; a config.toml whose regions cannot
/// be read is refused, naming the line, rather than counted without them.
pub fn known() -> Result<Regions> {
    let user = match crate::config::default_path() {
        Some(path) => crate::config::user_regions(&path).map_err(super::CliError::Refused)?,
        None => Vec::new(),
    };
    Ok(Regions::shipped().with(user))
}

#[derive(Serialize)]
struct RegionJson<'a> {
    name: &'a str,
    m49: Option<&'a str>,
    countries: Vec<&'a str>,
    source: &'a str,
    url: &'a str,
    /// Countries the source does not list, counted in as `note` says.
    added: Vec<&'a str>,
    note: &'a str,
}

fn json(region: &Region) -> RegionJson<'_> {
    RegionJson {
        name: &region.name,
        m49: region.m49.as_deref(),
        countries: region.members.iter().map(|c| c.code()).collect(),
        source: &region.source,
        url: &region.url,
        added: region.added.iter().map(|c| c.code()).collect(),
        note: &region.note,
    }
}

pub fn run(args: &RegionsArgs, out: &mut dyn Write) -> Result<()> {
    let regions = known()?;
    let json_wanted = args.format == super::person::Format::Json;
    let Some(name) = &args.name else {
        if json_wanted {
            let all: Vec<RegionJson> = regions.all().iter().map(json).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
            return Ok(());
        }
        let rows: Vec<Vec<String>> = regions
            .all()
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.m49.clone().unwrap_or_default(),
                    r.members.len().to_string(),
                    if r.url.is_empty() {
                        r.source.clone()
                    } else {
                        r.url.clone()
                    },
                ]
            })
            .collect();
        out.write_all(table::render(&["REGION", "M49", "COUNTRIES", "SOURCE"], &rows).as_bytes())?;
        return Ok(());
    };
    let region = regions.find(name).map_err(super::CliError::Refused)?;
    if json_wanted {
        writeln!(out, "{}", serde_json::to_string_pretty(&json(region))?)?;
        return Ok(());
    }
    let code = region
        .m49
        .as_deref()
        .map(|c| format!(" (M49 {c})"))
        .unwrap_or_default();
    writeln!(
        out,
        "{}{code}: {} countries",
        region.name,
        region.members.len()
    )?;
    writeln!(out, "Source: {}", region.source)?;
    if !region.url.is_empty() {
        writeln!(out, "        {}", region.url)?;
    }
    if !region.note.is_empty() {
        writeln!(out, "Added: {}", region.note)?;
    }
    writeln!(out)?;
    let rows: Vec<Vec<String>> = region
        .members
        .iter()
        .map(|c| vec![c.code().to_string(), c.name().to_string()])
        .collect();
    out.write_all(table::align(&rows).as_bytes())?;
    Ok(())
}
