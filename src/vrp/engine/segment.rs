//! Route segments that concatenate in constant time (Vidal et al. 2013, "A hybrid genetic
//! algorithm with adaptive diversity management…"; the time-warp form of Vidal 2022 and
//! Wouda, Lan & Kool 2024): a segment of visits knows its distance, travel time, load, and the
//! duration, time warp and window of the earliest and latest start of its first service, so any
//! route made of existing pieces is evaluated without walking it.

use super::data::Data;

/// Load dimensions the engine carries inline (kg, litres, parcels).
pub const MAX_DIMS: usize = 3;

/// Time part of a segment. `early`/`late`: when its first service may start so that the rest
/// runs with the least waiting; `time_warp`: how much it must "travel back in time" to keep
/// every window (0 = feasible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dur {
    pub duration: i64,
    pub time_warp: i64,
    pub early: i64,
    pub late: i64,
}

impl Dur {
    #[inline]
    pub fn merge(a: &Dur, b: &Dur, edge: i64) -> Dur {
        let delta = a.duration - a.time_warp + edge;
        let wait = (b.early - delta - a.late).max(0);
        let warp = (a.early + delta - b.late).max(0);
        Dur {
            duration: a.duration + b.duration + edge + wait,
            time_warp: a.time_warp + b.time_warp + warp,
            early: (b.early - delta).max(a.early) - wait,
            late: (b.late - delta).min(a.late) + warp,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Seg {
    pub first: u32,
    pub last: u32,
    pub distance: i64,
    pub travel: i64,
    pub load: [i64; MAX_DIMS],
    pub dur: Dur,
}

impl Seg {
    /// `a` then `b`, joined by the edge from `a`'s last location to `b`'s first.
    #[inline]
    pub fn merge(data: &Data, a: &Seg, b: &Seg) -> Seg {
        let (dist, time) = data.edge(a.last as usize, b.first as usize);
        let mut load = a.load;
        for (l, m) in load.iter_mut().zip(b.load) {
            *l += m;
        }
        Seg {
            first: a.first,
            last: b.last,
            distance: a.distance + b.distance + dist,
            travel: a.travel + b.travel + time,
            load,
            dur: Dur::merge(&a.dur, &b.dur, time),
        }
    }

    #[inline]
    pub fn merge3(data: &Data, a: &Seg, b: &Seg, c: &Seg) -> Seg {
        Seg::merge(data, &Seg::merge(data, a, b), c)
    }
}

/// What a route costs under the current penalties: its own cost plus penalties for excess
/// load and time warp (the search allows both, at a price, and steers back to feasibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Penalties {
    pub load: i64,
    pub time_warp: i64,
}

/// Excess load of a whole route over the vehicle's capacity, summed over dimensions.
#[inline]
pub fn excess(load: &[i64; MAX_DIMS], capacity: &[i64; MAX_DIMS]) -> i64 {
    load.iter().zip(capacity).map(|(l, c)| (l - c).max(0)).sum()
}
