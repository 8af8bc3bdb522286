//! Makes the SDF glyph PBFs the map's labels need, from Debian's `fonts-noto-core`
//! (`make glyphs`; the output is committed under `ui/public/glyphs/` and ships inside the app,
//! so no glyph request ever leaves the machine).
//!
//! `aidmap-glyphs FONT.ttf... --out DIR` writes `DIR/<family style>/<start>-<end>.pbf` for every
//! 256-codepoint range in which the font has at least one glyph.

use std::path::PathBuf;

use pbf_font_tools::freetype::Library;
use pbf_font_tools::prost::Message;

/// MapLibre's glyph metrics: 24 px glyphs, SDF radius 8, cutoff 0.25 (as `fontnik` makes them).
const SIZE: usize = 24;
const RADIUS: usize = 8;
const CUTOFF: f64 = 0.25;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out_at = args.iter().position(|a| a == "--out").ok_or("usage: aidmap-glyphs FONT.ttf... --out DIR")?;
    let out = PathBuf::from(args.get(out_at + 1).ok_or("--out needs a directory")?);
    let fonts: Vec<&String> =
        args.iter().enumerate().filter(|(i, _)| *i != out_at && *i != out_at + 1).map(|(_, a)| a).collect();
    let lib = Library::init()?;
    for font in fonts {
        let face = lib.new_face(font, 0)?;
        let name = format!(
            "{} {}",
            face.family_name().ok_or("font without a family name")?,
            face.style_name().unwrap_or_else(|| "Regular".into())
        );
        let dir = out.join(&name);
        std::fs::create_dir_all(&dir)?;
        let (mut ranges, mut glyphs) = (0, 0);
        for start in (0u32..65536).step_by(256) {
            let end = start + 255;
            if !(start..=end).any(|c| face.get_char_index(c as usize).is_some_and(|i| i != 0)) {
                continue;
            }
            let stack = pbf_font_tools::glyph_range_for_face(&face, start, end, SIZE, RADIUS, CUTOFF)?;
            glyphs += stack.glyphs.len();
            let pbf = pbf_font_tools::Glyphs { stacks: vec![stack] };
            std::fs::write(dir.join(format!("{start}-{end}.pbf")), pbf.encode_to_vec())?;
            ranges += 1;
        }
        eprintln!("{name}: {glyphs} glyphs in {ranges} ranges");
    }
    Ok(())
}
