//! The keys a workbook file may contain, where, and what kind of value each holds.
//!
//! This is the data the shape check walks the parsed TOML against, so that every
//! unknown key, wrongly typed value and missing key is reported in one pass, each with
//! an example line to copy. It mirrors [`crate::content::raw`] key for key; a test
//! asks serde for the raw structs' field names and fails if the two drift apart.

/// What a key's value must be.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// A quoted string.
    Text,
    /// An integer.
    WholeNumber,
    /// `true` or `false`.
    YesNo,
    /// A string or an integer (a workbook's version).
    TextOrNumber,
    /// A table, such as `[workbook]`.
    Table(&'static Shape),
    /// A list of tables, such as `[[modules]]` or `[{ id = "a" }, ...]`.
    Tables(&'static Shape),
}

/// One key a table may hold.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub expect: Expect,
    /// Required whatever the table; a step's kind adds its own required keys.
    pub required: bool,
    /// A line the author could copy, shown in hints.
    pub example: &'static str,
}

/// The keys one kind of table may hold.
#[derive(Debug)]
pub struct Shape {
    /// The table in a sentence, e.g. "this `[[modules]]` table".
    pub owner: &'static str,
    /// Where a missing key goes, e.g. "under its `[[modules]]` line".
    pub place: &'static str,
    /// The kinds such a table may be, when its other keys depend on its `kind` key.
    pub kinds: &'static [KindKeys],
    pub fields: &'static [Field],
}

impl Shape {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|field| field.key == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.fields.iter().map(|field| field.key)
    }
}

/// The keys that belong to one step kind, beyond `id` and `kind`.
#[derive(Debug)]
pub struct KindKeys {
    pub name: &'static str,
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

impl KindKeys {
    pub fn uses(&self, key: &str) -> bool {
        STEP_COMMON_KEYS.contains(&key)
            || self.required.contains(&key)
            || self.optional.contains(&key)
    }
}

/// Keys every step may have whatever its kind.
pub const STEP_COMMON_KEYS: &[&str] = &["id", "kind", "for_role"];

pub static STEP_KINDS: &[KindKeys] = &[
    KindKeys {
        name: "text",
        required: &["prompt"],
        optional: &["placeholder", "min_length", "max_length"],
    },
    KindKeys {
        name: "scale",
        required: &["prompt", "min", "max", "min_label", "max_label"],
        optional: &[],
    },
    KindKeys {
        name: "choice",
        required: &["prompt"],
        optional: &["options", "multiple"],
    },
    KindKeys {
        name: "checklist",
        required: &["prompt"],
        optional: &["items"],
    },
    KindKeys {
        name: "reflect",
        required: &["text"],
        optional: &[],
    },
];

const fn field(key: &'static str, expect: Expect, example: &'static str) -> Field {
    Field {
        key,
        expect,
        required: false,
        example,
    }
}

const fn required(key: &'static str, expect: Expect, example: &'static str) -> Field {
    Field {
        key,
        expect,
        required: true,
        example,
    }
}

pub static FILE: Shape = Shape {
    owner: "the file",
    place: "at the top of the file",
    kinds: &[],
    fields: &[
        required("workbook", Expect::Table(&WORKBOOK), "[workbook]"),
        field("modules", Expect::Tables(&MODULE), "[[modules]]"),
        field("checkin", Expect::Table(&CHECKIN), "[checkin]"),
    ],
};

pub static WORKBOOK: Shape = Shape {
    owner: "the [workbook] table",
    place: "under its [workbook] line",
    kinds: &[],
    fields: &[
        required("id", Expect::Text, r#"id = "rebuilding-trust""#),
        required("title", Expect::Text, r#"title = "Rebuilding trust""#),
        required("version", Expect::TextOrNumber, r#"version = "1""#),
        required(
            "description",
            Expect::Text,
            r#"description = "What this workbook is for.""#,
        ),
        field(
            "resources",
            Expect::Tables(&RESOURCE),
            "[[workbook.resources]]",
        ),
        field("roles", Expect::Tables(&ROLE), "[[workbook.roles]]"),
    ],
};

pub static ROLE: Shape = Shape {
    owner: "this [[workbook.roles]] table",
    place: "under its [[workbook.roles]] line",
    kinds: &[],
    fields: &[
        required("id", Expect::Text, r#"id = "hurt""#),
        required(
            "label",
            Expect::Text,
            r#"label = "The partner who was hurt""#,
        ),
        field(
            "description",
            Expect::Text,
            r#"description = "Choose this if your partner was unfaithful.""#,
        ),
    ],
};

pub static RESOURCE: Shape = Shape {
    owner: "this [[workbook.resources]] table",
    place: "under its [[workbook.resources]] line",
    kinds: &[],
    fields: &[
        required("name", Expect::Text, r#"name = "Samaritans""#),
        required("country", Expect::Text, r#"country = "UK & Ireland""#),
        required("contact", Expect::Text, r#"contact = "116 123""#),
        field(
            "note",
            Expect::Text,
            r#"note = "Free, any time, day or night.""#,
        ),
    ],
};

pub static MODULE: Shape = Shape {
    owner: "this [[modules]] table",
    place: "under its [[modules]] line",
    kinds: &[],
    fields: &[
        required("id", Expect::Text, r#"id = "before-you-begin""#),
        required("title", Expect::Text, r#"title = "Before you begin""#),
        field(
            "intro",
            Expect::Text,
            r#"intro = "What this module is about.""#,
        ),
        field(
            "exercises",
            Expect::Tables(&EXERCISE),
            "[[modules.exercises]]",
        ),
    ],
};

pub static EXERCISE: Shape = Shape {
    owner: "this [[modules.exercises]] table",
    place: "under its [[modules.exercises]] line",
    kinds: &[],
    fields: &[
        required("id", Expect::Text, r#"id = "what-this-is""#),
        required("title", Expect::Text, r#"title = "What this is""#),
        field(
            "intro",
            Expect::Text,
            r#"intro = "What this exercise asks of you.""#,
        ),
        field("mode", Expect::Text, r#"mode = "either""#),
        field(
            "default_visibility",
            Expect::Text,
            r#"default_visibility = "private""#,
        ),
        field(
            "estimated_minutes",
            Expect::WholeNumber,
            "estimated_minutes = 10",
        ),
        field("for_role", Expect::Text, r#"for_role = "hurt""#),
        field("session", Expect::YesNo, "session = true"),
        field(
            "steps",
            Expect::Tables(&STEP),
            "[[modules.exercises.steps]]",
        ),
    ],
};

pub static CHECKIN: Shape = Shape {
    owner: "the [checkin] table",
    place: "under its [checkin] line",
    kinds: &[],
    fields: &[
        required("id", Expect::Text, r#"id = "check-in""#),
        required("title", Expect::Text, r#"title = "Quick check-in""#),
        field(
            "intro",
            Expect::Text,
            r#"intro = "A minute to notice how you are.""#,
        ),
        field(
            "estimated_minutes",
            Expect::WholeNumber,
            "estimated_minutes = 1",
        ),
        field("steps", Expect::Tables(&CHECKIN_STEP), "[[checkin.steps]]"),
    ],
};

pub static STEP: Shape = Shape {
    owner: "this [[modules.exercises.steps]] table",
    place: "under its [[modules.exercises.steps]] line",
    kinds: STEP_KINDS,
    fields: STEP_FIELDS,
};

/// A check-in's steps: the same keys as an exercise's, named by their own table.
pub static CHECKIN_STEP: Shape = Shape {
    owner: "this [[checkin.steps]] table",
    place: "under its [[checkin.steps]] line",
    kinds: STEP_KINDS,
    fields: STEP_FIELDS,
};

static STEP_FIELDS: &[Field] = &[
    required("id", Expect::Text, r#"id = "hope""#),
    required("kind", Expect::Text, r#"kind = "text""#),
    field("for_role", Expect::Text, r#"for_role = "hurt""#),
    field(
        "prompt",
        Expect::Text,
        r#"prompt = "What do you hope for?""#,
    ),
    field(
        "text",
        Expect::Text,
        r#"text = "Take a breath before you go on.""#,
    ),
    field(
        "placeholder",
        Expect::Text,
        r#"placeholder = "Write as much or as little as you like""#,
    ),
    field("min_length", Expect::WholeNumber, "min_length = 20"),
    field("max_length", Expect::WholeNumber, "max_length = 2000"),
    field("min", Expect::WholeNumber, "min = 0"),
    field("max", Expect::WholeNumber, "max = 10"),
    field("min_label", Expect::Text, r#"min_label = "Not at all""#),
    field("max_label", Expect::Text, r#"max_label = "Completely""#),
    field(
        "options",
        Expect::Tables(&OPTION),
        r#"options = [{ id = "yes", label = "Yes" }]"#,
    ),
    field("multiple", Expect::YesNo, "multiple = false"),
    field(
        "items",
        Expect::Tables(&OPTION),
        r#"items = [{ id = "walk", label = "Go for a walk" }]"#,
    ),
];

pub static OPTION: Shape = Shape {
    owner: "this option or item",
    place: "inside its { }",
    kinds: &[],
    fields: &[
        required("id", Expect::Text, r#"id = "yes""#),
        required("label", Expect::Text, r#"label = "Yes""#),
    ],
};

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::{self, Deserializer, Visitor};

    use super::*;
    use crate::content::raw;

    /// A deserializer that only records which field names a struct asks for.
    struct FieldNames<'a>(&'a mut &'static [&'static str]);

    impl<'de> Deserializer<'de> for FieldNames<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only structs are asked"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }

    fn serde_fields<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
        let mut fields: &'static [&'static str] = &[];
        let _ = T::deserialize(FieldNames(&mut fields));
        let mut fields = fields.to_vec();
        fields.sort_unstable();
        fields
    }

    fn schema_fields(shape: &Shape) -> Vec<&'static str> {
        let mut keys: Vec<_> = shape.keys().collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn schema_has_exactly_the_raw_structs_fields() {
        let cases = [
            ("file", serde_fields::<raw::RawFile>(), schema_fields(&FILE)),
            (
                "workbook",
                serde_fields::<raw::RawWorkbook>(),
                schema_fields(&WORKBOOK),
            ),
            (
                "resource",
                serde_fields::<raw::RawResource>(),
                schema_fields(&RESOURCE),
            ),
            (
                "module",
                serde_fields::<raw::RawModule>(),
                schema_fields(&MODULE),
            ),
            (
                "exercise",
                serde_fields::<raw::RawExercise>(),
                schema_fields(&EXERCISE),
            ),
            ("role", serde_fields::<raw::RawRole>(), schema_fields(&ROLE)),
            (
                "checkin",
                serde_fields::<raw::RawCheckin>(),
                schema_fields(&CHECKIN),
            ),
            ("step", serde_fields::<raw::RawStep>(), schema_fields(&STEP)),
            (
                "checkin step",
                serde_fields::<raw::RawStep>(),
                schema_fields(&CHECKIN_STEP),
            ),
            (
                "option",
                serde_fields::<raw::RawOption>(),
                schema_fields(&OPTION),
            ),
        ];
        for (table, serde, schema) in cases {
            assert!(!serde.is_empty(), "serde reported no fields for {table}");
            assert_eq!(serde, schema, "table: {table}");
        }
    }

    #[test]
    fn every_step_kind_key_is_a_step_key() {
        for kind in STEP_KINDS {
            for key in kind.required.iter().chain(kind.optional) {
                assert!(STEP.field(key).is_some(), "kind {}: key {key}", kind.name);
            }
        }
    }

    #[test]
    fn every_step_key_belongs_to_some_kind() {
        for key in STEP.keys() {
            assert!(
                STEP_KINDS.iter().any(|kind| kind.uses(key)),
                "step key {key} is used by no kind"
            );
        }
    }
}
