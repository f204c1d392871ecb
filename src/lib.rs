//! attache: a record of envoy meetings, delegations and talks, with the counts the press uses.

pub mod domain;
pub mod store;
pub mod report;
pub mod interchange;
