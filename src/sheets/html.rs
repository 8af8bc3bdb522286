//! A phone-friendly route sheet: one self-contained HTML file per run (inline style and script,
//! no external requests) with tap-to-call, tap-to-navigate and item checkboxes and outcomes kept
//! in the page's local storage, so it can be sent by any messenger and used offline.

use std::fmt::Write as _;
use std::io::Write;

use super::{links, Sheet};
use crate::error::Result;

/// User text as an isolated run (`<bdi>`): a U+202E in an address once reversed the rest of
/// the line, and a right-to-left name must not reorder the words around it.
pub fn bdi(s: &str) -> String {
    format!("<bdi>{}</bdi>", esc(s))
}

/// Escapes text for HTML content and attribute values (the five characters HTML gives meaning
/// to; a dependency for this would be larger than the function).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:18px/1.4 system-ui,sans-serif;margin:0;padding:12px;background:#f6f7f9;color:#111}
h1{font-size:22px;margin:0 0 4px}.meta{color:#444;font-size:15px}.destroy{background:#fff3cd;padding:6px 8px;border-radius:6px;font-size:14px;margin:8px 0}
.legs a{display:inline-block;margin:4px 6px 4px 0;padding:8px 12px;background:#1f5f8b;color:#fff;border-radius:8px;text-decoration:none;font-size:15px}
.stop{background:#fff;border-radius:10px;padding:12px;margin:12px 0;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.stop h2{font-size:20px;margin:0}.num{display:inline-block;min-width:1.6em;text-align:center;background:#111;color:#fff;border-radius:50%;margin-right:6px}
.eta{float:right;font-weight:700}.addr{margin:4px 0}.flag{display:inline-block;background:#e8f0fe;border-radius:4px;padding:0 6px;margin-right:4px;font-size:14px}
.actions a{display:inline-block;margin:6px 8px 6px 0;padding:10px 14px;border:2px solid #1f5f8b;border-radius:8px;color:#1f5f8b;text-decoration:none;font-weight:600}
label{display:block;padding:6px 0}input[type=checkbox],input[type=radio]{transform:scale(1.5);margin-right:10px}
.outcome{border-top:1px solid #ddd;margin-top:8px;padding-top:6px}.outcome label{display:inline-block;margin-right:14px}
textarea{width:100%;font:inherit;min-height:2.5em;box-sizing:border-box}.near{color:#444;font-size:15px}
.apps{font-size:14px;color:#444}.apps a{color:#1f5f8b;margin-right:8px}";

const SCRIPT: &str = "(function(){var k='aidmap-sheet-'+document.body.dataset.run;var s={};try{s=JSON.parse(localStorage.getItem(k)||'{}')}catch(e){}
document.querySelectorAll('[data-key]').forEach(function(el){var v=s[el.dataset.key];
if(el.type==='checkbox'||el.type==='radio'){if(v!==undefined)el.checked=(el.type==='radio'?v===el.value:v);}else if(v!==undefined){el.value=v;}
el.addEventListener('change',function(){s[el.dataset.key]=el.type==='checkbox'?el.checked:el.value;try{localStorage.setItem(k,JSON.stringify(s))}catch(e){}});});})();";

pub fn render(sheet: &Sheet) -> String {
    let w = super::Words::of(sheet.language);
    let mut h = String::new();
    let title = w.title(sheet.run_number, &sheet.day);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body data-run=\"{}\">",
        sheet.language.code(),
        esc(&title),
        esc(&sheet.run_id)
    );
    let _ = write!(
        h,
        "<h1>{}</h1><div class=\"meta\">{} · {} · {}: {}{}<br>{}–{} · {:.1} km · {} {}</div>",
        esc(&title),
        bdi(&sheet.driver),
        bdi(&sheet.vehicle),
        w.loads_at,
        bdi(&sheet.depot),
        if sheet.depot_address.is_empty() { String::new() } else { format!(", {}", bdi(&sheet.depot_address)) },
        esc(&sheet.start),
        esc(&sheet.end),
        sheet.distance_km,
        sheet.stops.len(),
        w.stops
    );
    let _ = write!(h, "<p class=\"destroy\">{}</p>", esc(&w.destroy(&sheet.destroy_after)));
    h.push_str("<div class=\"legs\">");
    for leg in links::google(sheet) {
        let (a, b) = (leg.stops.first().unwrap_or(&0), leg.stops.last().unwrap_or(&0));
        let _ = write!(h, "<a href=\"{}\">{} {a}–{b}</a>", esc(&leg.url), w.google_stops);
    }
    h.push_str("</div>");
    for s in &sheet.stops {
        let key = |what: &str| esc(&format!("{}-{what}", s.number));
        let _ = write!(
            h,
            "<section class=\"stop\" id=\"stop-{n}\"><h2><span class=\"num\">{n}</span>{alias}<span class=\"eta\">{eta}</span></h2><div class=\"addr\">{addr}</div>",
            n = s.number,
            alias = bdi(&s.alias),
            eta = esc(&s.eta),
            addr = bdi(&s.place())
        );
        if let Some(c) = &s.cross_street {
            let _ = write!(h, "<div class=\"near\">{} {}</div>", w.near, bdi(c));
        }
        if s.cold_chain {
            let _ = write!(h, "<span class=\"flag\">❄ {}</span>", w.cold_chain);
        }
        if s.medical_priority {
            let _ = write!(h, "<span class=\"flag\">✚ {}</span>", w.medical_priority);
        }
        if let Some(a) = &s.access_notes {
            let _ = write!(h, "<p>{}: {}</p>", w.access, bdi(a));
        }
        if let Some(n) = &s.driver_notes {
            let _ = write!(h, "<p>{}: {}</p>", w.for_driver, bdi(n));
        }
        h.push_str("<div class=\"actions\">");
        let _ = write!(h, "<a href=\"geo:{:.6},{:.6}\">{}</a>", s.lat, s.lon, w.navigate);
        if let Some(p) = &s.phone {
            let tel: String = p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
            let _ = write!(h, "<a href=\"tel:{}\">{} {}</a>", esc(&tel), w.call, bdi(p));
        }
        h.push_str("</div><div class=\"apps\">");
        let _ = write!(h, "{} ", w.open_in);
        for leg in links::for_stop(s) {
            let _ = write!(h, "<a href=\"{}\">{}</a> ", esc(&leg.url), links::app_name(leg.target));
        }
        h.push_str("</div>");
        for (i, item) in s.items.iter().enumerate() {
            let _ = write!(
                h,
                "<label><input type=\"checkbox\" data-key=\"{}\">{}</label>",
                key(&format!("item{i}")),
                esc(&item.text())
            );
        }
        h.push_str("<div class=\"outcome\">");
        for (value, label) in [("delivered", w.delivered), ("nobody_home", w.nobody_home), ("refused", w.refused)] {
            let _ = write!(
                h,
                "<label><input type=\"radio\" name=\"o{n}\" value=\"{value}\" data-key=\"{}\">{label}</label>",
                key("outcome"),
                n = s.number
            );
        }
        let _ = write!(
            h,
            "<textarea data-key=\"{}\" placeholder=\"{}\"></textarea></div></section>",
            key("notes"),
            w.notes
        );
    }
    let _ = write!(h, "<script>{SCRIPT}</script></body></html>");
    h
}

pub fn write(sheet: &Sheet, mut out: impl Write) -> Result<()> {
    out.write_all(render(sheet).as_bytes())?;
    Ok(())
}
