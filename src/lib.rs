//! attache: a record of envoy meetings, delegations and talks, with the counts the press uses.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod interchange;
pub mod paths;
pub mod report;
pub mod store;
pub mod tui;
pub mod ui;
