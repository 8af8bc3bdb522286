//! Hybrid logical clock (Kulkarni et al., 2014): a reading is the wall-clock time in
//! milliseconds and a counter, so that every change made on any replica gets a reading that is
//! greater than every reading its replica had seen, yet stays close to real time. Merges order
//! concurrent changes by (reading, replica id); the text form sorts as the readings do.
//!
//! Time is a parameter: every function takes `now_ms`, the caller's clock.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// How far ahead of this machine's clock a reading from another replica may be. A laptop whose
/// clock is a day fast would otherwise win every conflict for a day; beyond this the change is
/// refused with a clear reason (fix that laptop's clock).
pub const MAX_DRIFT_MS: i64 = 24 * 60 * 60 * 1000;

/// The greatest counter within one millisecond (six digits in the text form).
pub const MAX_COUNTER: u32 = 999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch.
    pub ms: i64,
    /// Orders readings within one millisecond.
    pub counter: u32,
}

impl Hlc {
    /// The reading for a change made here now, after `last` (the greatest reading seen here).
    pub fn tick(last: Hlc, now_ms: i64) -> Hlc {
        if now_ms > last.ms {
            Hlc { ms: now_ms, counter: 0 }
        } else {
            Hlc { ms: last.ms, counter: last.counter + 1 }.carried()
        }
    }

    /// A counter past its six digits moves the reading to the next millisecond instead (the
    /// text form must keep sorting as the readings do).
    fn carried(self) -> Hlc {
        if self.counter > MAX_COUNTER {
            Hlc { ms: self.ms + 1, counter: 0 }
        } else {
            self
        }
    }

    /// The greatest reading seen here after receiving `remote` (a change from another
    /// replica): later than both `last` and `remote`. Refused when `remote` is more than
    /// `MAX_DRIFT_MS` ahead of `now_ms`.
    pub fn receive(last: Hlc, remote: Hlc, now_ms: i64) -> Result<Hlc> {
        if remote.ms > now_ms.saturating_add(MAX_DRIFT_MS) || remote.counter > MAX_COUNTER || remote.ms < 0 {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "hlc".into(),
                rule: crate::error::Rule::OutOfRange,
            }]));
        }
        let ms = now_ms.max(last.ms).max(remote.ms);
        let counter = if ms == last.ms && ms == remote.ms {
            last.counter.max(remote.counter) + 1
        } else if ms == last.ms {
            last.counter + 1
        } else if ms == remote.ms {
            remote.counter + 1
        } else {
            0
        };
        Ok(Hlc { ms, counter }.carried())
    }
}

/// `0001733389200000-000042`: fixed width, so text order is reading order.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016}-{:06}", self.ms, self.counter)
    }
}

impl FromStr for Hlc {
    type Err = Error;

    fn from_str(s: &str) -> Result<Hlc> {
        let bad = || Error::Corrupt(format!("not a clock reading: {:?}", s.chars().take(40).collect::<String>()));
        let (ms, counter) = s.split_once('-').ok_or_else(bad)?;
        if ms.len() != 16 || counter.len() != 6 {
            return Err(bad());
        }
        Ok(Hlc { ms: ms.parse().map_err(|_| bad())?, counter: counter.parse().map_err(|_| bad())? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_move_forward_even_when_the_clock_does_not() {
        let a = Hlc::tick(Hlc::default(), 1_000);
        assert_eq!(a, Hlc { ms: 1_000, counter: 0 });
        let b = Hlc::tick(a, 1_000);
        assert_eq!(b, Hlc { ms: 1_000, counter: 1 });
        // The clock went backwards (a laptop corrected by hand): still after.
        let c = Hlc::tick(b, 900);
        assert!(c > b);
        assert_eq!(Hlc::tick(c, 2_000), Hlc { ms: 2_000, counter: 0 });
    }

    #[test]
    fn receiving_orders_after_both_sides() {
        let last = Hlc { ms: 5_000, counter: 3 };
        for (remote, now) in [
            (Hlc { ms: 5_000, counter: 7 }, 4_000),
            (Hlc { ms: 6_000, counter: 0 }, 5_500),
            (Hlc { ms: 1_000, counter: 9 }, 5_000),
            (Hlc { ms: 1_000, counter: 9 }, 9_000),
        ] {
            let got = Hlc::receive(last, remote, now).unwrap();
            assert!(got > last && got > remote, "{got} after {last} and {remote}");
            assert!(got.ms <= now.max(last.ms).max(remote.ms));
        }
        let too_far = Hlc { ms: 10_000 + MAX_DRIFT_MS + 1, counter: 0 };
        assert!(Hlc::receive(last, too_far, 10_000).is_err());
        assert!(Hlc::receive(last, Hlc { ms: 5_000, counter: MAX_COUNTER + 1 }, 5_000).is_err());
        // A full millisecond carries into the next one, in order.
        let full = Hlc { ms: 7_000, counter: MAX_COUNTER };
        assert_eq!(Hlc::tick(full, 6_000), Hlc { ms: 7_001, counter: 0 });
        assert_eq!(Hlc::receive(last, full, 5_000).unwrap(), Hlc { ms: 7_001, counter: 0 });
        assert!(Hlc::tick(full, 6_000).to_string() > full.to_string());
    }

    #[test]
    fn the_text_form_sorts_like_the_readings_and_reads_back() {
        let mut readings = vec![
            Hlc { ms: 1_733_389_200_000, counter: 2 },
            Hlc { ms: 999, counter: 10 },
            Hlc { ms: 1_733_389_200_000, counter: 11 },
            Hlc { ms: 999, counter: 9 },
        ];
        let mut texts: Vec<String> = readings.iter().map(Hlc::to_string).collect();
        readings.sort();
        texts.sort();
        assert_eq!(texts, readings.iter().map(Hlc::to_string).collect::<Vec<_>>());
        for r in &readings {
            assert_eq!(r.to_string().parse::<Hlc>().unwrap(), *r);
        }
        for bad in ["", "12-3", "0000000000000999-00000x", "0000000000000999_000001"] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad:?}");
        }
    }
}
