//! A place in a series ("the 3rd"), certain or, where imprecise dates overlap, a range.

/// A position that is certain (`low == high`) or, where dates known only to the month or year
/// overlap, a range of possible positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ordinal {
    pub low: usize,
    pub high: usize,
}

impl Ordinal {
    /// "3rd", "3rd or 4th", "3rd to 5th".
    pub fn phrase(&self) -> String {
        match self.high - self.low {
            0 => ordinal_word(self.low),
            1 => format!("{} or {}", ordinal_word(self.low), ordinal_word(self.high)),
            _ => format!("{} to {}", ordinal_word(self.low), ordinal_word(self.high)),
        }
    }

    /// The short form for a badge: "3rd", "3rd-4th".
    pub fn badge(&self) -> String {
        if self.low == self.high {
            ordinal_word(self.low)
        } else {
            format!("{}-{}", ordinal_word(self.low), ordinal_word(self.high))
        }
    }
}

pub fn ordinal_word(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinal_words() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .iter()
            .map(|n| ordinal_word(*n))
            .collect();
        assert_eq!(
            words,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }
}
