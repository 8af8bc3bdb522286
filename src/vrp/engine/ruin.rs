//! Ruin and recreate (after Christiaens & Vanden Berghe 2020, "Slack induction by string
//! removals"): remove a few strings of consecutive clients from routes near a random client,
//! then put every removed client back where it costs least, in a random order of one of four
//! kinds, skipping each candidate position with a small probability ("blinks").

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::data::Data;
use super::route::NOWHERE;
use super::segment::Penalties;
use super::state::State;

/// Removes strings around a random routed client; returns the removed clients.
pub fn ruin(data: &Data, pen: &Penalties, s: &mut State, rng: &mut ChaCha8Rng, avg_removed: f64) -> Vec<usize> {
    let routed: Vec<usize> = (0..data.n()).filter(|&c| s.routed(c)).collect();
    let Some(&seed) = routed.choose(rng) else { return vec![] };
    let used = s.routes.iter().filter(|r| !r.is_empty()).count().max(1);
    let avg_len = routed.len() as f64 / used as f64;
    let l_max = 10f64.min(avg_len).max(1.0);
    let k_max = (4.0 * avg_removed / (1.0 + l_max) - 1.0).max(1.0);
    let strings = rng.gen_range(1.0..=k_max).floor() as usize;
    let mut ruined: Vec<u32> = Vec::new();
    let mut removed = Vec::new();
    for &c in std::iter::once(&(seed as u32)).chain(data.neighbours[seed].iter()) {
        if ruined.len() >= strings {
            break;
        }
        let (r, p) = s.at[c as usize];
        if r == NOWHERE || ruined.contains(&r) {
            continue;
        }
        ruined.push(r);
        let route = &s.routes[r as usize];
        let m = route.len();
        let len = rng.gen_range(1..=(l_max as usize).min(m));
        // A string of `len` positions containing `p`.
        let lo = (p as usize).saturating_sub(len - 1).max(1);
        let hi = (p as usize).min(m + 1 - len);
        let start = rng.gen_range(lo..=hi.max(lo));
        let mut clients = route.clients.clone();
        let taken: Vec<u32> = clients.drain(start - 1..start - 1 + len).collect();
        removed.extend(taken.iter().map(|&c| c as usize));
        for &t in &taken {
            s.at[t as usize] = (NOWHERE, 0);
        }
        s.set_route(data, pen, r as usize, clients);
    }
    removed
}

/// Puts `clients` back (optional ones only where that beats their penalty), plus any active
/// client left unrouted before.
pub fn recreate(data: &Data, pen: &Penalties, s: &mut State, rng: &mut ChaCha8Rng, mut clients: Vec<usize>) {
    let depot = data.vehicles.first().map(|v| v.start.first as usize).unwrap_or(0);
    match rng.gen_range(0..4) {
        0 => clients.shuffle(rng),
        1 => clients.sort_by_key(|&c| std::cmp::Reverse(data.clients[c].load.iter().sum::<i64>())),
        2 => clients.sort_by_key(|&c| std::cmp::Reverse(data.edge(depot, data.clients[c].first as usize).1)),
        _ => clients.sort_by_key(|&c| data.clients[c].dur.late - data.clients[c].dur.early),
    }
    let exhaustive = data.n() <= 300;
    for c in clients {
        if s.routed(c) {
            continue;
        }
        let found = s
            .best_insertion(data, pen, c, exhaustive, 0.01, rng)
            .or_else(|| s.best_insertion(data, pen, c, true, 0.0, rng));
        if let Some((delta, r, p)) = found {
            if data.required[c] || delta < data.penalty[c] {
                s.insert(data, pen, c, r, p);
            }
        }
    }
}
