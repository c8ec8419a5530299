//! `mend passwd`: change a passphrase, replace a forgotten one with the recovery code,
//! or make a new recovery code. Every secret is asked for on the terminal without
//! echo, or read from a file a script names (`--passphrase-file`,
//! `--new-passphrase-file`, `--recovery-code-file`); never taken from the command line.

use std::path::PathBuf;

use age::secrecy::{ExposeSecret, SecretString};

use crate::app::fields::Strength;
use crate::cli::PasswdArgs;
use crate::command_error::CommandError;
use crate::export_command::{choose_person, prompt_hidden, secret_from_file};
use crate::vault::Vault;

/// Runs the command; what it did, as a sentence for the person.
pub fn run(vault: &Vault, args: &PasswdArgs) -> Result<String, CommandError> {
    let person = choose_person(vault, args.person.as_deref())?;
    let name = &person.name;
    let mut secrets = Secrets::read(args)?;
    if args.recover {
        let code = secrets.code(&format!("Recovery code for {name}: "))?;
        let new = secrets.new_passphrase(name)?;
        vault.recover(&person.id, &code, &new)?;
        return Ok(format!(
            "{name}'s passphrase was replaced. Unlock with the new one from now on; the \
             recovery code still works if you need it again."
        ));
    }
    let current = secrets.current(&format!("Current passphrase for {name}: "))?;
    let keys = vault.unlock(&person.id, &current)?;
    if args.new_recovery_code {
        let code = vault.create_recovery_code(&keys)?;
        return Ok(format!(
            "{name}'s recovery code (it replaces any earlier one):\n\n    {}\n\nWrite it \
             down and keep it somewhere safe, away from this computer. mend will not show \
             it again. With it you can set a new passphrase if you forget yours \
             (`mend passwd --recover`, or Ctrl-R on the unlock screen).",
            code.expose_secret()
        ));
    }
    let new = secrets.new_passphrase(name)?;
    vault.change_passphrase(&keys, &current, &new)?;
    Ok(format!(
        "{name}'s passphrase was changed. The old one no longer opens anything."
    ))
}

/// The secrets this run needs: those a script gave in files, read before anything is
/// asked or unlocked (so a file mend cannot use is said at once); the rest asked for
/// on the terminal when their turn comes.
struct Secrets {
    current: Option<SecretString>,
    new: Option<SecretString>,
    code: Option<SecretString>,
    /// The options that would give, in files, the secrets still to be asked for: what
    /// to pass when there is no terminal.
    script_options: Vec<&'static str>,
}

impl Secrets {
    fn read(args: &PasswdArgs) -> Result<Self, CommandError> {
        let from = |file: &Option<PathBuf>, what| {
            file.as_deref()
                .map(|path| secret_from_file(path, what))
                .transpose()
        };
        let needed: &[(&'static str, &Option<PathBuf>)] = if args.recover {
            &[
                ("--recovery-code-file", &args.recovery_code_file),
                ("--new-passphrase-file", &args.new_passphrase_file),
            ]
        } else if args.new_recovery_code {
            &[("--passphrase-file", &args.passphrase_file)]
        } else {
            &[
                ("--passphrase-file", &args.passphrase_file),
                ("--new-passphrase-file", &args.new_passphrase_file),
            ]
        };
        Ok(Self {
            current: from(&args.passphrase_file, "passphrase")?,
            new: from(&args.new_passphrase_file, "new passphrase")?,
            code: from(&args.recovery_code_file, "recovery code")?,
            script_options: needed
                .iter()
                .filter(|(_, file)| file.is_none())
                .map(|&(option, _)| option)
                .collect(),
        })
    }

    fn current(&mut self, label: &str) -> Result<SecretString, CommandError> {
        match self.current.take() {
            Some(current) => Ok(current),
            None => prompt_hidden(label, &self.script_options),
        }
    }

    fn code(&mut self, label: &str) -> Result<SecretString, CommandError> {
        match self.code.take() {
            Some(code) => Ok(code),
            None => prompt_hidden(label, &self.script_options),
        }
    }

    /// A new passphrase: from its file, or typed twice. A typed one too easy to guess
    /// is refused as the app refuses it (see [`Strength`]), and asked for again until
    /// one is not, or the person leaves with Ctrl-C.
    fn new_passphrase(&mut self, name: &str) -> Result<SecretString, CommandError> {
        if let Some(new) = self.new.take() {
            // A file is never empty (see `secret_from_file`); a weak one is refused as a
            // typed one is, but a script cannot be asked again.
            let strength = Strength::of(new.expose_secret(), &[name]);
            if !strength.is_enough() {
                return Err(CommandError::WeakPassphrase(strength.refusal()));
            }
            return Ok(new);
        }
        let new = loop {
            let new = prompt_hidden("New passphrase: ", &self.script_options)?;
            if new.expose_secret().is_empty() {
                return Err(CommandError::EmptyPassphrase);
            }
            let strength = Strength::of(new.expose_secret(), &[name]);
            if strength.is_enough() {
                break new;
            }
            // Said where the prompts are; not an error, since the question is asked again.
            eprintln!("{} Ctrl-C stops; nothing was changed.", strength.refusal());
        };
        let again = prompt_hidden("The new passphrase again: ", &self.script_options)?;
        if new.expose_secret() != again.expose_secret() {
            return Err(CommandError::PassphrasesDiffer);
        }
        Ok(new)
    }
}
