//! The `mend` binary: parse the command line, run, map errors to exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::TimeDelta;
use clap::Parser;

use mend::cli::{Cli, Command};
use mend::vault::{KdfCost, Paths, Vault, VaultError};
use mend::{content, driver};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Check { files }) => check(&files),
        Some(Command::People) => people(&cli),
        None => run(&cli),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("mend: {message}");
            ExitCode::FAILURE
        }
    }
}

fn check(files: &[std::path::PathBuf]) -> Result<ExitCode, String> {
    let mut out = io::stdout().lock();
    let problems = content::check::check_files(files, &mut out).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn open_vault(cli: &Cli) -> Result<Vault, VaultError> {
    let paths = Paths::resolve(cli.data_dir.clone())?;
    Vault::open(&paths, KdfCost::from_env()?)
}

fn people(cli: &Cli) -> Result<ExitCode, String> {
    let vault = open_vault(cli).map_err(|e| e.to_string())?;
    let lines = driver::people_lines(&vault);
    if lines.is_empty() {
        println!("No one has a profile in this vault yet. Run `mend` to create one.");
    }
    for line in lines {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

fn run(cli: &Cli) -> Result<ExitCode, String> {
    let vault = open_vault(cli).map_err(|e| e.to_string())?;
    let workbooks = vec![content::builtin()];
    let idle = TimeDelta::minutes(i64::from(cli.lock_after));
    driver::run(vault, workbooks, idle).map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
