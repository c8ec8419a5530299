//! Making a profile: the welcome, the form (name, passphrase twice), and the optional
//! role question. The passphrase leaves the form only inside the effect that uses it.

use age::secrecy::SecretString;

use super::{Action, BackTo, Ctx, Effect, LineField, Screen, SecretField, Transition};
use crate::domain::Profile;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateField {
    Name,
    Passphrase,
    Repeat,
}

#[derive(Debug)]
pub struct CreateState {
    pub name: LineField,
    pub passphrase: SecretField,
    pub repeat: SecretField,
    pub focus: CreateField,
    pub error: Option<String>,
}

/// The optional last step of a new profile: which role describes this person.
#[derive(Debug)]
pub struct RoleState {
    pub name: String,
    pub passphrase: SecretString,
    /// The workbook whose roles are offered.
    pub workbook: usize,
    /// Index into that workbook's roles; one past the end is "prefer not to say".
    pub selected: usize,
}

/// The welcome: Enter begins a profile.
pub(super) fn welcome(action: &Action) -> Transition {
    if matches!(action, Action::Select) {
        Transition::go(Screen::CreateProfile(new_create_state()))
    } else {
        Transition::stay()
    }
}

/// An empty new-profile form.
pub(super) fn new_create_state() -> CreateState {
    CreateState {
        name: LineField::default(),
        passphrase: SecretField::default(),
        repeat: SecretField::default(),
        focus: CreateField::Name,
        error: None,
    }
}

impl CreateState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Transition {
        match action {
            Action::Char(c) => self.push(&c.to_string()),
            Action::Paste(text) => self.push(&text),
            Action::Backspace => match self.focus {
                CreateField::Name => self.name.backspace(),
                CreateField::Passphrase => self.passphrase.backspace(),
                CreateField::Repeat => self.repeat.backspace(),
            },
            Action::Next | Action::Down => self.focus = next_field(self.focus),
            Action::Back | Action::Up => self.focus = previous_field(self.focus),
            Action::Cancel => return Transition::go(ctx.start_screen()),
            Action::Select => return self.submit(ctx),
            _ => {}
        }
        Transition::stay()
    }

    fn push(&mut self, text: &str) {
        self.error = None;
        match self.focus {
            CreateField::Name => self.name.push_str(text),
            CreateField::Passphrase => self.passphrase.push_str(text),
            CreateField::Repeat => self.repeat.push_str(text),
        }
    }

    fn submit(&mut self, ctx: &Ctx) -> Transition {
        let name = self.name.value().trim().to_owned();
        if name.is_empty() {
            self.focus = CreateField::Name;
            self.error = Some(
                "Type a name first. Any name will do: it is only shown on this computer."
                    .to_owned(),
            );
            return Transition::stay();
        }
        match self.focus {
            CreateField::Name => self.focus = CreateField::Passphrase,
            CreateField::Passphrase if self.passphrase.is_empty() => {
                self.error =
                    Some("Choose a passphrase: it is what keeps your answers yours.".to_owned());
            }
            CreateField::Passphrase => self.focus = CreateField::Repeat,
            CreateField::Repeat if !self.passphrase.matches(&self.repeat) => {
                self.passphrase.clear();
                self.repeat.clear();
                self.focus = CreateField::Passphrase;
                self.error = Some(
                    "The two passphrases were different. Please type it twice again.".to_owned(),
                );
            }
            CreateField::Repeat => {
                let passphrase = self.passphrase.take();
                self.repeat.clear();
                if let Some(workbook) = ctx.workbooks.iter().position(|w| !w.roles.is_empty()) {
                    let selected = ctx.workbooks[workbook].roles.len();
                    return Transition::go(Screen::ChooseRole(RoleState {
                        name,
                        passphrase,
                        workbook,
                        selected,
                    }));
                }
                return create(name, passphrase, Profile::default());
            }
        }
        Transition::stay()
    }
}

fn next_field(field: CreateField) -> CreateField {
    match field {
        CreateField::Name => CreateField::Passphrase,
        CreateField::Passphrase | CreateField::Repeat => CreateField::Repeat,
    }
}

fn previous_field(field: CreateField) -> CreateField {
    match field {
        CreateField::Name | CreateField::Passphrase => CreateField::Name,
        CreateField::Repeat => CreateField::Passphrase,
    }
}

fn create(name: String, passphrase: SecretString, profile: Profile) -> Transition {
    let back = BackTo::Create { name: name.clone() };
    Transition::wait(
        "Creating your profile and its keys…",
        Effect::CreateProfile {
            name,
            passphrase,
            profile,
            back,
        },
    )
}

impl RoleState {
    /// The optional role question at the end of a new profile.
    pub fn update(&mut self, ctx: &Ctx, action: &Action) -> Transition {
        let roles = &ctx.workbooks[self.workbook].roles;
        match action {
            Action::Up | Action::Back => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::Next => self.selected = (self.selected + 1).min(roles.len()),
            Action::Cancel => {
                let mut name = LineField::default();
                name.push_str(&self.name);
                return Transition::go(Screen::CreateProfile(CreateState {
                    name,
                    focus: CreateField::Passphrase,
                    error: Some("Type your passphrase twice again, please.".to_owned()),
                    ..new_create_state()
                }));
            }
            Action::Select => {
                let mut profile = Profile::default();
                if let Some(role) = roles.get(self.selected) {
                    profile
                        .roles
                        .insert(ctx.workbooks[self.workbook].id.clone(), role.id.clone());
                }
                let name = std::mem::take(&mut self.name);
                let passphrase = std::mem::replace(&mut self.passphrase, SecretString::from(""));
                return create(name, passphrase, profile);
            }
            _ => {}
        }
        Transition::stay()
    }
}
