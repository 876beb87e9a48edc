//! Sites in Rust code that a reviewer of AI-written code wants to see: `unsafe`, and the ways
//! code panics (`.unwrap()`, `.expect(…)`, `panic!`, `todo!`, `unimplemented!`,
//! `unreachable!`, `assert!`). The findings engine turns them into findings; this module
//! only locates them.
//!
//! Decisions:
//! - `assert!`, `assert_eq!` and `assert_ne!` are reported (kind [`RiskKind::Assert`]): they
//!   panic in release builds, though usually on purpose, so the findings engine can weigh
//!   them lower. `debug_assert*!` are not: they are compiled out of release builds.
//! - `unwrap_err` / `expect_err` count as unwrap / expect; `unwrap_or*` do not panic.
//! - Sites inside tests (`#[test]` fns, `#[cfg(test)]` items) are reported with
//!   [`RiskySite::in_test`] set: panicking is how a test fails.
//! - Arguments of macro calls are searched when they parse as comma-separated expressions
//!   (`println!`, `format!`, `vec!`, `assert_eq!`, …); other macro bodies are opaque.

use proc_macro2::Span;
use serde::Serialize;
use specta::Type;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};

/// What kind of risky site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum RiskKind {
    /// An `unsafe { … }` block.
    UnsafeBlock,
    /// An `unsafe fn` (free, method or trait method).
    UnsafeFn,
    /// An `unsafe impl`.
    UnsafeImpl,
    /// An `unsafe trait`.
    UnsafeTrait,
    /// `.unwrap()` or `.unwrap_err()`.
    Unwrap,
    /// `.expect(…)` or `.expect_err(…)`.
    Expect,
    /// `panic!`.
    Panic,
    /// `todo!`: a stub left in.
    Todo,
    /// `unimplemented!`.
    Unimplemented,
    /// `unreachable!`.
    Unreachable,
    /// `assert!`, `assert_eq!`, `assert_ne!`.
    Assert,
}

/// One risky site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RiskySite {
    pub kind: RiskKind,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What was written: `unwrap`, `expect`, `assert_eq!`, `unsafe`.
    pub text: String,
    /// The path of the enclosing fn (or const/static/impl/trait), `crate::a::Parser::parse`;
    /// `None` at module level.
    pub enclosing: Option<String>,
    /// Inside a `#[test]` fn or a `#[cfg(test)]` item.
    pub in_test: bool,
}

/// Finds the risky sites of `file`, whose items live in module `module`.
pub fn risky_sites(file: &syn::File, module: &str) -> Vec<RiskySite> {
    let mut finder = Finder {
        path: module.split("::").map(str::to_owned).collect(),
        in_item: 0,
        tests: 0,
        sites: Vec::new(),
    };
    finder.visit_file(file);
    finder.sites.sort_by_key(|site| (site.line, site.column));
    finder.sites
}

struct Finder {
    path: Vec<String>,
    /// > 0 inside a fn, const, static, impl or trait.
    in_item: usize,
    /// > 0 inside test code.
    tests: usize,
    sites: Vec<RiskySite>,
}

impl Finder {
    fn site(&mut self, kind: RiskKind, span: Span, text: impl Into<String>) {
        let start = span.start();
        self.sites.push(RiskySite {
            kind,
            line: u32::try_from(start.line).unwrap_or(u32::MAX),
            column: u32::try_from(start.column + 1).unwrap_or(u32::MAX),
            text: text.into(),
            enclosing: (self.in_item > 0).then(|| self.path.join("::")),
            in_test: self.tests > 0,
        });
    }

    /// Runs `walk` with `name` pushed on the path and the item's test-ness applied.
    fn scoped(
        &mut self,
        name: String,
        attrs: &[syn::Attribute],
        module: bool,
        walk: impl FnOnce(&mut Self),
    ) {
        let test = attrs.iter().any(is_test_attribute);
        self.path.push(name);
        self.tests += usize::from(test);
        let item = usize::from(!module);
        self.in_item += item;
        walk(self);
        self.in_item -= item;
        self.tests -= usize::from(test);
        self.path.pop();
    }
}

/// `#[test]`, `#[tokio::test]`, `#[cfg(test)]`, `#[cfg(all(test, …))]` (but not
/// `#[cfg(not(test))]`).
fn is_test_attribute(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    if path.segments.last().is_some_and(|s| s.ident == "test") {
        return true;
    }
    match &attr.meta {
        syn::Meta::List(list) if path.is_ident("cfg") => {
            let condition = list.tokens.to_string();
            let mut words = condition.split(|c: char| !c.is_alphanumeric() && c != '_');
            let words: Vec<&str> = words.by_ref().filter(|w| !w.is_empty()).collect();
            words.contains(&"test") && !words.contains(&"not")
        }
        _ => false,
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        self.scoped(node.ident.to_string(), &node.attrs, true, |f| {
            visit::visit_item_mod(f, node)
        });
    }

    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        self.scoped(node.sig.ident.to_string(), &node.attrs, false, |f| {
            if let Some(unsafety) = &node.sig.unsafety {
                f.site(RiskKind::UnsafeFn, unsafety.span, "unsafe fn");
            }
            visit::visit_item_fn(f, node)
        });
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        self.scoped(node.sig.ident.to_string(), &node.attrs, false, |f| {
            if let Some(unsafety) = &node.sig.unsafety {
                f.site(RiskKind::UnsafeFn, unsafety.span, "unsafe fn");
            }
            visit::visit_impl_item_fn(f, node)
        });
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        self.scoped(node.sig.ident.to_string(), &node.attrs, false, |f| {
            if let Some(unsafety) = &node.sig.unsafety {
                f.site(RiskKind::UnsafeFn, unsafety.span, "unsafe fn");
            }
            visit::visit_trait_item_fn(f, node)
        });
    }

    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        let name = match &*node.self_ty {
            syn::Type::Path(path) => path
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default(),
            other => super::canonical::text(other),
        };
        self.scoped(name, &node.attrs, false, |f| {
            if let Some(unsafety) = &node.unsafety {
                f.site(RiskKind::UnsafeImpl, unsafety.span, "unsafe impl");
            }
            visit::visit_item_impl(f, node)
        });
    }

    fn visit_item_trait(&mut self, node: &'ast syn::ItemTrait) {
        self.scoped(node.ident.to_string(), &node.attrs, false, |f| {
            if let Some(unsafety) = &node.unsafety {
                f.site(RiskKind::UnsafeTrait, unsafety.span, "unsafe trait");
            }
            visit::visit_item_trait(f, node)
        });
    }

    fn visit_item_const(&mut self, node: &'ast syn::ItemConst) {
        self.scoped(node.ident.to_string(), &node.attrs, false, |f| {
            visit::visit_item_const(f, node)
        });
    }

    fn visit_item_static(&mut self, node: &'ast syn::ItemStatic) {
        self.scoped(node.ident.to_string(), &node.attrs, false, |f| {
            visit::visit_item_static(f, node)
        });
    }

    fn visit_expr_unsafe(&mut self, node: &'ast syn::ExprUnsafe) {
        self.site(RiskKind::UnsafeBlock, node.unsafe_token.span, "unsafe");
        visit::visit_expr_unsafe(self, node);
    }

    fn visit_expr_method_call(&mut self, node: &'ast syn::ExprMethodCall) {
        let method = node.method.to_string();
        let kind = match method.as_str() {
            "unwrap" | "unwrap_err" if node.args.is_empty() => Some(RiskKind::Unwrap),
            "expect" | "expect_err" if node.args.len() == 1 => Some(RiskKind::Expect),
            _ => None,
        };
        if let Some(kind) = kind {
            self.site(kind, node.method.span(), method);
        }
        visit::visit_expr_method_call(self, node);
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        let Some(name) = node.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let kind = match name.as_str() {
            "panic" => Some(RiskKind::Panic),
            "todo" => Some(RiskKind::Todo),
            "unimplemented" => Some(RiskKind::Unimplemented),
            "unreachable" => Some(RiskKind::Unreachable),
            "assert" | "assert_eq" | "assert_ne" => Some(RiskKind::Assert),
            _ => None,
        };
        if let Some(kind) = kind {
            let span = node
                .path
                .segments
                .last()
                .map_or_else(Span::call_site, |s| s.ident.span());
            self.site(kind, span, format!("{name}!"));
        }
        if name == "macro_rules" {
            return;
        }
        let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(arguments) = node.parse_body_with(parser) {
            for argument in &arguments {
                self.visit_expr(argument);
            }
        }
    }
}
