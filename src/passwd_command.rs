//! `mend passwd`: change a passphrase, replace a forgotten one with the recovery code,
//! or make a new recovery code. Every secret is asked for on the terminal without
//! echo, never taken from the command line.

use age::secrecy::{ExposeSecret, SecretString};

use crate::cli::PasswdArgs;
use crate::export_command::{choose_person, prompt_hidden};
use crate::vault::Vault;

/// Runs the command; the error is a sentence for the person.
pub fn run(vault: &Vault, args: &PasswdArgs) -> Result<String, String> {
    let person = choose_person(vault, args.person.as_deref())?;
    let name = &person.name;
    if args.recover {
        let code = prompt_hidden(&format!("Recovery code for {name}: "))?;
        let new = new_passphrase()?;
        vault
            .recover(&person.id, &code, &new)
            .map_err(|e| e.to_string())?;
        return Ok(format!(
            "{name}'s passphrase was replaced. Unlock with the new one from now on; the \
             recovery code still works if you need it again."
        ));
    }
    let current = prompt_hidden(&format!("Current passphrase for {name}: "))?;
    let keys = vault
        .unlock(&person.id, &current)
        .map_err(|e| e.to_string())?;
    if args.new_recovery_code {
        let code = vault
            .create_recovery_code(&keys)
            .map_err(|e| e.to_string())?;
        return Ok(format!(
            "{name}'s recovery code (it replaces any earlier one):\n\n    {}\n\nWrite it \
             down and keep it somewhere safe, away from this computer. mend will not show \
             it again. With it you can set a new passphrase if you forget yours \
             (`mend passwd --recover`, or Ctrl-R on the unlock screen).",
            code.expose_secret()
        ));
    }
    let new = new_passphrase()?;
    vault
        .change_passphrase(&keys, &current, &new)
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "{name}'s passphrase was changed. The old one no longer opens anything."
    ))
}

/// A new passphrase, typed twice.
fn new_passphrase() -> Result<SecretString, String> {
    let new = prompt_hidden("New passphrase: ")?;
    if new.expose_secret().is_empty() {
        return Err("A passphrase cannot be empty; nothing was changed.".to_owned());
    }
    let again = prompt_hidden("The new passphrase again: ")?;
    if new.expose_secret() != again.expose_secret() {
        return Err("The two new passphrases differ; nothing was changed. Try again.".to_owned());
    }
    Ok(new)
}
