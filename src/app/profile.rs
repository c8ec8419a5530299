//! Making a profile: the welcome, the form (name, passphrase twice), and the optional
//! role question. The passphrase leaves the form only inside the effect that uses it.
//!
//! A passphrase too easy to guess is refused (see [`Strength`]); Ctrl-G fills in one of
//! six random words instead and shows it until the form is left or edited.

use age::secrecy::{ExposeSecret, SecretString};

use super::fields::Strength;
use super::{Action, BackTo, Ctx, Effect, LineField, Screen, SecretField, Transition};
use crate::domain::Profile;
use crate::words;

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
    /// How strong the passphrase typed is, kept up to date as it is typed.
    pub strength: Option<Strength>,
    /// A passphrase mend made (Ctrl-G), on screen to be written down; gone once either
    /// passphrase field is edited.
    pub generated: Option<SecretString>,
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
        strength: None,
        generated: None,
    }
}

impl CreateState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Transition {
        match action {
            Action::Char(_) | Action::Paste(_) | Action::Backspace => self.edit(action),
            Action::GeneratePassphrase => self.generate(ctx),
            Action::Next | Action::Down => self.focus = next_field(self.focus),
            Action::Back | Action::Up => self.focus = previous_field(self.focus),
            Action::Cancel => return Transition::go(ctx.start_screen()),
            Action::Select => return self.submit(ctx),
            _ => {}
        }
        Transition::stay()
    }

    /// A character typed, a paste, or Backspace, in the field with the focus.
    fn edit(&mut self, action: Action) {
        if !matches!(action, Action::Backspace) {
            self.error = None;
        }
        let field = match self.focus {
            CreateField::Name => {
                match action {
                    Action::Char(c) => self.name.push_str(c.encode_utf8(&mut [0; 4])),
                    Action::Paste(text) => self.name.push_str(&text),
                    Action::Backspace => self.name.backspace(),
                    _ => {}
                }
                self.strength = self.passphrase.strength(&[self.name.value()]);
                return;
            }
            CreateField::Passphrase => &mut self.passphrase,
            CreateField::Repeat => &mut self.repeat,
        };
        match action {
            // On the stack: a typed character leaves no copy on the heap.
            Action::Char(c) => field.push_str(c.encode_utf8(&mut [0; 4])),
            Action::Paste(text) => field.paste(text),
            Action::Backspace => field.backspace(),
            _ => {}
        }
        // Typed over, the passphrase mend made is no longer the one in the fields.
        self.generated = None;
        self.strength = self.passphrase.strength(&[self.name.value()]);
    }

    /// Ctrl-G: both passphrase fields filled with six random words, shown to be written
    /// down; Enter then uses them. The words come from this action's fresh random id
    /// (see [`words::Seed::from_uuid`]), so nothing here draws randomness.
    fn generate(&mut self, ctx: &Ctx) {
        let phrase = words::passphrase(words::Seed::from_uuid(ctx.fresh_id.0));
        for field in [&mut self.passphrase, &mut self.repeat] {
            field.clear();
            field.push_str(phrase.expose_secret());
        }
        self.strength = self.passphrase.strength(&[self.name.value()]);
        self.generated = Some(phrase);
        self.error = None;
        self.focus = CreateField::Repeat;
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
        // Checked on the way out of the passphrase field and again at the end, since Tab
        // leaves a field without Enter.
        if self.focus != CreateField::Name
            && let Some(weak) = self.passphrase.strength(&[&name])
            && !weak.is_enough()
        {
            self.focus = CreateField::Passphrase;
            self.error = Some(refusal(&weak));
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
                self.strength = None;
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

/// Why a new passphrase was refused, and the two ways on: a stronger one, or one made
/// for the person. Shared with the passphrase change form.
pub(super) fn refusal(weak: &Strength) -> String {
    format!(
        "{} Or press Ctrl-G and mend will make one for you.",
        weak.refusal()
    )
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
            Action::Home => self.selected = 0,
            Action::Pick(i) => self.selected = (*i).min(roles.len()),
            Action::End => self.selected = roles.len(),
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
