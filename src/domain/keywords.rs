//! The closed sets of words an event is described by: its kind, its mode and how firm the record
//! of it is.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a closed set of lowercase keywords with parsing and display, so that the CLI, the
/// store and the files all spell each value the same way.
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                // Stored words, read back by the hundred thousand in an export, are spelled
                // as `as_str` spells them: found as they are, without a folded copy.
                if let Some(exact) = $name::ALL.iter().copied().find(|v| v.as_str() == text) {
                    return Ok(exact);
                }
                let wanted = text.trim().to_lowercase().replace([' ', '_'], "-");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("unknown {} (expected one of: {})", $what, names.join(", "))
                    })
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

keyword_enum!(
    /// What an event was. A stopover is a stop on the way somewhere else (refuelling,
    /// transit): part of a trip, never a visit and never a meeting.
    Kind, "kind" {
    Meeting => "meeting",
    Talks => "talks",
    Visit => "visit",
    Summit => "summit",
    Call => "call",
    Stopover => "stopover",
    Other => "other",
});

keyword_enum!(Mode, "mode" {
    InPerson => "in-person",
    Phone => "phone",
    Video => "video",
});

keyword_enum!(
    /// How firm the record is. Only reported and confirmed events count as having happened.
    Status, "status" {
    Planned => "planned",
    Reported => "reported",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
});

impl Kind {
    /// The mode an event of this kind takes unless told otherwise: a call is by phone.
    pub fn usual_mode(self) -> Mode {
        match self {
            Kind::Call => Mode::Phone,
            _ => Mode::InPerson,
        }
    }
}

impl Status {
    pub fn happened(self) -> bool {
        matches!(self, Status::Reported | Status::Confirmed)
    }
}

impl Mode {
    /// The noun used in ordinal sentences: "3rd face-to-face meeting", "8th phone call".
    pub fn meeting_noun(self) -> &'static str {
        match self {
            Mode::InPerson => "face-to-face meeting",
            Mode::Phone => "phone call",
            Mode::Video => "video call",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_parse_leniently_and_name_the_choices_when_wrong() {
        assert_eq!("In Person".parse::<Mode>(), Ok(Mode::InPerson));
        assert_eq!("CANCELLED".parse::<Status>(), Ok(Status::Cancelled));
        let err = "dinner".parse::<Kind>().unwrap_err();
        assert!(
            err.contains("meeting, talks, visit, summit, call, stopover, other"),
            "{err}"
        );
    }

    /// Each value reads back from its own spelling, the path every stored word takes.
    #[test]
    fn every_keyword_reads_back_from_its_own_spelling() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>(), Ok(*kind));
        }
        for mode in Mode::ALL {
            assert_eq!(mode.as_str().parse::<Mode>(), Ok(*mode));
        }
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(*status));
        }
    }
}
