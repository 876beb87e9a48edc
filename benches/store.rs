//! The review database and note anchoring at the size of a long-lived install, in one run.
//!
//! Builds a database of 100,000 notes over 1,000 reviews (realistic anchors and markdown
//! bodies, written through `Store::add_thread`), then measures, over 1,000 samples each:
//!
//! 1. saving one note (`Store::add_thread`) into it;
//! 2. loading one review's notes (`Store::threads`, about 100 threads);
//! 3. re-anchoring 1,000 notes across a revision (`notes::place_all`) on 50 Rust-like files of
//!    400 lines, where the new revision inserts lines above, edits some functions, reformats
//!    one, moves one to the end and deletes one in each file. The files are prepared before;
//!    only the placing is timed.
//!
//!     cargo bench --bench store
//!
//! Target (issue): saving a note ≤ 5 ms. Figures are printed, not asserted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use redline::notes::anchor::{place_all, Placer};
use redline::notes::{
    capture, AnchorSide, Author, NoteAnchor, NoteKind, Placement, SideFile, SymbolSpan,
};
use redline::store::Store;

const REVIEWS: usize = 1_000;
const NOTES: usize = 100_000;
const SAMPLES: usize = 1_000;
const FILES: usize = 50;
const FUNCTIONS_PER_FILE: usize = 40; // 10 lines each: 400 lines
const ANCHORS: usize = 1_000;

fn main() {
    let mut rng = XorShift(0x5107_e5ee_d000_0001);
    let (old, new) = revisions(&mut rng);
    let old_files: Vec<SideFile<'_>> = old.iter().map(GenFile::side_file).collect();
    let new_files: Vec<SideFile<'_>> = new.iter().map(GenFile::side_file).collect();
    let anchors = anchors(&old_files, &mut rng);

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let author = Author {
        name: "Ada Reviewer".into(),
        email: "ada@example.com".into(),
    };
    let started = Instant::now();
    let reviews = build(&store, &anchors, &author, &mut rng);
    let built = started.elapsed();
    let bytes: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    println!(
        "built {NOTES} notes over {REVIEWS} reviews in {:.1} s ({:.0} µs per note), {:.1} MB on disk",
        built.as_secs_f64(),
        built.as_secs_f64() * 1e6 / NOTES as f64,
        bytes as f64 / 1e6
    );

    let save = samples(|| {
        let review = reviews[rng.below(REVIEWS)];
        let anchor = &anchors[rng.below(anchors.len())];
        let body = body(&mut rng);
        let started = Instant::now();
        std::hint::black_box(
            store
                .add_thread(review, NoteKind::Comment, anchor, REVISION, &author, &body)
                .unwrap(),
        );
        started.elapsed()
    });
    report("save note", &save, Some(5.0));

    let mut loaded = 0;
    let load = samples(|| {
        let review = reviews[rng.below(REVIEWS)];
        let started = Instant::now();
        let threads = std::hint::black_box(store.threads(review).unwrap());
        let took = started.elapsed();
        loaded += threads.len();
        took
    });
    report("load one review's notes", &load, None);
    println!(
        "  ({:.0} threads per review on average)",
        loaded as f64 / SAMPLES as f64
    );

    let placements = place_all(&anchors, &new_files);
    let count = |f: fn(&Placement) -> bool| placements.iter().filter(|p| f(p)).count();
    let place = samples(|| {
        let started = Instant::now();
        std::hint::black_box(place_all(std::hint::black_box(&anchors), &new_files));
        started.elapsed()
    });
    report("re-anchor 1,000 notes", &place, None);
    println!(
        "  ({FILES} files of {} lines; placed: {} current, {} changed, {} outdated)",
        new_files[0].lines.len(),
        count(|p| matches!(p, Placement::Current { .. })),
        count(|p| matches!(p, Placement::Changed { .. })),
        count(|p| matches!(p, Placement::Outdated)),
    );
    by_outcome(&anchors, &new_files);
}

/// Where re-anchoring spends its time: each note placed alone (files indexed once), by outcome.
fn by_outcome(anchors: &[NoteAnchor], files: &[SideFile<'_>]) {
    let placer = Placer::new(files);
    let mut times: [(u32, Duration, Duration); 3] = [(0, Duration::ZERO, Duration::ZERO); 3];
    for _ in 0..10 {
        for anchor in anchors {
            let started = Instant::now();
            let placement = std::hint::black_box(placer.place(anchor));
            let took = started.elapsed();
            let slot = &mut times[match placement {
                Placement::Current { .. } => 0,
                Placement::Changed { .. } => 1,
                Placement::Outdated => 2,
            }];
            slot.0 += 1;
            slot.1 += took;
            slot.2 = slot.2.max(took);
        }
    }
    for ((n, total, max), what) in times.iter().zip(["current", "changed", "outdated"]) {
        if *n > 0 {
            println!(
                "  per {what} note: mean {:.1} µs, max {:.1} µs",
                total.as_secs_f64() * 1e6 / f64::from(*n),
                max.as_secs_f64() * 1e6
            );
        }
    }
}

const REVISION: &str =
    "4b825dc642cb6eb9a060e54bf8d69288fbee4904:9daeafb9864cf43055ae93beb0afd6c7d144bfa4";

/// Writes [`NOTES`] notes spread over [`REVIEWS`] reviews (of 50 repositories), interleaved
/// as they would be over months of use. Returns the review ids.
fn build(store: &Store, anchors: &[NoteAnchor], author: &Author, rng: &mut XorShift) -> Vec<i64> {
    let mut reviews = Vec::with_capacity(REVIEWS);
    for r in 0..REVIEWS {
        let repo = store
            .identify_repo(
                &format!("/home/ada/src/project-{}", r % 50),
                &[format!("{:040x}", r % 50 + 1)],
            )
            .unwrap();
        let target = match r / 50 {
            0 => "worktree".to_owned(),
            n => format!("{:040x}", n * 7919),
        };
        reviews.push(store.review_id(repo, &target).unwrap());
    }
    for n in 0..NOTES {
        let kind = NoteKind::ALL[rng.below(4)];
        store
            .add_thread(
                reviews[n % REVIEWS],
                kind,
                &anchors[rng.below(anchors.len())],
                REVISION,
                author,
                &body(rng),
            )
            .unwrap();
    }
    reviews
}

/// A markdown note body of 60 to 600 characters.
fn body(rng: &mut XorShift) -> String {
    const SENTENCES: [&str; 8] = [
        "The discount is applied before shipping; is that intended?",
        "This `unwrap()` panics when the cart is empty.",
        "Consider returning a `Result` so the caller can show the error.",
        "**Must fix:** the refund keeps the fees.",
        "Why a `Vec` here? A `HashMap` keyed by SKU avoids the linear search.",
        "Nice: the rounding now matches the invoice.",
        "See `orders::total` for the same computation done right.",
        "- [ ] add a test for a zero quantity\n- [ ] and for a negative price",
    ];
    let mut body = String::new();
    for _ in 0..1 + rng.below(8) {
        body.push_str(SENTENCES[rng.below(SENTENCES.len())]);
        body.push(' ');
    }
    body.trim_end().to_owned()
}

/// Runs `sample` [`SAMPLES`] times (after 20 warm-up runs) and returns the times, sorted.
fn samples(mut sample: impl FnMut() -> Duration) -> Vec<Duration> {
    for _ in 0..20 {
        sample();
    }
    let mut times: Vec<Duration> = (0..SAMPLES).map(|_| sample()).collect();
    times.sort();
    times
}

fn report(what: &str, sorted: &[Duration], target_ms: Option<f64>) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p50 = ms(sorted[sorted.len() / 2]);
    let p99 = ms(sorted[sorted.len() * 99 / 100]);
    let target = target_ms.map_or(String::new(), |t| format!(" (target ≤ {t} ms)"));
    println!(
        "{what}: p50 {p50:.3} ms, p99 {p99:.3} ms, max {:.3} ms over {} samples{target}",
        ms(sorted[sorted.len() - 1]),
        sorted.len()
    );
}

// ---- two revisions of 50 files ----------------------------------------------------------------

/// One generated file: its text and its functions' line spans.
struct GenFile {
    path: String,
    text: String,
    symbols: Vec<SymbolSpan>,
}

impl GenFile {
    fn side_file(&self) -> SideFile<'_> {
        SideFile {
            path: &self.path,
            lines: self.text.lines().collect(),
            hunks: Vec::new(),
            symbols: self.symbols.clone(),
        }
    }
}

/// A function of 10 lines: doc comment, signature, seven statements, closing brace.
fn function(file: usize, f: usize, edited: bool, spaced: bool) -> Vec<String> {
    let name = format!("settle_{file}_{f}");
    let limit = if edited { 250 + f } else { 100 + f };
    let lines = vec![
        format!("/// Settles the invoices of batch {file}-{f} and returns what is still owed."),
        format!("pub fn {name}(ledger: &mut Ledger, batch: &[Invoice]) -> Result<u64, SettleError> {{"),
        format!("    let mut owed_{f} = 0u64;"),
        format!("    for invoice in batch.iter().filter(|i| i.amount > {limit}) {{"),
        format!("        let paid = ledger.payments_for(invoice.id)?.iter().map(|p| p.amount).sum::<u64>();"),
        format!("        owed_{f} += invoice.amount.saturating_sub(paid);"),
        format!("        ledger.record(invoice.id, \"{name}\", paid)?;"),
        "    }".to_owned(),
        format!("    Ok(owed_{f})"),
        "}".to_owned(),
    ];
    if spaced {
        // A reformat: same tokens, other whitespace.
        lines
            .into_iter()
            .map(|l| l.replace(" = ", "=").replace(", ", ","))
            .collect()
    } else {
        lines
    }
}

fn gen_file(path: String, functions: Vec<Vec<String>>, header: usize) -> GenFile {
    let mut text = String::new();
    let mut symbols = Vec::new();
    for h in 0..header {
        text.push_str(&format!("use crate::ledger::part_{h}::*;\n"));
    }
    let mut line = header as u32;
    for lines in functions {
        let name = lines[1]
            .split(['(', ' '])
            .nth(2)
            .unwrap_or("settle")
            .to_owned();
        symbols.push(SymbolSpan {
            path: format!("fn {name}"),
            start: line + 1,
            end: line + lines.len() as u32,
        });
        line += lines.len() as u32;
        for l in lines {
            text.push_str(&l);
            text.push('\n');
        }
    }
    GenFile {
        path,
        text,
        symbols,
    }
}

/// The previous and the current revision of the files.
fn revisions(rng: &mut XorShift) -> (Vec<GenFile>, Vec<GenFile>) {
    let mut old = Vec::new();
    let mut new = Vec::new();
    for file in 0..FILES {
        let path = format!("src/billing/settle_{file}.rs");
        let before: Vec<Vec<String>> = (0..FUNCTIONS_PER_FILE)
            .map(|f| function(file, f, false, false))
            .collect();
        old.push(gen_file(path.clone(), before, 0));

        let edited: Vec<usize> = (0..3).map(|_| rng.below(FUNCTIONS_PER_FILE)).collect();
        let spaced = rng.below(FUNCTIONS_PER_FILE);
        let deleted = rng.below(FUNCTIONS_PER_FILE);
        let moved = rng.below(FUNCTIONS_PER_FILE);
        let mut after: Vec<Vec<String>> = Vec::new();
        for f in 0..FUNCTIONS_PER_FILE {
            if f == deleted || f == moved {
                continue;
            }
            after.push(function(file, f, edited.contains(&f), f == spaced));
        }
        if moved != deleted {
            after.push(function(file, moved, false, false));
        }
        new.push(gen_file(path, after, 5 + rng.below(16)));
    }
    (old, new)
}

/// [`ANCHORS`] notes on 1 to 3 lines at random places of the old files.
fn anchors(files: &[SideFile<'_>], rng: &mut XorShift) -> Vec<NoteAnchor> {
    (0..ANCHORS)
        .map(|n| {
            let file = &files[n % files.len()];
            let lines = file.lines.len() as u32;
            let start = 1 + rng.below(lines as usize - 3) as u32;
            let end = start + rng.below(3) as u32;
            capture(file, AnchorSide::New, start, end).unwrap()
        })
        .collect()
}

/// A tiny seeded random generator (xorshift64*), so runs are comparable.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}
