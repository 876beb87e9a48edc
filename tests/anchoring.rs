//! Notes follow the code as an agent rewrites it. Each test is one realistic rewrite on a real
//! repository: the agent's first version is in the working tree, the reviewer writes notes on
//! it (`review::add_note`, a real SQLite file), the agent rewrites the files, and
//! `review::notes` must place every note where the test says: the same lines (maybe moved,
//! maybe in another file), the code that changed under it, or outdated with its snippet.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use redline::notes::{AnchorSide, NoteKind, Placement};
use redline::repo::Target;
use redline::review::{self, NewNote};
use redline::store::Store;
use support::TestRepo;

/// The base commit: an unrelated file only, so the agent's cart.rs is a whole new file.
const BASE: &str = "pub fn unrelated() -> u32 {\n    1\n}\n";

/// The agent's first version of src/cart.rs (line numbers matter: see the tests).
const V1: &str = "\
use std::collections::HashMap;

pub struct Cart {
    items: HashMap<String, u32>,
}

impl Cart {
    pub fn total(&self, prices: &HashMap<String, u32>) -> u32 {
        let mut total = 0;
        for (sku, count) in &self.items {
            let price = prices.get(sku).copied().unwrap_or(0);
            total += price * count;
        }
        total
    }

    pub fn apply_discount(&self, total: u32, percent: u32) -> u32 {
        let discount = total * percent / 100;
        total - discount
    }

    pub fn count(&self) -> usize {
        self.items.len()
    }
}
";

// Lines of V1 the tests write notes on.
const PRICE_LINE: u32 = 11; // `let price = prices.get(sku)…`
const DISCOUNT_LINE: u32 = 18; // `let discount = total * percent / 100;`
const DISCOUNT_SIGNATURE: u32 = 17; // `pub fn apply_discount(…)`
const COUNT_BODY: u32 = 22; // `self.items.len()`

struct Scenario {
    repo: TestRepo,
    _data: tempfile::TempDir,
    store: Store,
}

impl Scenario {
    /// A repository whose working tree holds the agent's `V1` of src/cart.rs, and a store.
    fn new() -> Scenario {
        let repo = TestRepo::new();
        repo.write("src/other.rs", BASE).commit("base");
        repo.write("src/cart.rs", V1);
        let data = tempfile::tempdir().unwrap();
        let store = Store::open(data.path()).unwrap();
        Scenario {
            repo,
            _data: data,
            store,
        }
    }

    /// Writes a must-fix note on new-side lines `start..=end` of `path`; returns its id.
    fn note(&self, path: &str, start: u32, end: u32) -> String {
        let placed = review::add_note(
            &self.store,
            &self.repo.path(),
            &Target::Worktree,
            &NewNote {
                path: path.into(),
                side: AnchorSide::New,
                start_line: start,
                end_line: end,
                kind: NoteKind::MustFix,
                body: format!("check lines {start}-{end}"),
            },
        )
        .unwrap();
        assert_eq!(
            placed.placement,
            current(path, start, end),
            "a new note sits where it was written"
        );
        placed.thread.id
    }

    /// Where the note `id` is placed now.
    fn placement(&self, id: &str) -> Placement {
        let report = review::notes(&self.store, &self.repo.path(), &Target::Worktree).unwrap();
        report
            .threads
            .into_iter()
            .find(|t| t.thread.id == id)
            .expect("the note is still listed")
            .placement
    }
}

fn current(path: &str, start: u32, end: u32) -> Placement {
    Placement::Current {
        path: path.into(),
        start_line: start,
        end_line: end,
    }
}

fn changed(path: &str, start: u32, end: u32) -> Placement {
    Placement::Changed {
        path: path.into(),
        start_line: start,
        end_line: end,
    }
}

#[test]
fn lines_inserted_above_move_the_note_down() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", PRICE_LINE, PRICE_LINE);
    let v2 = V1.replace(
        "use std::collections::HashMap;\n",
        "use std::collections::HashMap;\nuse std::fmt;\n\n/// Prices are in cents.\npub type Cents = u32;\n",
    );
    s.repo.write("src/cart.rs", v2);
    assert_eq!(
        s.placement(&id),
        current("src/cart.rs", PRICE_LINE + 4, PRICE_LINE + 4)
    );
}

#[test]
fn an_edit_inside_the_noted_line_keeps_the_note_there_as_changed() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE);
    let v2 = V1.replace(
        "let discount = total * percent / 100;",
        "let discount = total * percent.min(100) / 100;",
    );
    s.repo.write("src/cart.rs", v2);
    assert_eq!(
        s.placement(&id),
        changed("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE)
    );
}

#[test]
fn a_function_moved_within_the_file_takes_its_note_along() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE + 1);
    // apply_discount moves below count.
    let apply = "    pub fn apply_discount(&self, total: u32, percent: u32) -> u32 {
        let discount = total * percent / 100;
        total - discount
    }

";
    let v2 = V1.replace(apply, "").replace(
        "        self.items.len()\n    }\n",
        &format!(
            "        self.items.len()\n    }}\n\n{}",
            apply.trim_end_matches('\n')
        ),
    );
    let v2 = format!("{}\n", v2.trim_end_matches('\n'));
    s.repo.write("src/cart.rs", &v2);
    let line = v2.lines().position(|l| l.contains("let discount")).unwrap() as u32 + 1;
    assert_ne!(
        line, DISCOUNT_LINE,
        "the test must really move the function"
    );
    assert_eq!(s.placement(&id), current("src/cart.rs", line, line + 1));
}

#[test]
fn a_function_moved_to_another_file_takes_its_note_along() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE + 1);
    let apply = "    pub fn apply_discount(&self, total: u32, percent: u32) -> u32 {
        let discount = total * percent / 100;
        total - discount
    }

";
    s.repo.write("src/cart.rs", V1.replace(apply, ""));
    s.repo.write(
        "src/pricing.rs",
        "use crate::cart::Cart;\n\nimpl Cart {\n    pub fn apply_discount(&self, total: u32, percent: u32) -> u32 {\n        let discount = total * percent / 100;\n        total - discount\n    }\n}\n",
    );
    assert_eq!(s.placement(&id), current("src/pricing.rs", 5, 6));
}

#[test]
fn a_renamed_function_keeps_notes_on_its_body_and_follows_its_signature() {
    let s = Scenario::new();
    let body = s.note("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE);
    let signature = s.note("src/cart.rs", DISCOUNT_SIGNATURE, DISCOUNT_SIGNATURE);
    s.repo.write(
        "src/cart.rs",
        V1.replace("pub fn apply_discount(", "pub fn discounted("),
    );
    assert_eq!(
        s.placement(&body),
        current("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE)
    );
    assert_eq!(
        s.placement(&signature),
        changed("src/cart.rs", DISCOUNT_SIGNATURE, DISCOUNT_SIGNATURE)
    );
}

#[test]
fn a_deleted_function_leaves_its_note_outdated_with_its_snippet() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE + 1);
    let apply = "    pub fn apply_discount(&self, total: u32, percent: u32) -> u32 {
        let discount = total * percent / 100;
        total - discount
    }

";
    s.repo.write("src/cart.rs", V1.replace(apply, ""));
    let report = review::notes(&s.store, &s.repo.path(), &Target::Worktree).unwrap();
    let thread = report.threads.iter().find(|t| t.thread.id == id).unwrap();
    assert_eq!(thread.placement, Placement::Outdated);
    assert_eq!(
        thread.thread.anchor.lines,
        [
            "        let discount = total * percent / 100;",
            "        total - discount"
        ]
    );
}

#[test]
fn a_reformat_that_splits_a_line_keeps_the_note_on_the_same_code() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", PRICE_LINE, PRICE_LINE);
    s.repo.write(
        "src/cart.rs",
        V1.replace(
            "            let price = prices.get(sku).copied().unwrap_or(0);\n",
            "            let price = prices\n                .get(sku)\n                .copied()\n                .unwrap_or(0);\n",
        ),
    );
    assert_eq!(
        s.placement(&id),
        current("src/cart.rs", PRICE_LINE, PRICE_LINE + 3)
    );
}

#[test]
fn a_reindented_block_keeps_its_note() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE + 1);
    // Tabs for spaces: the same code, another layout.
    s.repo.write(
        "src/cart.rs",
        V1.replace(
            "        let discount = total * percent / 100;\n        total - discount\n",
            "\t\tlet discount = total * percent / 100;\n\t\ttotal - discount\n",
        ),
    );
    assert_eq!(
        s.placement(&id),
        current("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE + 1)
    );
}

#[test]
fn a_line_duplicated_elsewhere_does_not_pull_the_note_away() {
    let s = Scenario::new();
    let id = s.note("src/cart.rs", PRICE_LINE, PRICE_LINE);
    // The agent copies the same line into a new method above `total`, shifting it down.
    let copy = "    pub fn price_of(&self, sku: &String, prices: &HashMap<String, u32>) -> u32 {
            let price = prices.get(sku).copied().unwrap_or(0);
        price
    }

";
    let v2 = V1.replace("impl Cart {\n", &format!("impl Cart {{\n{copy}"));
    s.repo.write("src/cart.rs", &v2);
    let shift = copy.lines().count() as u32;
    assert_eq!(
        s.placement(&id),
        current("src/cart.rs", PRICE_LINE + shift, PRICE_LINE + shift)
    );
}

#[test]
fn a_file_rewritten_whole_leaves_its_notes_outdated() {
    let s = Scenario::new();
    let price = s.note("src/cart.rs", PRICE_LINE, PRICE_LINE);
    let count = s.note("src/cart.rs", COUNT_BODY, COUNT_BODY);
    s.repo.write(
        "src/cart.rs",
        "//! A cart, rewritten around a Vec.\n\npub struct Cart(pub Vec<(String, u32, u32)>);\n\nimpl Cart {\n    pub fn sum(&self) -> u32 {\n        self.0.iter().map(|(_, p, n)| p * n).sum()\n    }\n}\n",
    );
    assert_eq!(s.placement(&price), Placement::Outdated);
    assert_eq!(s.placement(&count), Placement::Outdated);
}

#[test]
fn a_note_in_an_untouched_hunk_stays_when_another_part_changes() {
    let s = Scenario::new();
    // The file is committed, then the agent edits two separate places.
    s.repo.commit("cart");
    let v1 = V1
        .replace("let mut total = 0;", "let mut total: u32 = 0;")
        .replace("self.items.len()", "self.items.values().count()");
    s.repo.write("src/cart.rs", &v1);
    let id = s.note("src/cart.rs", 9, 9);
    // The agent then rewrites the other hunk only, and adds a line above the noted one.
    let v2 = v1
        .replace("self.items.values().count()", "self.items.keys().len()")
        .replace(
            "use std::collections::HashMap;\n",
            "use std::collections::HashMap;\nuse std::fmt;\n",
        );
    s.repo.write("src/cart.rs", v2);
    assert_eq!(s.placement(&id), current("src/cart.rs", 10, 10));
}

#[test]
fn a_note_on_a_closing_brace_does_not_jump_to_another_brace() {
    let s = Scenario::new();
    // Line 15 is `    }` closing `total`; line 16 is blank, line 14 is `total`.
    let id = s.note("src/cart.rs", 15, 15);
    // `total` is deleted whole: the brace's context is gone.
    let total = "    pub fn total(&self, prices: &HashMap<String, u32>) -> u32 {
        let mut total = 0;
        for (sku, count) in &self.items {
            let price = prices.get(sku).copied().unwrap_or(0);
            total += price * count;
        }
        total
    }

";
    s.repo.write("src/cart.rs", V1.replace(total, ""));
    assert_eq!(s.placement(&id), Placement::Outdated);
}

#[test]
fn a_note_on_removed_code_stays_on_the_old_side() {
    let s = Scenario::new();
    s.repo.commit("cart");
    s.repo.write(
        "src/cart.rs",
        V1.replace(
            "        let discount = total * percent / 100;\n        total - discount\n",
            "        total - total * percent / 100\n",
        ),
    );
    let placed = review::add_note(
        &s.store,
        &s.repo.path(),
        &Target::Worktree,
        &NewNote {
            path: "src/cart.rs".into(),
            side: AnchorSide::Old,
            start_line: DISCOUNT_LINE,
            end_line: DISCOUNT_LINE,
            kind: NoteKind::Question,
            body: "why was this removed?".into(),
        },
    )
    .unwrap();
    // The agent adds a line above: the old side (HEAD) is unchanged, so is the note.
    s.repo.write(
        "src/cart.rs",
        format!(
            "// cart\n{}",
            V1.replace(
                "        let discount = total * percent / 100;\n        total - discount\n",
                "        total - total * percent / 100\n"
            )
        ),
    );
    assert_eq!(
        s.placement(&placed.thread.id),
        current("src/cart.rs", DISCOUNT_LINE, DISCOUNT_LINE)
    );
}

#[test]
fn a_deleted_match_arm_does_not_land_on_its_neighbour() {
    let s = Scenario::new();
    let v1 = "\
pub enum Discount {
    Fixed(u32),
    Percent(u32),
    Coupon { code: String },
}

pub fn apply(discount: &Discount, subtotal: u32) -> u32 {
    match discount {
        Discount::Fixed(amount) => *amount,
        Discount::Percent(percent) => subtotal * percent / 100,
        Discount::Coupon { .. } => 0,
    }
}
";
    s.repo.write("src/discount.rs", v1);
    let id = s.note("src/discount.rs", 11, 11);
    // The agent drops coupons: the arm goes, its neighbours (same shape, same context) stay.
    s.repo.write(
        "src/discount.rs",
        v1.replace("    Coupon { code: String },\n", "")
            .replace("        Discount::Coupon { .. } => 0,\n", ""),
    );
    assert_eq!(s.placement(&id), Placement::Outdated);
}
