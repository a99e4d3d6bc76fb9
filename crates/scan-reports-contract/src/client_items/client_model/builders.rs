//! Each operation of the generated client: the `Client` method
//! progenitor documents with its HTTP method and path, and the request
//! builder it returns, read for its parameters (by the names `send` sends
//! them under), its request body (the type `body` converts into) and its
//! answers (which status `send` reads as a success or an error, and the
//! types it returns for each).

use std::collections::BTreeSet;

use syn::{
    Expr, GenericArgument, ImplItemFn, Item, Lit, Pat, PathArguments, ReturnType, Token, Type,
    TypeParamBound, WherePredicate,
    punctuated::Punctuated,
    visit::{self, Visit},
};

use super::{
    Answer, Operation, Parameter, Shape, Statuses, arguments, doc_text, impl_methods, last_ident,
    name, shape, string_literal,
};

/// `POST /path` from "Sends a `POST` request to `/path`", the sentence
/// progenitor documents each operation's method with.
fn documented_request(doc: &str) -> Option<String> {
    let (_, rest) = doc.split_once("Sends a `")?;
    let (method, rest) = rest.split_once('`')?;
    let rest = rest.strip_prefix(" request to `")?;
    let (path, _) = rest.split_once('`')?;
    Some(format!("{method} {path}"))
}

pub(super) fn operation(
    method: &ImplItemFn,
    builders: &[Item],
    known: &BTreeSet<String>,
) -> Option<Operation> {
    let key = documented_request(&doc_text(&method.attrs))?;
    let ReturnType::Type(_, returned) = &method.sig.output else {
        return None;
    };
    let builder = last_ident(returned)?;
    let mut operation = Operation {
        key,
        method: name(&method.sig.ident),
        builder: builder.clone(),
        parameters: Vec::new(),
        body: None,
        success: None,
        error: None,
        answers: Vec::new(),
    };
    let fields: Vec<(String, Shape)> = builders
        .iter()
        .find_map(|item| match item {
            Item::Struct(item) if item.ident == builder => Some(&item.fields),
            _ => None,
        })
        .map(|fields| {
            fields
                .iter()
                .filter_map(|field| Some((name(field.ident.as_ref()?), shape(&field.ty, known))))
                .collect()
        })
        .unwrap_or_default();
    let methods = impl_methods(builders, &builder);
    let named = |wanted: &str| methods.iter().find(|method| method.sig.ident == wanted);
    operation.body = named("body").and_then(|body| converted_into(body, known));
    if let Some(send) = named("send") {
        if let ReturnType::Type(_, returned) = &send.sig.output {
            (operation.success, operation.error) = answered(returned, known);
        }
        let mut reader = SendReader {
            fields: fields.iter().map(|(field, _)| field.as_str()).collect(),
            path: operation.key.split_once(' ').map_or("", |(_, path)| path),
            paired: Vec::new(),
            answers: Vec::new(),
        };
        reader.visit_block(&send.block);
        operation.answers = reader.answers;
        for (wire, field) in reader.paired {
            if operation.parameters.iter().any(|known| known.wire == wire) {
                continue;
            }
            let shape = fields
                .iter()
                .find(|(name, _)| *name == field)
                .map_or(Shape::Other, |(_, shape)| shape.clone());
            operation.parameters.push(Parameter {
                setter: named(&field).map(|_| field.clone()),
                wire,
                shape,
            });
        }
    }
    Some(operation)
}

/// The `T` of a method's `V: TryInto<T>` bound: what the builder's `body`
/// converts its argument into.
fn converted_into(method: &ImplItemFn, known: &BTreeSet<String>) -> Option<Shape> {
    let generics = &method.sig.generics;
    let from_params = generics.type_params().flat_map(|param| param.bounds.iter());
    let from_where = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .flat_map(|predicate| match predicate {
            WherePredicate::Type(predicate) => Some(predicate.bounds.iter()),
            _ => None,
        })
        .flatten();
    from_params.chain(from_where).find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "TryInto" {
            return None;
        }
        let PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return None;
        };
        arguments.args.iter().find_map(|argument| match argument {
            GenericArgument::Type(ty) => Some(shape(ty, known)),
            _ => None,
        })
    })
}

/// The success and the error body of `Result<ResponseValue<T>, Error<E>>`.
fn answered(returned: &Type, known: &BTreeSet<String>) -> (Option<Shape>, Option<Shape>) {
    let Some((_, parts)) = arguments(returned) else {
        return (None, None);
    };
    let held = |ty: Option<&&Type>| {
        ty.and_then(|ty| arguments(ty))
            .and_then(|(_, inner)| inner.first().map(|ty| shape(ty, known)))
    };
    (held(parts.first()), held(parts.get(1)))
}

/// Reads `send`'s body: the match on the status (which statuses are a
/// success, an error, or unexpected), and which builder field is sent
/// under which name (`QueryParam::new("verbose", &verbose)`, a header
/// appended under its name, a path parameter in the URL's `format!`).
struct SendReader<'a> {
    fields: Vec<&'a str>,
    /// The operation's path template: `/items/{id}`.
    path: &'a str,
    /// `(wire name, field)`.
    paired: Vec<(String, String)>,
    answers: Vec<(Statuses, Answer)>,
}

impl SendReader<'_> {
    /// The builder fields `expr` mentions.
    fn fields_in(&self, expr: &Expr) -> Vec<String> {
        let mut found = Idents::default();
        found.visit_expr(expr);
        found
            .0
            .into_iter()
            .filter(|ident| self.fields.contains(&ident.as_str()))
            .collect()
    }

    /// A call whose arguments are one name and the field sent under it.
    fn pair(&mut self, args: &Punctuated<Expr, Token![,]>) {
        let names: Vec<String> = args.iter().filter_map(string_literal).collect();
        let [wire] = names.as_slice() else {
            return;
        };
        let field = args
            .iter()
            .filter(|arg| string_literal(arg).is_none())
            .find_map(|arg| self.fields_in(arg).into_iter().next());
        if let Some(field) = field {
            self.paired.push((wire.clone(), field));
        }
    }
}

impl<'ast> Visit<'ast> for SendReader<'_> {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        self.pair(&call.args);
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.pair(&call.args);
        visit::visit_expr_method_call(self, call);
    }

    /// The URL: `format!("{}/items/{}", client.baseurl, encode_path(&id))`,
    /// whose arguments after the base URL fill the template's names in order.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac.path.is_ident("format")
            && let Ok(args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            && args.first().and_then(string_literal).is_some()
        {
            let names = self
                .path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()));
            let filled: Vec<Option<String>> = args
                .iter()
                .skip(2)
                .map(|arg| self.fields_in(arg).into_iter().next())
                .collect();
            for (wire, field) in names.zip(filled) {
                if let Some(field) = field {
                    self.paired.push((wire, field));
                }
            }
        }
        visit::visit_macro(self, mac);
    }

    fn visit_expr_match(&mut self, matched: &'ast syn::ExprMatch) {
        let arms: Vec<(Vec<Statuses>, Answer)> = matched
            .arms
            .iter()
            .map(|arm| {
                let mut idents = Idents::default();
                idents.visit_expr(&arm.body);
                let answer = if idents.0.iter().any(|ident| ident == "ErrorResponse") {
                    Answer::Error
                } else if idents.0.iter().any(|ident| ident == "UnexpectedResponse") {
                    Answer::Unexpected
                } else {
                    Answer::Success
                };
                (statuses(&arm.pat), answer)
            })
            .collect();
        let on_statuses = arms
            .iter()
            .any(|(statuses, _)| statuses.iter().any(|s| *s != Statuses::Rest));
        if on_statuses {
            for (statuses, answer) in arms {
                self.answers
                    .extend(statuses.into_iter().map(|status| (status, answer)));
            }
        }
        visit::visit_expr_match(self, matched);
    }
}

/// The statuses an arm's pattern reads: `200u16`, `200u16..=299u16`, `_`.
fn statuses(pattern: &Pat) -> Vec<Statuses> {
    let number = |expr: Option<&Expr>| match expr {
        Some(Expr::Lit(literal)) => match &literal.lit {
            Lit::Int(number) => number.base10_parse::<u16>().ok(),
            _ => None,
        },
        _ => None,
    };
    match pattern {
        Pat::Lit(literal) => number(Some(&Expr::Lit(literal.clone())))
            .map(Statuses::One)
            .into_iter()
            .collect(),
        Pat::Range(range) => match (number(range.start.as_deref()), number(range.end.as_deref())) {
            (Some(low), Some(high)) => vec![Statuses::Range(low, high)],
            _ => Vec::new(),
        },
        Pat::Wild(_) => vec![Statuses::Rest],
        Pat::Or(or) => or.cases.iter().flat_map(statuses).collect(),
        _ => Vec::new(),
    }
}

/// Every identifier of a path an expression names.
#[derive(Default)]
struct Idents(Vec<String>);

impl<'ast> Visit<'ast> for Idents {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.0
            .extend(path.segments.iter().map(|segment| name(&segment.ident)));
        visit::visit_path(self, path);
    }
}
