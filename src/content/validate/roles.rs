//! Roles: the `[[workbook.roles]]` a person may choose at setup, the `for_role` keys of
//! exercises and steps that name them, and the promise that follows from both: nobody
//! who chose a role opens an exercise with nothing in it.
//!
//! Roles are read before the modules, so every `for_role` can be checked against them
//! wherever in the file the roles are written.

use std::ops::Range;

use toml::Spanned;

use super::report::{Report, did_you_mean};
use super::values::{Reported, SiblingIds, id, optional_text, required_text};
use crate::content::raw::RawRole;
use crate::content::{Exercise, Role, RoleId};

/// The role ids written in `[[workbook.roles]]`, in file order and without repeats.
/// A badly written id is kept: it was reported once at the role, and a `for_role`
/// naming it should not be reported a second time.
pub struct DefinedRoles {
    ids: Vec<String>,
}

impl DefinedRoles {
    pub fn new(raw: &[Spanned<RawRole>]) -> Self {
        let mut ids: Vec<String> = Vec::new();
        for role in raw {
            if let Some(id) = &role.get_ref().id
                && !ids.contains(id.get_ref())
            {
                ids.push(id.get_ref().clone());
            }
        }
        Self { ids }
    }

    /// An optional `for_role`: `Ok(None)` when not given, `Err` when it names a role the
    /// workbook does not define (reported).
    pub fn for_role(
        &self,
        value: Option<&Spanned<String>>,
        report: &mut Report<'_>,
    ) -> Result<Option<RoleId>, Reported> {
        let Some(value) = value else {
            return Ok(None);
        };
        let name = value.get_ref();
        if self.ids.contains(name) {
            return Ok(Some(RoleId::new(name.clone())));
        }
        let hint = if self.ids.is_empty() {
            format!(
                "this workbook defines no roles. Add a [[workbook.roles]] table with \
                 id = \"{name}\" and a label, or remove this `for_role` line so everyone \
                 sees it."
            )
        } else {
            format!(
                "the roles defined in [[workbook.roles]] are: {}.{} Use one of them, or \
                 add a [[workbook.roles]] table for \"{name}\".",
                self.ids.join(", "),
                did_you_mean(name, self.ids.iter().map(String::as_str))
            )
        };
        report.at(
            &value.span(),
            format!("`for_role` names the role \"{name}\", which this workbook does not define"),
            hint,
        );
        Err(Reported)
    }

    /// Reports, at `header`, the roles that would be shown `exercise` with none of its
    /// steps: every step names another role. `owner` is "this exercise" or "the
    /// check-in". Returns whether every role sees at least one step.
    pub fn each_sees_a_step(
        &self,
        exercise: &Exercise,
        owner: &str,
        header: &Range<usize>,
        report: &mut Report<'_>,
    ) -> bool {
        let left_out: Vec<String> = self
            .ids
            .iter()
            .filter(|id| {
                let role = RoleId::new(id.as_str());
                exercise.shown_to(Some(&role)) && exercise.for_person(Some(&role)).steps.is_empty()
            })
            .map(|id| format!("\"{id}\""))
            .collect();
        let Some(example) = left_out.first() else {
            return true;
        };
        report.at(
            header,
            format!(
                "no step of {owner} is shown to people who chose the role {}",
                left_out.join(" or ")
            ),
            format!(
                "every step has a `for_role` naming another role, so they would open an \
                 empty page. Add a step without `for_role`, which everyone sees, or a step \
                 with for_role = {example}."
            ),
        );
        false
    }
}

/// Every `[[workbook.roles]]` entry, checked: ids in the id format and unique, labels
/// not empty.
pub fn roles(raw: &[Spanned<RawRole>], report: &mut Report<'_>) -> Option<Vec<Role>> {
    let mut ids = SiblingIds::default();
    let roles: Vec<_> = raw
        .iter()
        .map(|role| {
            let role = role.get_ref();
            ids.record(role.id.as_ref(), "role", "in this workbook", report);
            let id = id(role.id.as_ref(), RoleId::new, report);
            let label = required_text(role.label.as_ref(), "label", report);
            let description = optional_text(role.description.as_ref(), "description", report);
            Some(Role {
                id: id?,
                label: label?,
                description,
            })
        })
        .collect();
    roles.into_iter().collect()
}
