//! `mend passwd`: change a passphrase, replace a forgotten one with the recovery code,
//! or make a new recovery code. Every secret is asked for on the terminal without
//! echo, never taken from the command line.

use age::secrecy::{ExposeSecret, SecretString};

use crate::cli::PasswdArgs;
use crate::command_error::CommandError;
use crate::export_command::{choose_person, prompt_hidden};
use crate::vault::Vault;

/// Runs the command; what it did, as a sentence for the person.
pub fn run(vault: &Vault, args: &PasswdArgs) -> Result<String, CommandError> {
    let person = choose_person(vault, args.person.as_deref())?;
    let name = &person.name;
    if args.recover {
        let code = prompt_hidden(&format!("Recovery code for {name}: "))?;
        let new = new_passphrase()?;
        vault.recover(&person.id, &code, &new)?;
        return Ok(format!(
            "{name}'s passphrase was replaced. Unlock with the new one from now on; the \
             recovery code still works if you need it again."
        ));
    }
    let current = prompt_hidden(&format!("Current passphrase for {name}: "))?;
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
    let new = new_passphrase()?;
    vault.change_passphrase(&keys, &current, &new)?;
    Ok(format!(
        "{name}'s passphrase was changed. The old one no longer opens anything."
    ))
}

/// A new passphrase, typed twice.
fn new_passphrase() -> Result<SecretString, CommandError> {
    let new = prompt_hidden("New passphrase: ")?;
    if new.expose_secret().is_empty() {
        return Err(CommandError::EmptyPassphrase);
    }
    let again = prompt_hidden("The new passphrase again: ")?;
    if new.expose_secret() != again.expose_secret() {
        return Err(CommandError::PassphrasesDiffer);
    }
    Ok(new)
}
