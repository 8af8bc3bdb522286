//! A seeded generator of mutual-aid instances (`mutual-aid-vrp/1`), after the description of
//! the benchmark's held-out set (`shared/bench/vrp/README.md`), written from that description:
//!
//! * a city of 20 × 20 km, one hub within 1 km of the centre, open 07:30–20:30;
//! * `max(6, n/40)` neighbourhoods with lognormal weights (σ = 1: some much harder hit) and a
//!   spread of 250–900 m; 10 % of stops scattered over the whole city (rural);
//! * `clamp(round(n/25), 10, 80)` drivers: car 10 / estate 16 / van 30 / truck 60 parcels
//!   (45/30/20/5 %), shifts starting 08:00–14:00 (half hours) lasting 3–8 h (half hours);
//! * stops: 1–8 parcels, 5–10 min service; 35 % with a 2, 3 or 4 h window between 09:00 and
//!   19:00 on the quarter hour (urgent ones open by 11:00); priority 1 urgent 15 %, 2 normal
//!   65 %, 3 low 20 % (optional, penalty 900–2700 s);
//! * then topped up: every capacity scaled (rounded up) until the fleet carries ≥ 1.25 × the
//!   required demand, and shifts lengthened by half hours, driver by driver (ends first, up to
//!   the hub's closing, then starts, down to its opening), until the drivers' hours inside the
//!   hub's hours are ≥ 1.5 × (service + 4 min per required stop). That does not prove that a
//!   feasible solution exists.
//!
//! Only integer arithmetic and IEEE additions, multiplications and divisions are used (no
//! `ln`/`exp`/`cos` from the platform's maths library), so a seed gives the same file on every
//! machine.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::io::mutual_aid::{Driver, Hub, Instance, StopSpec, Travel, DEFAULT_WINDOW, FORMAT};
use super::model::Time;

const CITY_M: i64 = 20_000;
const SPEED_MPS: f64 = 6.0;
const OPEN: Time = 7 * 3600 + 1800;
const CLOSE: Time = 20 * 3600 + 1800;
const HOUR: Time = 3600;
const HALF_HOUR: Time = 1800;
const QUARTER: Time = 900;

/// Vehicle kinds, capacities (parcels) and shares (%).
const VEHICLES: [(&str, i64, u32); 4] = [("car", 10, 45), ("estate", 16, 30), ("van", 30, 20), ("truck", 60, 5)];

struct Neighbourhood {
    x: f64,
    y: f64,
    spread: f64,
    weight: u32,
}

/// A mutual-aid instance of `n` stops; the same `(n, seed)` always gives the same instance.
pub fn generate(n: usize, seed: u64) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centre = CITY_M / 2;
    let hub = Hub {
        id: "hub".into(),
        x: (centre + rng.gen_range(-1000..=1000)) as f64,
        y: (centre + rng.gen_range(-1000..=1000)) as f64,
        open_s: OPEN,
        close_s: CLOSE,
    };
    let areas: Vec<Neighbourhood> = (0..(n / 40).max(6))
        .map(|_| Neighbourhood {
            x: rng.gen_range(2000..=18_000) as f64,
            y: rng.gen_range(2000..=18_000) as f64,
            spread: rng.gen_range(250..=900) as f64,
            weight: (exp(normal(&mut rng)) * 1000.0).round().max(1.0) as u32,
        })
        .collect();

    let mut stops = Vec::with_capacity(n);
    let mut scattered = 0;
    for k in 0..n {
        let (x, y, neighbourhood) = if rng.gen_range(0..100) < 10 {
            scattered += 1;
            (rng.gen_range(0..=CITY_M) as f64, rng.gen_range(0..=CITY_M) as f64, -1)
        } else {
            let a = choose(&mut rng, areas.iter().map(|a| a.weight));
            let area = &areas[a];
            let place =
                |c: f64, rng: &mut ChaCha8Rng| (c + area.spread * normal(rng)).round().clamp(0.0, CITY_M as f64);
            (place(area.x, &mut rng), place(area.y, &mut rng), a as i64)
        };
        let priority = match rng.gen_range(0..100) {
            0..=14 => 1,
            15..=79 => 2,
            _ => 3,
        };
        let demand = rng.gen_range(1..=8);
        let service_s = rng.gen_range(300..=600);
        let tw = if rng.gen_range(0..100) < 35 {
            let length = rng.gen_range(2..=4) * HOUR;
            let latest_open = if priority == 1 { 11 * HOUR } else { 19 * HOUR - length };
            let open = 9 * HOUR + QUARTER * rng.gen_range(0..=(latest_open - 9 * HOUR) / QUARTER);
            (open, open + length)
        } else {
            DEFAULT_WINDOW
        };
        let required = priority != 3;
        let penalty = if required { 0 } else { rng.gen_range(900..=2700) };
        stops.push(StopSpec {
            id: format!("s{:04}", k + 1),
            x,
            y,
            demand,
            service_s,
            tw: Some(tw),
            priority: Some(priority),
            required,
            penalty,
            neighbourhood: Some(neighbourhood),
        });
    }

    let count = ((n as f64 / 25.0).round() as usize).clamp(10, 80);
    let mut drivers: Vec<Driver> = (0..count)
        .map(|i| {
            let (kind, capacity, _) = VEHICLES[choose(&mut rng, VEHICLES.iter().map(|v| v.2))];
            let start = 8 * HOUR + HALF_HOUR * rng.gen_range(0..=12);
            let length = 3 * HOUR + HALF_HOUR * rng.gen_range(0..=10);
            Driver {
                id: format!("d{:02}", i + 1),
                vehicle: Some(kind.into()),
                capacity,
                shift: (start, start + length),
            }
        })
        .collect();
    top_up(&mut drivers, &stops);

    Instance {
        format: FORMAT.into(),
        name: format!("ma-{n:04}-s{seed}"),
        seed: Some(seed),
        generator: json!({
            "n": n,
            "drivers": count,
            "neighbourhoods": areas.len(),
            "scattered": scattered,
            "by": "aidmap vrp generate",
        }),
        units: json!({
            "x,y": "metres",
            "times": "seconds since 00:00 of the planning day",
            "demand": "parcels",
        }),
        travel: Travel {
            rule: Some("travel_s(i,j) = round(hypot(xi-xj, yi-yj) / speed_mps)".into()),
            speed_mps: SPEED_MPS,
        },
        objective: json!(
            "minimise the sum of travel_s over all driven legs (hub -> stops -> hub) + the penalties of optional stops not served; every required stop served once, loads within capacity, service starting inside each window, back at the hub by min(shift end, hub close)"
        ),
        hub,
        drivers,
        stops,
    }
}

/// Capacity to ≥ 1.25 × required demand, driver hours to ≥ 1.5 × (service + 4 min) per
/// required stop (see the module's description).
fn top_up(drivers: &mut [Driver], stops: &[StopSpec]) {
    let required = stops.iter().filter(|s| s.required);
    let demand: i64 = required.clone().map(|s| s.demand).sum();
    let target = (5 * demand + 3) / 4;
    let fleet: i64 = drivers.iter().map(|d| d.capacity).sum();
    if fleet > 0 && fleet < target {
        for d in drivers.iter_mut() {
            d.capacity = (d.capacity * target + fleet - 1) / fleet;
        }
    }
    let work: Time = required.map(|s| s.service_s + 240).sum();
    let needed = (3 * work + 1) / 2;
    let usable = |d: &Driver| (d.shift.1.min(CLOSE) - d.shift.0.max(OPEN)).max(0);
    let mut hours: Time = drivers.iter().map(usable).sum();
    while hours < needed {
        let mut changed = false;
        for d in drivers.iter_mut() {
            if hours >= needed {
                break;
            }
            let before = usable(d);
            if d.shift.1 < CLOSE {
                d.shift.1 = (d.shift.1 + HALF_HOUR).min(CLOSE);
            } else if d.shift.0 > OPEN {
                d.shift.0 = (d.shift.0 - HALF_HOUR).max(OPEN);
            } else {
                continue;
            }
            hours += usable(d) - before;
            changed = true;
        }
        if !changed {
            break;
        }
    }
}

/// An index drawn with integer weights (their sum must be positive).
fn choose(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = u32> + Clone) -> usize {
    let total: u32 = weights.clone().sum();
    let mut pick = rng.gen_range(0..total.max(1));
    for (i, w) in weights.enumerate() {
        if pick < w {
            return i;
        }
        pick -= w;
    }
    0
}

/// A standard normal variate, approximately: the sum of 12 uniforms minus 6 (Irwin–Hall).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    (0..12).map(|_| rng.gen::<f64>()).sum::<f64>() - 6.0
}

/// `e^x` from additions, multiplications and divisions only (same bits on every platform):
/// a Taylor series of `x / 2^16`, squared 16 times. Relative error ≈ 1e-11 for |x| ≤ 6.
fn exp(x: f64) -> f64 {
    let y = x / 65_536.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=8 {
        term *= y / k as f64;
        sum += term;
    }
    (0..16).fold(sum, |e, _| e * e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_close_to_the_library_one() {
        for x in [-6.0, -1.0, 0.0, 0.5, 1.0, 3.0, 6.0] {
            assert!((exp(x) - f64::exp(x)).abs() <= 1e-9 * f64::exp(x), "{x}");
        }
    }
}
