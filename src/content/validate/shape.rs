//! The shape check: walks the parsed TOML against [`schema`] before serde sees it.
//!
//! serde stops at the first unknown or wrongly typed key; this walk reports every one
//! of them (unknown keys with a "did you mean", keys a step's kind does not use, values
//! of the wrong type, required keys that are missing) and then removes the offending
//! keys, so the serde mirror in [`crate::content::raw`] can still be read and the value
//! checks that follow can report their problems in the same run.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::report::{Report, did_you_mean};
use super::schema::{self, Expect, Field, KindKeys, Shape};

/// Checks the whole document, removing every key it reports.
pub fn check(document: &mut Spanned<DeTable<'_>>, report: &mut Report<'_>) {
    let span = document.span();
    check_table(document.get_mut(), &span, &schema::FILE, report);
}

fn check_table(
    table: &mut DeTable<'_>,
    header: &Range<usize>,
    shape: &'static Shape,
    report: &mut Report<'_>,
) {
    let mut rejected = Vec::new();
    for (key, value) in table.iter_mut() {
        let name = key.get_ref().as_ref();
        let Some(field) = shape.field(name) else {
            unknown_key(name, &key.span(), shape, report);
            rejected.push(name.to_owned());
            continue;
        };
        if fits(value.get_ref(), field.expect) {
            check_nested(value, field.expect, report);
        } else {
            wrong_type(field, value, report);
            rejected.push(name.to_owned());
        }
    }
    if !shape.kinds.is_empty() {
        check_kind(table, header, shape, &mut rejected, report);
    }
    for field in shape.fields.iter().filter(|field| field.required) {
        if !table.contains_key(field.key) {
            missing_key(shape, None, field, header, report);
        }
    }
    for key in &rejected {
        table.remove(key.as_str());
    }
}

fn check_nested(value: &mut Spanned<DeValue<'_>>, expect: Expect, report: &mut Report<'_>) {
    let span = value.span();
    match (value.get_mut(), expect) {
        (DeValue::Table(table), Expect::Table(shape)) => check_table(table, &span, shape, report),
        (DeValue::Array(tables), Expect::Tables(shape)) => {
            for element in tables.iter_mut() {
                let span = element.span();
                if let DeValue::Table(table) = element.get_mut() {
                    check_table(table, &span, shape, report);
                }
            }
        }
        _ => {}
    }
}

/// Whether a value has the TOML type a key expects.
fn fits(value: &DeValue<'_>, expect: Expect) -> bool {
    match (value, expect) {
        (DeValue::String(_), Expect::Text | Expect::TextOrNumber)
        | (DeValue::Integer(_), Expect::WholeNumber | Expect::TextOrNumber)
        | (DeValue::Boolean(_), Expect::YesNo)
        | (DeValue::Table(_), Expect::Table(_)) => true,
        (DeValue::Array(elements), Expect::Tables(_)) => elements
            .iter()
            .all(|element| matches!(element.get_ref(), DeValue::Table(_))),
        _ => false,
    }
}

/// Checks the keys that depend on a table's `kind` (a step's): the kind must be known,
/// every key must be one that kind uses, and the kind's own required keys must be there.
fn check_kind(
    table: &DeTable<'_>,
    header: &Range<usize>,
    shape: &Shape,
    rejected: &mut Vec<String>,
    report: &mut Report<'_>,
) {
    // A missing or mistyped `kind` was reported with the other keys.
    let Some(kind_value) = table.get("kind") else {
        return;
    };
    let DeValue::String(name) = kind_value.get_ref() else {
        return;
    };
    let Some(kind) = shape.kinds.iter().find(|kind| kind.name == name) else {
        let allowed = || shape.kinds.iter().map(|kind| kind.name);
        report.at(
            &kind_value.span(),
            format!("unknown step kind \"{name}\""),
            format!(
                "use one of: {}.{}",
                allowed().collect::<Vec<_>>().join(", "),
                did_you_mean(name, allowed())
            ),
        );
        return;
    };
    for (key, _) in table {
        let key_name = key.get_ref().as_ref();
        let known = shape.field(key_name).is_some();
        if known && !kind.uses(key_name) && !rejected.iter().any(|r| r == key_name) {
            not_used_by_kind(key_name, &key.span(), kind, report);
            rejected.push(key_name.to_owned());
        }
    }
    for key in kind.required {
        if !table.contains_key(*key) {
            let field = shape
                .field(key)
                .expect("every kind's key is a step key (tested)");
            missing_key(shape, Some(kind.name), field, header, report);
        }
    }
}

fn not_used_by_kind(key: &str, span: &Range<usize>, kind: &KindKeys, report: &mut Report<'_>) {
    let uses: Vec<_> = kind.required.iter().chain(kind.optional).copied().collect();
    report.at(
        span,
        format!("`{key}` is not used by a `{}` step", kind.name),
        format!(
            "a `{}` step uses: {}. Remove this line, or change `kind` if you meant another \
             kind of step.",
            kind.name,
            uses.join(", ")
        ),
    );
}

fn unknown_key(name: &str, span: &Range<usize>, shape: &Shape, report: &mut Report<'_>) {
    let allowed: Vec<_> = shape.keys().collect();
    report.at(
        span,
        format!("unknown key `{name}` in {}", shape.owner),
        format!(
            "the keys allowed here are: {}.{} A misspelt key would be silently lost, so \
             mend refuses it.",
            allowed.join(", "),
            did_you_mean(name, allowed.iter().copied())
        ),
    );
}

fn wrong_type(field: &Field, value: &Spanned<DeValue<'_>>, report: &mut Report<'_>) {
    report.at(
        &value.span(),
        format!(
            "`{}` should be {}, not {}",
            field.key,
            expected_words(field.expect),
            found_words(value.get_ref())
        ),
        format!("write it like this: {}", field.example),
    );
}

/// Reports a missing key at the table's header. `kind` names the step kind when the key
/// is one only that kind needs.
fn missing_key(
    shape: &Shape,
    kind: Option<&str>,
    field: &Field,
    header: &Range<usize>,
    report: &mut Report<'_>,
) {
    let owner = match kind {
        Some(kind) => format!("this `{kind}` step"),
        None => shape.owner.to_owned(),
    };
    report.at(
        header,
        format!("{owner} is missing `{}`", field.key),
        format!("add a line like this {}: {}", shape.place, field.example),
    );
}

fn expected_words(expect: Expect) -> &'static str {
    match expect {
        Expect::Text => "text in double quotes",
        Expect::WholeNumber => "a whole number",
        Expect::YesNo => "true or false",
        Expect::TextOrNumber => "text in double quotes or a whole number",
        Expect::Table(_) => "a table",
        Expect::Tables(_) => "a list of tables",
    }
}

fn found_words(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}
