//! The API surface of one Rust source file: every item it declares outside function bodies,
//! with its visibility, whether code outside the crate can name it, and its canonical
//! signature.
//!
//! `pub use` re-exports are recorded as items of their own (kind [`ApiItemKind::ReExport`]),
//! not resolved: what they re-export may live in another file or crate, and following them
//! needs the whole crate. Likewise a file's items are treated as reachable when they are `pub`
//! along the modules of this file; whether the file's own module is `pub` is decided in the
//! file that declares it.

use proc_macro2::Span;
use quote::quote;
use serde::Serialize;
use specta::Type;
use syn::spanned::Spanned;

use super::canonical::text;

/// The items of one source file, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiSurface {
    pub items: Vec<ApiItem>,
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ApiItemKind {
    Fn,
    Struct,
    Union,
    /// A field of a struct or union; tuple fields are named `0`, `1`, ….
    Field,
    Enum,
    Variant,
    Trait,
    /// A method of a trait; [`ApiItem::required`] when it has no default body.
    TraitFn,
    /// An associated type of a trait.
    TraitType,
    /// An associated const of a trait.
    TraitConst,
    TypeAlias,
    Const,
    Static,
    Mod,
    /// A `pub use`: recorded under the name it is re-exported as, not resolved.
    ReExport,
    /// A `#[macro_export]` `macro_rules!` macro, which lives at the crate root: `crate::name!`.
    Macro,
    /// A method of an inherent `impl Type` block, named `Type::method`.
    Method,
    /// An associated const of an inherent `impl Type` block.
    AssocConst,
    /// `impl Trait for Type`: part of the API whenever the type is.
    TraitImpl,
}

/// Declared visibility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Visibility {
    /// `pub`, or inherited from a public enum or trait.
    Public,
    /// `pub(crate)`.
    Crate,
    /// `pub(super)`.
    Super,
    /// `pub(in path)`.
    InPath { path: String },
    /// No visibility keyword (or `pub(self)`).
    Private,
}

impl Visibility {
    fn of(vis: &syn::Visibility) -> Visibility {
        match vis {
            syn::Visibility::Public(_) => Visibility::Public,
            syn::Visibility::Inherited => Visibility::Private,
            syn::Visibility::Restricted(restricted) => {
                let path = text(&restricted.path);
                match path.as_str() {
                    "crate" => Visibility::Crate,
                    "super" => Visibility::Super,
                    "self" => Visibility::Private,
                    _ => Visibility::InPath { path },
                }
            }
        }
    }

    /// How it is spelled in source (empty for private).
    pub fn keyword(&self) -> String {
        match self {
            Visibility::Public => "pub".into(),
            Visibility::Crate => "pub(crate)".into(),
            Visibility::Super => "pub(super)".into(),
            Visibility::InPath { path } => format!("pub(in {path})"),
            Visibility::Private => "private".into(),
        }
    }
}

/// One named item of the surface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiItem {
    /// Where it lives: `crate::a::Parser::parse`; trait impls as `crate::a::impl Display for
    /// Parser` (the module holding the impl block).
    pub path: String,
    pub kind: ApiItemKind,
    pub visibility: Visibility,
    /// Code outside the crate can name it: it is `pub` (or inherits it) and so are the
    /// modules of this file that enclose it, and a method's or impl's type, when it is
    /// declared in this file.
    pub exported: bool,
    /// The canonical signature, without visibility, attributes and docs (see
    /// [`super::canonical`]): `fn parse<'a>(input: &'a str) -> Result<Ast, Error>`.
    pub signature: String,
    /// For items of an inherent impl block, the block's header: `impl<T: Clone> Stack<T>`.
    pub context: Option<String>,
    /// A trait item without default: every implementor must define it.
    pub required: bool,
    /// `#[non_exhaustive]`.
    pub non_exhaustive: bool,
    /// A struct or union with a field that code outside the crate cannot see, so it cannot
    /// be built with a struct literal there.
    pub private_fields: bool,
    /// 1-based line of its name.
    pub line: u32,
    /// The parts of the signature that decide compatibility (parameter names left out).
    #[serde(skip)]
    pub(crate) shape: Shape,
    /// The doc comment, to report doc-only changes.
    #[serde(skip)]
    pub(crate) docs: String,
    /// The path of the type a method or trait impl belongs to, when written as a plain path.
    #[serde(skip)]
    pub(crate) owner: Option<String>,
}

/// The parts of a signature compared by the diff, each canonical.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Shape {
    /// `const`, `async`, `unsafe`, `extern "C"` of a fn; `unsafe`/`auto` of a trait or impl.
    pub qualifiers: String,
    /// Each generic parameter (`T: Clone`, `'a`, `const N: usize`), and whether it has a
    /// default.
    pub generics: Vec<(String, bool)>,
    /// A fn's parameter types (receiver included), names left out.
    pub params: String,
    /// A fn's return type.
    pub output: String,
    pub where_clause: String,
    /// Anything else that is part of the item's type: a field's or const's type, a variant's
    /// fields, an alias's target, a trait's supertraits, an impl's header.
    pub rest: String,
}

/// Walks `file`, whose items live in module `module` (`crate`, `crate::a::b`).
pub fn surface(file: &syn::File, module: &str) -> ApiSurface {
    let mut walker = Walker { items: Vec::new() };
    walker.items_of(&file.items, module, true);
    let mut items = walker.items;
    hide_items_of_hidden_types(&mut items);
    ApiSurface { items }
}

struct Walker {
    items: Vec<ApiItem>,
}

/// The fields shared by every item, filled in by [`Walker::push`].
struct Base<'a> {
    path: String,
    kind: ApiItemKind,
    visibility: Visibility,
    exported: bool,
    attrs: &'a [syn::Attribute],
    span: Span,
}

impl Walker {
    fn push(&mut self, base: Base<'_>, signature: String, shape: Shape) -> &mut ApiItem {
        let Base {
            path,
            kind,
            visibility,
            exported,
            attrs,
            span,
        } = base;
        self.items.push(ApiItem {
            path,
            kind,
            visibility,
            exported,
            signature,
            context: None,
            required: false,
            non_exhaustive: attrs.iter().any(|a| a.path().is_ident("non_exhaustive")),
            private_fields: false,
            line: line_of(span),
            shape,
            docs: docs_of(attrs),
            owner: None,
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    fn items_of(&mut self, items: &[syn::Item], module: &str, reachable: bool) {
        for item in items {
            self.item(item, module, reachable);
        }
    }

    fn item(&mut self, item: &syn::Item, module: &str, reachable: bool) {
        let base = |name: &dyn std::fmt::Display, kind, vis: &syn::Visibility, attrs, span| {
            let visibility = Visibility::of(vis);
            Base {
                path: format!("{module}::{name}"),
                kind,
                exported: reachable && visibility == Visibility::Public,
                visibility,
                attrs,
                span,
            }
        };
        match item {
            syn::Item::Fn(f) => {
                let b = base(
                    &f.sig.ident,
                    ApiItemKind::Fn,
                    &f.vis,
                    &f.attrs,
                    f.sig.ident.span(),
                );
                self.push(b, text(&f.sig), fn_shape(&f.sig));
            }
            syn::Item::Struct(s) => {
                let b = base(
                    &s.ident,
                    ApiItemKind::Struct,
                    &s.vis,
                    &s.attrs,
                    s.ident.span(),
                );
                let exported = b.exported;
                let path = b.path.clone();
                let form = match &s.fields {
                    syn::Fields::Named(_) => " { .. }",
                    syn::Fields::Unnamed(_) => "(..)",
                    syn::Fields::Unit => ";",
                };
                let (signature, shape) =
                    type_header(quote!(struct), &s.ident, &s.generics, None, form);
                let at = self.items.len();
                self.push(b, signature, shape);
                let private = self.fields(&s.fields, &path, exported);
                self.items[at].private_fields = private;
            }
            syn::Item::Union(u) => {
                let b = base(
                    &u.ident,
                    ApiItemKind::Union,
                    &u.vis,
                    &u.attrs,
                    u.ident.span(),
                );
                let exported = b.exported;
                let path = b.path.clone();
                let (signature, shape) =
                    type_header(quote!(union), &u.ident, &u.generics, None, " { .. }");
                let fields = syn::Fields::Named(u.fields.clone());
                let at = self.items.len();
                self.push(b, signature, shape);
                let private = self.fields(&fields, &path, exported);
                self.items[at].private_fields = private;
            }
            syn::Item::Enum(e) => {
                let b = base(
                    &e.ident,
                    ApiItemKind::Enum,
                    &e.vis,
                    &e.attrs,
                    e.ident.span(),
                );
                let (exported, path) = (b.exported, b.path.clone());
                let (signature, shape) =
                    type_header(quote!(enum), &e.ident, &e.generics, None, " { .. }");
                self.push(b, signature, shape);
                for variant in &e.variants {
                    let mut bare = variant.clone();
                    bare.attrs.clear();
                    for field in bare.fields.iter_mut() {
                        field.attrs.clear();
                    }
                    let signature = text(&bare);
                    let shape = Shape {
                        rest: signature.clone(),
                        ..Shape::default()
                    };
                    let b = Base {
                        path: format!("{path}::{}", variant.ident),
                        kind: ApiItemKind::Variant,
                        visibility: Visibility::Public,
                        exported,
                        attrs: &variant.attrs,
                        span: variant.ident.span(),
                    };
                    self.push(b, signature, shape);
                }
            }
            syn::Item::Trait(t) => {
                let b = base(
                    &t.ident,
                    ApiItemKind::Trait,
                    &t.vis,
                    &t.attrs,
                    t.ident.span(),
                );
                let (exported, path) = (b.exported, b.path.clone());
                let (unsafety, auto) = (&t.unsafety, &t.auto_token);
                let qualifiers = text(&quote!(#unsafety #auto));
                let supertraits = &t.supertraits;
                let colon = t.colon_token;
                let (mut signature, mut shape) = type_header(
                    quote!(#unsafety #auto trait),
                    &t.ident,
                    &t.generics,
                    Some(quote!(#colon #supertraits)),
                    "",
                );
                shape.qualifiers = qualifiers;
                signature = signature.trim_end().to_owned();
                self.push(b, signature, shape);
                for trait_item in &t.items {
                    self.trait_item(trait_item, &path, exported);
                }
            }
            syn::Item::Type(t) => {
                let b = base(
                    &t.ident,
                    ApiItemKind::TypeAlias,
                    &t.vis,
                    &t.attrs,
                    t.ident.span(),
                );
                let ty = &t.ty;
                let target = text(ty);
                let (mut signature, mut shape) =
                    type_header(quote!(type), &t.ident, &t.generics, None, "");
                signature = format!("{} = {target}", signature.trim_end());
                shape.rest = target;
                self.push(b, signature, shape);
            }
            syn::Item::Const(c) => {
                let b = base(
                    &c.ident,
                    ApiItemKind::Const,
                    &c.vis,
                    &c.attrs,
                    c.ident.span(),
                );
                let (ident, ty) = (&c.ident, &c.ty);
                let signature = text(&quote!(const #ident: #ty));
                self.push(b, signature, rest_shape(text(ty)));
            }
            syn::Item::Static(s) => {
                let b = base(
                    &s.ident,
                    ApiItemKind::Static,
                    &s.vis,
                    &s.attrs,
                    s.ident.span(),
                );
                let (ident, ty) = (&s.ident, &s.ty);
                let mutability = matches!(s.mutability, syn::StaticMutability::Mut(_));
                let signature = if mutability {
                    text(&quote!(static mut #ident: #ty))
                } else {
                    text(&quote!(static #ident: #ty))
                };
                self.push(b, signature.clone(), rest_shape(signature));
            }
            syn::Item::Mod(m) => {
                let b = base(&m.ident, ApiItemKind::Mod, &m.vis, &m.attrs, m.ident.span());
                let (exported, path) = (b.exported, b.path.clone());
                let signature = format!("mod {}", m.ident);
                self.push(b, signature.clone(), rest_shape(signature));
                if let Some((_, items)) = &m.content {
                    self.items_of(items, &path, exported);
                }
            }
            // A private `use` is an import, not API.
            syn::Item::Use(u) if !matches!(u.vis, syn::Visibility::Inherited) => {
                let visibility = Visibility::of(&u.vis);
                let exported = reachable && visibility == Visibility::Public;
                let mut leaves = Vec::new();
                use_leaves(&u.tree, String::new(), &mut leaves);
                for (name, signature) in leaves {
                    let b = Base {
                        path: format!("{module}::{name}"),
                        kind: ApiItemKind::ReExport,
                        visibility: visibility.clone(),
                        exported,
                        attrs: &u.attrs,
                        span: u.use_token.span,
                    };
                    self.push(b, signature.clone(), rest_shape(signature));
                }
            }
            syn::Item::Macro(m) => {
                let exported = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
                if let (Some(ident), true) = (&m.ident, exported) {
                    let signature = format!("macro_rules! {ident}");
                    let b = Base {
                        path: format!("crate::{ident}!"),
                        kind: ApiItemKind::Macro,
                        visibility: Visibility::Public,
                        exported: true,
                        attrs: &m.attrs,
                        span: ident.span(),
                    };
                    self.push(b, signature.clone(), rest_shape(signature));
                }
            }
            syn::Item::Impl(i) => self.impl_block(i, module, reachable),
            _ => {}
        }
    }

    /// Records the fields of a struct or union at `path`; returns whether any of them is
    /// not visible outside the crate.
    fn fields(&mut self, fields: &syn::Fields, path: &str, exported: bool) -> bool {
        let mut private = false;
        for (index, field) in fields.iter().enumerate() {
            let name = field
                .ident
                .as_ref()
                .map_or_else(|| index.to_string(), ToString::to_string);
            let visibility = Visibility::of(&field.vis);
            private |= visibility != Visibility::Public;
            let ty = text(&field.ty);
            let b = Base {
                path: format!("{path}::{name}"),
                kind: ApiItemKind::Field,
                exported: exported && visibility == Visibility::Public,
                visibility,
                attrs: &field.attrs,
                span: field
                    .ident
                    .as_ref()
                    .map_or_else(|| field.ty.span(), |i| i.span()),
            };
            self.push(b, format!("{name}: {ty}"), rest_shape(ty));
        }
        private
    }

    fn trait_item(&mut self, item: &syn::TraitItem, trait_path: &str, exported: bool) {
        let base = |ident: &syn::Ident, kind, attrs, span| Base {
            path: format!("{trait_path}::{ident}"),
            kind,
            visibility: Visibility::Public,
            exported,
            attrs,
            span,
        };
        match item {
            syn::TraitItem::Fn(f) => {
                let b = base(
                    &f.sig.ident,
                    ApiItemKind::TraitFn,
                    &f.attrs,
                    f.sig.ident.span(),
                );
                self.push(b, text(&f.sig), fn_shape(&f.sig)).required = f.default.is_none();
            }
            syn::TraitItem::Type(t) => {
                let b = base(&t.ident, ApiItemKind::TraitType, &t.attrs, t.ident.span());
                let (colon, bounds) = (&t.colon_token, &t.bounds);
                let (signature, shape) = type_header(
                    quote!(type),
                    &t.ident,
                    &t.generics,
                    Some(quote!(#colon #bounds)),
                    "",
                );
                self.push(b, signature.trim_end().to_owned(), shape)
                    .required = t.default.is_none();
            }
            syn::TraitItem::Const(c) => {
                let b = base(&c.ident, ApiItemKind::TraitConst, &c.attrs, c.ident.span());
                let (ident, ty) = (&c.ident, &c.ty);
                let signature = text(&quote!(const #ident: #ty));
                self.push(b, signature, rest_shape(text(ty))).required = c.default.is_none();
            }
            _ => {}
        }
    }

    fn impl_block(&mut self, block: &syn::ItemImpl, module: &str, reachable: bool) {
        let self_ty = text(&block.self_ty);
        let owner = type_name(&block.self_ty).map(|name| format!("{module}::{name}"));
        let (impl_generics, _, where_clause) = block.generics.split_for_impl();
        let unsafety = &block.unsafety;
        let ty = &block.self_ty;
        if let Some((bang, trait_path, _)) = &block.trait_ {
            let trait_name = text(&quote!(#bang #trait_path));
            // The associated types an impl chooses are part of its API (`Iterator::Item`).
            let assoc: Vec<String> = block
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::ImplItem::Type(t) => {
                        let (ident, generics, ty) = (&t.ident, &t.generics, &t.ty);
                        Some(text(&quote!(type #ident #generics = #ty;)))
                    }
                    _ => None,
                })
                .collect();
            let header = text(
                &quote!(#unsafety impl #impl_generics #bang #trait_path for #ty #where_clause),
            );
            let signature = if assoc.is_empty() {
                header.clone()
            } else {
                format!("{header} {{ {} }}", assoc.join(" "))
            };
            let b = Base {
                path: format!("{module}::impl {trait_name} for {self_ty}"),
                kind: ApiItemKind::TraitImpl,
                visibility: Visibility::Public,
                exported: true,
                attrs: &block.attrs,
                span: block.impl_token.span,
            };
            let shape = Shape {
                generics: generics_shape(&block.generics),
                where_clause: where_clause.map(text).unwrap_or_default(),
                qualifiers: text(unsafety),
                rest: signature.clone(),
                ..Shape::default()
            };
            self.push(b, signature, shape).owner = owner;
            return;
        }
        let type_key = type_name(&block.self_ty).unwrap_or_else(|| self_ty.clone());
        let context = text(&quote!(#unsafety impl #impl_generics #ty #where_clause));
        for item in &block.items {
            let (ident, kind, vis, attrs, signature, mut shape) = match item {
                syn::ImplItem::Fn(f) => (
                    &f.sig.ident,
                    ApiItemKind::Method,
                    &f.vis,
                    &f.attrs,
                    text(&f.sig),
                    fn_shape(&f.sig),
                ),
                syn::ImplItem::Const(c) => {
                    let (ident, ty) = (&c.ident, &c.ty);
                    (
                        &c.ident,
                        ApiItemKind::AssocConst,
                        &c.vis,
                        &c.attrs,
                        text(&quote!(const #ident: #ty)),
                        rest_shape(text(ty)),
                    )
                }
                _ => continue,
            };
            // The impl's bounds decide when the method exists.
            shape.rest = format!("{} {}", context, shape.rest);
            let visibility = Visibility::of(vis);
            let b = Base {
                path: format!("{module}::{type_key}::{ident}"),
                kind,
                exported: reachable && visibility == Visibility::Public,
                visibility,
                attrs,
                span: ident.span(),
            };
            let item = self.push(b, signature, shape);
            item.context = Some(context.clone());
            item.owner = owner.clone();
        }
    }
}

/// `struct Name<T> where …` plus `form`, and its shape.
fn type_header(
    keyword: proc_macro2::TokenStream,
    ident: &syn::Ident,
    generics: &syn::Generics,
    bounds: Option<proc_macro2::TokenStream>,
    form: &str,
) -> (String, Shape) {
    let where_clause = &generics.where_clause;
    let signature = text(&quote!(#keyword #ident #generics #bounds #where_clause));
    let shape = Shape {
        generics: generics_shape(generics),
        where_clause: where_clause.as_ref().map(text).unwrap_or_default(),
        rest: format!("{}{form}", bounds.as_ref().map(text).unwrap_or_default()),
        ..Shape::default()
    };
    (format!("{signature}{form}"), shape)
}

fn rest_shape(rest: String) -> Shape {
    Shape {
        rest,
        ..Shape::default()
    }
}

fn generics_shape(generics: &syn::Generics) -> Vec<(String, bool)> {
    generics
        .params
        .iter()
        .map(|param| {
            let has_default = match param {
                syn::GenericParam::Type(t) => t.default.is_some(),
                syn::GenericParam::Const(c) => c.default.is_some(),
                syn::GenericParam::Lifetime(_) => false,
            };
            (text(param), has_default)
        })
        .collect()
}

fn fn_shape(sig: &syn::Signature) -> Shape {
    let (constness, asyncness, unsafety, abi) =
        (&sig.constness, &sig.asyncness, &sig.unsafety, &sig.abi);
    let params: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Receiver(receiver) => {
                let mut receiver = receiver.clone();
                receiver.attrs.clear();
                text(&receiver)
            }
            syn::FnArg::Typed(typed) => text(&typed.ty),
        })
        .collect();
    let variadic = sig.variadic.as_ref().map(|_| ", ...").unwrap_or_default();
    Shape {
        qualifiers: text(&quote!(#constness #asyncness #unsafety #abi)),
        generics: generics_shape(&sig.generics),
        params: format!("({}{variadic})", params.join(", ")),
        output: text(&sig.output),
        where_clause: sig
            .generics
            .where_clause
            .as_ref()
            .map(text)
            .unwrap_or_default(),
        rest: String::new(),
    }
}

/// The name of a type written as a path (`Stack<T>` → `Stack`), which is how its methods
/// are named.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}

/// Flattens a use tree into (name it is re-exported as, `use …` text); a glob is named
/// `* from its::path`.
fn use_leaves(tree: &syn::UseTree, prefix: String, leaves: &mut Vec<(String, String)>) {
    let join = |name: &dyn std::fmt::Display| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}::{name}")
        }
    };
    match tree {
        syn::UseTree::Path(path) => use_leaves(&path.tree, join(&path.ident), leaves),
        syn::UseTree::Name(name) => {
            let exported_as = if name.ident == "self" {
                prefix.rsplit("::").next().unwrap_or_default().to_owned()
            } else {
                name.ident.to_string()
            };
            leaves.push((exported_as, format!("use {}", join(&name.ident))));
        }
        syn::UseTree::Rename(rename) => leaves.push((
            rename.rename.to_string(),
            format!("use {} as {}", join(&rename.ident), rename.rename),
        )),
        syn::UseTree::Glob(_) => {
            // Several globs may re-export into one module: name each by its source.
            let glob = join(&"*");
            leaves.push((format!("* from {prefix}"), format!("use {glob}")));
        }
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_leaves(tree, prefix.clone(), leaves);
            }
        }
    }
}

/// Methods and trait impls of a type declared in this file that is not exported are not
/// exported either.
fn hide_items_of_hidden_types(items: &mut [ApiItem]) {
    let hidden: std::collections::HashSet<String> = items
        .iter()
        .filter(|item| {
            matches!(
                item.kind,
                ApiItemKind::Struct
                    | ApiItemKind::Enum
                    | ApiItemKind::Union
                    | ApiItemKind::TypeAlias
            ) && !item.exported
        })
        .map(|item| item.path.clone())
        .collect();
    for item in items.iter_mut() {
        if item
            .owner
            .as_ref()
            .is_some_and(|owner| hidden.contains(owner))
        {
            item.exported = false;
        }
    }
}

fn docs_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => Some(text(&nv.value)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn line_of(span: Span) -> u32 {
    u32::try_from(span.start().line).unwrap_or(u32::MAX)
}
