//! The difference between two API surfaces, each change marked breaking or not.
//!
//! Only items exported on at least one side are compared: a change to a `pub(crate)` fn is
//! the crate's own business. The rules follow Rust's API evolution guidelines (RFC 1105 and
//! the Cargo book's SemVer chapter), with no type-level reasoning: any change to an exported
//! signature counts as breaking, even one that only loosens a bound, except the changes below
//! known to be compatible.
//!
//! Breaking:
//! - an exported item removed, or no longer exported (visibility narrowed, or its module or
//!   type made private);
//! - an exported signature changed: parameters, return type, generics, where-clause, type,
//!   qualifiers (except becoming `const fn`), a variant's fields, an impl's header;
//! - a required trait item (no default) added to an exported trait, or a default removed;
//! - a variant added to an exported enum that is not `#[non_exhaustive]`;
//! - a field (public or not) added to an exported struct whose fields were all public and
//!   which was not `#[non_exhaustive]`: outside code could build it with a struct literal and
//!   match it exhaustively, and no longer can;
//! - `#[non_exhaustive]` added to an exported type;
//! - a trait impl removed.
//!
//! Not breaking:
//! - an exported item added (including trait impls and provided trait items);
//! - visibility widened; an item becoming exported;
//! - a defaulted generic parameter appended to a type (`struct S<T, A = Global>`);
//! - parameter names changed; doc comments changed; a fn becoming `const`;
//! - a trait item gaining a default; `#[non_exhaustive]` removed;
//! - a field added to a struct that already had private fields or was `#[non_exhaustive]`.
//!
//! Not detected (documented limits): sealed traits (adding a required item to a sealed trait is
//! not breaking), what `pub use` re-exports resolve to, auto-trait changes (`Send`/`Sync`
//! leaking from private fields), and items whose module is declared `pub` in another file.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use specta::Type;

use super::surface::{ApiItem, ApiItemKind, ApiSurface, Shape};

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One changed item of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiChange {
    pub path: String,
    pub kind: ApiItemKind,
    pub change: ChangeKind,
    /// The old signature, with its visibility keyword; `None` when added.
    pub old: Option<String>,
    /// The new signature, with its visibility keyword; `None` when removed.
    pub new: Option<String>,
    /// Code outside the crate that compiled against the old side may not compile against
    /// the new one.
    pub breaking: bool,
    /// Why, in a sentence a reviewer can act on.
    pub reason: String,
    /// 1-based line on the new side (old side for removals).
    pub line: u32,
}

/// The API changes of one file, sorted by path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiDiff {
    pub changes: Vec<ApiChange>,
    /// How many of `changes` are breaking.
    pub breaking: u32,
}

impl ApiDiff {
    /// No exported item changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

type Key<'a> = (&'a str, ApiItemKind);

/// Compares the surfaces of the two sides of a file.
pub fn diff(old: &ApiSurface, new: &ApiSurface) -> ApiDiff {
    let index = |surface: &'_ ApiSurface| -> BTreeMap<(String, ApiItemKind), usize> {
        surface
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| ((item.path.clone(), item.kind), i))
            .collect()
    };
    let (old_index, new_index) = (index(old), index(new));
    let (old_items, new_items) = (by_key(old), by_key(new));
    let context = Context {
        old: &old_items,
        new: &new_items,
    };
    let mut changes = Vec::new();
    for ((path, kind), &i) in &old_index {
        let before = &old.items[i];
        match new_index.get(&(path.clone(), *kind)) {
            None if before.exported => changes.push(removed(before)),
            None => {}
            Some(&j) => changes.extend(changed(before, &new.items[j], &context)),
        }
    }
    for ((path, kind), &j) in &new_index {
        let after = &new.items[j];
        if after.exported && !old_index.contains_key(&(path.clone(), *kind)) {
            changes.push(added(after, &context));
        }
    }
    changes.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
    let breaking = changes.iter().filter(|c| c.breaking).count();
    ApiDiff {
        breaking: u32::try_from(breaking).unwrap_or(u32::MAX),
        changes,
    }
}

fn by_key(surface: &ApiSurface) -> HashMap<Key<'_>, &ApiItem> {
    surface
        .items
        .iter()
        .map(|item| ((item.path.as_str(), item.kind), item))
        .collect()
}

struct Context<'a> {
    old: &'a HashMap<Key<'a>, &'a ApiItem>,
    new: &'a HashMap<Key<'a>, &'a ApiItem>,
}

impl Context<'_> {
    /// The struct, enum, union or trait an item belongs to, on one side.
    fn parent<'s>(side: &HashMap<Key<'s>, &'s ApiItem>, item: &ApiItem) -> Option<&'s ApiItem> {
        let (parent, _) = item.path.rsplit_once("::")?;
        [
            ApiItemKind::Struct,
            ApiItemKind::Union,
            ApiItemKind::Enum,
            ApiItemKind::Trait,
        ]
        .iter()
        .find_map(|kind| side.get(&(parent, *kind)).copied())
    }

    /// An exported struct that outside code can build with a literal and match
    /// exhaustively: every field public, not `#[non_exhaustive]`.
    fn literal_struct<'s>(
        side: &HashMap<Key<'s>, &'s ApiItem>,
        field: &ApiItem,
    ) -> Option<&'s ApiItem> {
        Context::parent(side, field).filter(|parent| literal_struct(parent))
    }
}

fn shown(item: &ApiItem) -> String {
    match item.kind {
        // Their visibility is their parent's.
        ApiItemKind::Variant
        | ApiItemKind::TraitFn
        | ApiItemKind::TraitType
        | ApiItemKind::TraitConst
        | ApiItemKind::TraitImpl
        | ApiItemKind::Macro => item.signature.clone(),
        _ => match &item.context {
            Some(context) => format!(
                "{context} {{ {} {} }}",
                item.visibility.keyword(),
                item.signature
            ),
            None => format!("{} {}", item.visibility.keyword(), item.signature),
        },
    }
}

fn change(item: &ApiItem, kind: ChangeKind, breaking: bool, reason: String) -> ApiChange {
    ApiChange {
        path: item.path.clone(),
        kind: item.kind,
        change: kind,
        old: None,
        new: None,
        breaking,
        reason,
        line: item.line,
    }
}

fn noun(kind: ApiItemKind) -> &'static str {
    match kind {
        ApiItemKind::Fn => "fn",
        ApiItemKind::Struct => "struct",
        ApiItemKind::Union => "union",
        ApiItemKind::Field => "field",
        ApiItemKind::Enum => "enum",
        ApiItemKind::Variant => "enum variant",
        ApiItemKind::Trait => "trait",
        ApiItemKind::TraitFn => "trait method",
        ApiItemKind::TraitType => "trait associated type",
        ApiItemKind::TraitConst => "trait associated const",
        ApiItemKind::TypeAlias => "type alias",
        ApiItemKind::Const => "const",
        ApiItemKind::Static => "static",
        ApiItemKind::Mod => "module",
        ApiItemKind::ReExport => "re-export",
        ApiItemKind::Macro => "exported macro",
        ApiItemKind::Method => "method",
        ApiItemKind::AssocConst => "associated const",
        ApiItemKind::TraitImpl => "trait impl",
    }
}

fn removed(item: &ApiItem) -> ApiChange {
    let reason = match item.kind {
        ApiItemKind::TraitImpl => {
            "trait impl removed: code using the type through this trait stops compiling".into()
        }
        kind => format!(
            "public {} removed: code outside the crate that uses it stops compiling",
            noun(kind)
        ),
    };
    let mut change = change(item, ChangeKind::Removed, true, reason);
    change.old = Some(shown(item));
    change
}

fn added(item: &ApiItem, context: &Context<'_>) -> ApiChange {
    let parent = Context::parent(context.new, item);
    let (breaking, reason) = match item.kind {
        ApiItemKind::TraitFn | ApiItemKind::TraitType | ApiItemKind::TraitConst
            if item.required && parent.is_some_and(|p| p.exported) =>
        {
            (
                true,
                format!(
                    "required {} added (no default): every implementor outside the crate must \
                     now define it",
                    noun(item.kind)
                ),
            )
        }
        ApiItemKind::Variant if parent.is_some_and(|p| !p.non_exhaustive) => (
            true,
            "variant added to an enum that is not #[non_exhaustive]: matches outside the crate \
             without a wildcard arm stop compiling"
                .into(),
        ),
        ApiItemKind::Field if Context::literal_struct(context.old, item).is_some() => (
            true,
            "field added to a struct whose fields were all public: struct literals and \
             exhaustive patterns outside the crate stop compiling"
                .into(),
        ),
        ApiItemKind::TraitFn | ApiItemKind::TraitType | ApiItemKind::TraitConst => (
            false,
            format!("provided {} added (it has a default)", noun(item.kind)),
        ),
        kind => (false, format!("public {} added", noun(kind))),
    };
    let mut change = change(item, ChangeKind::Added, breaking, reason);
    change.new = Some(shown(item));
    change
}

/// What changed between two versions of the same item, if anything visible outside.
fn changed(before: &ApiItem, after: &ApiItem, context: &Context<'_>) -> Option<ApiChange> {
    let mut breaking_reasons: Vec<String> = Vec::new();
    let mut other_reasons: Vec<String> = Vec::new();
    match (before.exported, after.exported) {
        (false, false) => return None,
        (true, false) => breaking_reasons.push(if before.visibility != after.visibility {
            format!(
                "visibility narrowed from {} to {}: code outside the crate can no longer use it",
                before.visibility.keyword(),
                after.visibility.keyword()
            )
        } else {
            "no longer reachable from outside the crate: an enclosing module or its type is no \
             longer public"
                .into()
        }),
        (false, true) => other_reasons.push(if before.visibility != after.visibility {
            format!(
                "visibility widened from {} to {}: now part of the public API",
                before.visibility.keyword(),
                after.visibility.keyword()
            )
        } else {
            "now reachable from outside the crate".into()
        }),
        (true, true) => {
            shape_changes(before, after, &mut breaking_reasons, &mut other_reasons);
            if !before.required && after.required {
                breaking_reasons.push(
                    "trait item lost its default: every implementor must now define it".into(),
                );
            } else if before.required && !after.required {
                other_reasons.push("trait item gained a default".into());
            }
            if !before.non_exhaustive && after.non_exhaustive {
                breaking_reasons.push(
                    "became #[non_exhaustive]: outside code can no longer build it with a \
                     literal or match it exhaustively"
                        .into(),
                );
            } else if before.non_exhaustive && !after.non_exhaustive {
                other_reasons.push("no longer #[non_exhaustive]".into());
            }
            if after.kind == ApiItemKind::Struct && literal_struct(before) && after.private_fields {
                let new_private_field = context.new.values().any(|field| {
                    field.kind == ApiItemKind::Field
                        && !field.exported
                        && field.path.rsplit_once("::").map(|(p, _)| p) == Some(&after.path)
                        && !context
                            .old
                            .contains_key(&(field.path.as_str(), ApiItemKind::Field))
                });
                if new_private_field {
                    breaking_reasons.push(
                        "a private field was added to a struct whose fields were all public: \
                         outside code can no longer build it with a struct literal"
                            .into(),
                    );
                }
            }
            if breaking_reasons.is_empty() && other_reasons.is_empty() && before.docs != after.docs
            {
                other_reasons.push("documentation changed".into());
            }
        }
    }
    if breaking_reasons.is_empty() && other_reasons.is_empty() {
        return None;
    }
    let breaking = !breaking_reasons.is_empty();
    breaking_reasons.extend(other_reasons);
    let mut change = change(
        after,
        ChangeKind::Changed,
        breaking,
        breaking_reasons.join("; "),
    );
    change.old = Some(shown(before));
    change.new = Some(shown(after));
    Some(change)
}

/// See [`Context::literal_struct`].
fn literal_struct(item: &ApiItem) -> bool {
    item.kind == ApiItemKind::Struct
        && item.exported
        && !item.private_fields
        && !item.non_exhaustive
}

/// Compares the shapes of an item exported on both sides.
fn shape_changes(
    before: &ApiItem,
    after: &ApiItem,
    breaking: &mut Vec<String>,
    compatible: &mut Vec<String>,
) {
    let (old, new): (&Shape, &Shape) = (&before.shape, &after.shape);
    if old == new {
        if before.signature != after.signature {
            compatible.push("parameter names changed".into());
        }
        return;
    }
    if old.qualifiers != new.qualifiers {
        if new.qualifiers == format!("const {}", old.qualifiers).trim_end() {
            compatible.push("became a const fn".into());
        } else {
            breaking.push(format!(
                "qualifiers changed from `{}` to `{}`",
                old.qualifiers, new.qualifiers
            ));
        }
    }
    if old.generics != new.generics {
        let is_type = matches!(
            after.kind,
            ApiItemKind::Struct
                | ApiItemKind::Enum
                | ApiItemKind::Union
                | ApiItemKind::TypeAlias
                | ApiItemKind::Trait
        );
        let appended_defaults = new.generics.len() > old.generics.len()
            && new.generics[..old.generics.len()] == old.generics[..]
            && new.generics[old.generics.len()..].iter().all(|(_, d)| *d);
        if is_type && appended_defaults {
            compatible.push("generic parameter with a default added".into());
        } else if new.generics.len() > old.generics.len() {
            breaking.push("generic parameter added: explicit type arguments no longer fit".into());
        } else if new.generics.len() < old.generics.len() {
            breaking.push("generic parameter removed".into());
        } else {
            breaking.push("generic parameters or their bounds changed".into());
        }
    }
    if old.params != new.params {
        breaking.push("parameters changed".into());
    }
    if old.output != new.output {
        breaking.push("return type changed".into());
    }
    if old.where_clause != new.where_clause {
        breaking.push("where-clause changed".into());
    }
    if old.rest != new.rest {
        breaking.push(match after.kind {
            ApiItemKind::Field | ApiItemKind::Const | ApiItemKind::Static => "type changed".into(),
            ApiItemKind::Variant => "variant fields changed".into(),
            ApiItemKind::TypeAlias => "aliased type changed".into(),
            ApiItemKind::Trait => "supertraits changed".into(),
            ApiItemKind::Method => "impl block header changed (generics or bounds)".into(),
            ApiItemKind::AssocConst => "type or impl block header changed".into(),
            ApiItemKind::Struct | ApiItemKind::Union => "struct kind changed".into(),
            _ => "signature changed".into(),
        });
    }
}
