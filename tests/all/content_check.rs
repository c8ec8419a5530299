//! Workbook files with problems, one fixture per kind of problem, checked the way
//! `mend check` reports them: each problem at an exact line and column, with a hint,
//! as an error (the workbook cannot be used) or a warning (it loads all the same).

use std::fs;
use std::path::{Path, PathBuf};

use mend::content::check::check_files;
use mend::content::validate::{check_file, check_str, load_file, parse_str};
use mend::content::{Diagnostic, MAX_FILE_BYTES, Severity, Workbook};

use crate::common::slashes;

/// The good fixture and inline workbooks, as they load.
mod good;

const FIXTURES: &str = "tests/fixtures/content";

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(format!("{name}.toml"))
}

fn problems(path: &Path) -> Vec<Diagnostic> {
    match load_file(path) {
        Ok(_) => panic!("{} loaded, but it has a problem", path.display()),
        Err(diagnostics) => diagnostics,
    }
}

fn load_good() -> Workbook {
    load_file(&fixture("good")).unwrap_or_else(|diagnostics| {
        let text: Vec<_> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("good.toml has problems:\n{}", text.join("\n"))
    })
}

/// One bad fixture: the single problem it must report, and where.
struct Case {
    fixture: &'static str,
    severity: Severity,
    line: usize,
    column: usize,
    message: &'static str,
    /// A fragment the hint must contain; every hint must say something in any case.
    hint: &'static str,
}

/// A fixture with one error: it must not load.
const fn case(
    fixture: &'static str,
    line: usize,
    column: usize,
    message: &'static str,
    hint: &'static str,
) -> Case {
    Case {
        fixture,
        severity: Severity::Error,
        line,
        column,
        message,
        hint,
    }
}

/// A fixture with one warning: it must load all the same.
const fn warning(
    fixture: &'static str,
    line: usize,
    column: usize,
    message: &'static str,
    hint: &'static str,
) -> Case {
    Case {
        severity: Severity::Warning,
        ..case(fixture, line, column, message, hint)
    }
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    case("syntax-error", 18, 10, "not valid TOML", "double quotes"),
    case("curly-quotes", 18, 10, "this line has a curly quote (\u{201C})", "straight quotes"),
    case("curly-single-quotes", 13, 9, "this line has a curly quote (\u{2018})", "plain-text editor"),
    case("unclosed-multiline", 10, 9, "the text opened with \"\"\" here is never closed", "on a line of its own"),
    case("unclosed-multiline-at-end", 18, 8, "the text opened with \"\"\" here is never closed", "where this text ends"),
    case("duplicate-key", 10, 1, "`title` is written twice", "keep one"),
    case("unknown-key", 10, 1, "unknown key `colour` in this [[modules]] table", "id, title, intro, exercises"),
    case("unknown-key-typo", 14, 1, "unknown key `estimated_minute`", "Did you mean `estimated_minutes`?"),
    case("key-not-for-kind", 19, 1, "`min` is not used by a `text` step", "prompt, placeholder, min_length, max_length"),
    case("reflect-with-prompt", 19, 1, "`prompt` is not used by a `reflect` step", "uses: text"),
    case("missing-prompt", 15, 1, "this `text` step is missing `prompt`", "prompt = "),
    case("missing-workbook-title", 1, 1, "the [workbook] table is missing `title`", "title = "),
    case("missing-kind", 15, 1, "missing `kind`", "kind = \"text\""),
    case("missing-workbook", 1, 1, "the file is missing `workbook`", "[workbook]"),
    case("wrong-type", 19, 7, "`min` should be a whole number, not text", "min = 0"),
    case("version-wrong-type", 4, 11, "`version` should be text in double quotes or a whole number, not a decimal number", "version = \"1\""),
    case("unknown-kind", 17, 8, "unknown step kind \"slider\"", "text, scale, choice, checklist, reflect"),
    case("unknown-mode", 14, 8, "unknown mode \"duo\"", "solo, together, either"),
    case("unknown-visibility", 14, 22, "unknown default_visibility \"public\"", "private, shared"),
    case("invalid-id", 16, 6, "the id \"Hope Step\" can only use lowercase letters", "\"hope-step\""),
    case("id-too-long", 8, 6, "longer than 64 characters", "short and plain"),
    case("empty-id", 12, 6, "an id cannot be empty", "short and plain"),
    case("duplicate-module-id", 21, 6, "duplicate module id \"module-one\" in this workbook: it is already used on line 8", "own id"),
    case("duplicate-exercise-id", 21, 6, "duplicate exercise id \"exercise-one\" in module \"module-one\": it is already used on line 12", "own id"),
    case("duplicate-step-id", 21, 6, "duplicate step id \"step-one\" in exercise \"exercise-one\": it is already used on line 16", "own id"),
    case("duplicate-option-id", 21, 10, "duplicate option id \"talk\" in step \"need\": it is already used on line 20", "own id"),
    case("duplicate-item-id", 19, 52, "duplicate item id \"walk\" in step \"care\": it is already used on line 19", "own id"),
    case("scale-min-not-below-max", 20, 7, "`max` (10) must be larger than `min` (10)", "min = 0 and max = 10"),
    case("scale-too-wide", 20, 7, "this scale has 101 points (0 to 100); at most 21 fit", "0 to 10"),
    case("scale-missing-label", 15, 1, "this `scale` step is missing `max_label`", "max_label = "),
    case("scale-empty-label", 21, 13, "`min_label` is empty", "between the quotes"),
    case("choice-no-options", 19, 11, "this choice step has no options", "options = [{ id = "),
    case("choice-options-missing", 15, 1, "this choice step has no options", "options = [{ id = "),
    case("checklist-no-items", 19, 9, "this checklist step has no items", "items = [{ id = "),
    case("empty-option-label", 19, 35, "`label` is empty", "between the quotes"),
    case("empty-prompt", 18, 10, "`prompt` is empty", "between the quotes"),
    case("empty-title", 13, 9, "`title` is empty", "between the quotes"),
    case("empty-reflect-text", 18, 8, "`text` is empty", "between the quotes"),
    case("no-modules", 1, 1, "the workbook has no modules", "[[modules]]"),
    case("module-no-exercises", 7, 1, "this module has no exercises", "[[modules.exercises]]"),
    case("exercise-no-steps", 11, 1, "this exercise has no steps", "[[modules.exercises.steps]]"),
    case("estimated-minutes-out-of-range", 14, 21, "`estimated_minutes` is 0, but it must be from 1 to 240", "1 to 240"),
    case("text-lengths-reversed", 20, 14, "`max_length` (100) is smaller than `min_length` (500)", "at least as large"),
    case("role-unknown-for-role-exercise", 22, 12, "`for_role` names the role \"hurtt\", which this workbook does not define", "are: hurt, unfaithful. Did you mean `hurt`?"),
    case("role-unknown-for-role-step", 19, 12, "`for_role` names the role \"hurt\", which this workbook does not define", "defines no roles. Add a [[workbook.roles]] table"),
    case("role-duplicate-id", 16, 6, "duplicate role id \"hurt\" in this workbook: it is already used on line 8", "own id"),
    case("role-empty-label", 9, 9, "`label` is empty", "between the quotes"),
    case("role-invalid-id", 8, 6, "the id \"Hurt Partner\" can only use lowercase letters", "\"hurt-partner\""),
    case("role-missing-label", 7, 1, "this [[workbook.roles]] table is missing `label`", "label = "),
    case("role-no-step-for-a-role", 19, 1, "no step of this exercise is shown to people who chose the role \"unfaithful\"", "for_role = \"unfaithful\""),
    case("exercise-id-in-two-modules", 25, 6, "duplicate exercise id \"exercise-one\" in module \"module-two\": it is already used in module \"module-one\", on line 12", "anywhere in the workbook"),
    case("checkin-id-used-by-exercise", 21, 6, "duplicate exercise id \"exercise-one\" in module \"module-one\": it is already used in the check-in, on line 8", "anywhere in the workbook"),
    case("module-id-reserved", 8, 6, "the module id \"checkin\" is reserved for the check-in", "[checkin] table"),
    case("checkin-no-steps", 20, 1, "the check-in has no steps", "[[checkin.steps]]"),
    case("checkin-missing-title", 20, 1, "the [checkin] table is missing `title`", "under its [checkin] line: title = "),
    case("checkin-unknown-key", 23, 1, "unknown key `mode` in the [checkin] table", "id, title, intro, estimated_minutes, steps"),
    case("checkin-step-missing-prompt", 24, 1, "this `text` step is missing `prompt`", "under its [[checkin.steps]] line"),
    warning("unsafe-text-bidi", 3, 9, "`title` contains an invisible character that changes the direction or order of text (U+202E)", "retype it"),
    warning("unsafe-text-control", 10, 15, "`description` contains a terminal escape character (U+001B)", "retype it"),
];

#[test]
fn each_bad_fixture_reports_its_one_problem_where_it_is() {
    for case in CASES {
        let path = fixture(case.fixture);
        let (workbook, found) = check_file(&path);
        let listing: Vec<_> = found.iter().map(ToString::to_string).collect();
        let listing = listing.join("\n");
        assert_eq!(
            workbook.is_some(),
            case.severity == Severity::Warning,
            "case {}: a workbook loads despite warnings, never despite errors:\n{listing}",
            case.fixture
        );
        assert_eq!(
            found.len(),
            1,
            "case {}: expected one problem, got:\n{listing}",
            case.fixture
        );
        let problem = &found[0];
        assert_eq!(problem.severity, case.severity, "case {}", case.fixture);
        assert_eq!(
            (problem.line, problem.column),
            (case.line, case.column),
            "case {}: wrong place:\n{listing}",
            case.fixture
        );
        assert!(
            problem.message.contains(case.message),
            "case {}: message should contain {:?}:\n{listing}",
            case.fixture,
            case.message
        );
        assert!(
            !problem.hint.trim().is_empty() && problem.hint.contains(case.hint),
            "case {}: hint should contain {:?}:\n{listing}",
            case.fixture,
            case.hint
        );
        assert_eq!(
            problem.file,
            path.display().to_string(),
            "case {}",
            case.fixture
        );
    }
}

#[test]
fn every_fixture_file_is_a_case() {
    let others = ["good", "several-problems"];
    for entry in fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap();
        assert!(
            others.contains(&name) || CASES.iter().any(|case| case.fixture == name),
            "fixture {name} is not checked by any test"
        );
    }
}

#[test]
fn several_problems_are_all_reported_in_file_order() {
    let found = problems(&fixture("several-problems"));
    let expected = [
        (6, 15, "`description` is empty"),
        (7, 1, "unknown key `colour`"),
        (10, 6, "the id \"Module One\""),
        (16, 8, "unknown mode \"alone\""),
        (23, 7, "`max` (1) must be larger than `min` (5)"),
        (
            28,
            6,
            "duplicate step id \"rating\" in exercise \"exercise-one\": it is already used on line 19",
        ),
        (30, 10, "`prompt` is empty"),
        (31, 11, "this choice step has no options"),
        (32, 1, "`placeholder` is not used by a `choice` step"),
        (34, 1, "this `text` step is missing `prompt`"),
        (37, 1, "unknown key `promt`"),
    ];
    let listing: Vec<_> = found.iter().map(ToString::to_string).collect();
    let listing = listing.join("\n");
    assert_eq!(found.len(), expected.len(), "got:\n{listing}");
    for (problem, (line, column, message)) in found.iter().zip(expected) {
        assert_eq!(
            (problem.line, problem.column),
            (line, column),
            "{message}:\n{listing}"
        );
        assert!(problem.message.contains(message), "{message}:\n{listing}");
    }
}

#[test]
fn files_over_one_mib_are_refused_and_files_at_the_limit_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = fs::read_to_string(fixture("good")).unwrap();
    let limit = usize::try_from(MAX_FILE_BYTES).unwrap();
    let padding = |size: usize| "#".repeat(size - good.len() - 1) + "\n";

    let at_limit = dir.path().join("at-limit.toml");
    fs::write(&at_limit, good.clone() + &padding(limit)).unwrap();
    assert_eq!(fs::metadata(&at_limit).unwrap().len(), MAX_FILE_BYTES);
    assert!(
        load_file(&at_limit).is_ok(),
        "a file of exactly 1 MiB is allowed"
    );

    let over = dir.path().join("over.toml");
    fs::write(&over, good.clone() + &padding(limit + 1)).unwrap();
    let found = problems(&over);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].line, found[0].column), (1, 1));
    assert!(found[0].message.contains("larger than 1 MiB"), "{found:?}");

    let text = "x".repeat(limit + 1);
    let found = parse_str("big.toml", &text).unwrap_err();
    assert!(
        found[0].message.contains("larger than 1 MiB"),
        "parse_str: {found:?}"
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_first_bad_byte() {
    let cases: [(&str, Vec<u8>, (usize, usize)); 3] = [
        (
            "latin-1 on line 2",
            b"[workbook]\nid = \"caf\xe9\"\n".to_vec(),
            (2, 10),
        ),
        (
            "after cjk",
            ["[workbook]\ntitle = \"信頼 ".as_bytes(), b"\xff\"\n"].concat(),
            (2, 13),
        ),
        ("first byte", b"\xff[workbook]\n".to_vec(), (1, 1)),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, expected) in cases {
        let path = dir.path().join("bad.toml");
        fs::write(&path, &bytes).unwrap();
        let found = problems(&path);
        assert_eq!(found.len(), 1, "case {name}: {found:?}");
        assert_eq!((found[0].line, found[0].column), expected, "case {name}");
        assert!(found[0].message.contains("not valid UTF-8"), "case {name}");
    }
}

#[test]
fn a_missing_file_is_a_diagnostic_not_a_panic() {
    let found = problems(Path::new("tests/fixtures/content/no-such-file.toml"));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("cannot read the file"),
        "{found:?}"
    );
}

#[test]
fn a_folder_is_checked_file_by_file_as_mend_content_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("good"), dir.path().join("b.toml")).unwrap();
    std::fs::copy(fixture("unknown-key"), dir.path().join("a.toml")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a workbook").unwrap();
    let mut out = Vec::new();
    let count = check_files(&[dir.path().to_owned()], &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(count, 1, "{out}");
    let a = out.find("a.toml:10:1: error: unknown key").expect(&out);
    let b = out.find("b.toml: ok").expect(&out);
    assert!(a < b, "in name order: {out}");
    assert!(!out.contains("notes.txt"), "{out}");
}

#[test]
fn check_files_prints_located_problems_and_a_summary_for_good_files() {
    let paths = [
        fixture("good"),
        fixture("several-problems"),
        fixture("unknown-key"),
    ];
    let mut out = Vec::new();
    let count = check_files(&paths, &mut out).unwrap();
    let out = slashes(&String::from_utf8(out).unwrap());
    assert_eq!(count, 12, "{out}");

    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "tests/fixtures/content/good.toml: ok (2 modules, 3 exercises, 7 steps, 2 roles, \
             a check-in of 2 steps)"
        )
    );
    let rest: Vec<_> = lines.collect();
    assert_eq!(
        rest.len(),
        2 * count,
        "a problem line and a hint line each:\n{out}"
    );
    for pair in rest.chunks(2) {
        let location = pair[0].split(": ").next().unwrap();
        let parts: Vec<_> = location.rsplitn(3, ':').collect();
        assert!(
            parts.len() == 3
                && parts[0].parse::<usize>().is_ok()
                && parts[1].parse::<usize>().is_ok()
                && parts[2].starts_with("tests/fixtures/content/"),
            "not file:line:column: {:?}",
            pair[0]
        );
        assert!(pair[1].starts_with("  hint: "), "{:?}", pair[1]);
    }
    assert!(
        out.contains("tests/fixtures/content/unknown-key.toml:10:1: error: unknown key `colour`")
    );
}

#[test]
fn check_files_counts_no_problems_for_good_files() {
    let mut out = Vec::new();
    assert_eq!(check_files(&[fixture("good")], &mut out).unwrap(), 0);
}

#[test]
fn warnings_are_printed_but_only_errors_are_counted() {
    let cases = [
        ("one warning", vec![fixture("unsafe-text-bidi")], 0, 1),
        (
            "a warning and an error",
            vec![fixture("unsafe-text-control"), fixture("unknown-key")],
            1,
            2,
        ),
    ];
    for (name, paths, errors, diagnostics) in cases {
        let mut out = Vec::new();
        let counted = check_files(&paths, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(counted, errors, "case {name}:\n{out}");
        let located = out
            .lines()
            .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
            .count();
        assert_eq!(located, diagnostics, "case {name}:\n{out}");
        assert!(
            out.contains(&format!(
                "{}: ok with 1 warning (1 module, 1 exercise, 1 step",
                paths[0].display()
            )),
            "case {name}:\n{out}"
        );
    }
}

#[test]
fn load_file_drops_warnings_and_check_file_keeps_them() {
    let path = fixture("unsafe-text-bidi");
    let workbook = load_file(&path).expect("a warning does not stop loading");
    let (checked, found) = check_file(&path);
    assert_eq!(checked, Some(workbook));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(
        slashes(&found[0].to_string())
            .starts_with("tests/fixtures/content/unsafe-text-bidi.toml:3:9: warning: `title`"),
        "{}",
        found[0]
    );

    // A warning and an error: only the error comes back.
    let source = fs::read_to_string(&path).unwrap();
    let broken = source.replace(r#"id = "module-one""#, r#"id = "Module One""#);
    let (checked, found) = check_str("broken.toml", &broken);
    assert!(checked.is_none() && found.len() == 2, "{found:?}");
    let errors = parse_str("broken.toml", &broken).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].is_error(), "{errors:?}");
}

/// Errors, warnings and a clean file, as `mend check` prints them.
#[test]
fn several_problems_read_well() {
    let mut out = Vec::new();
    let paths = [
        fixture("several-problems"),
        fixture("unsafe-text-control"),
        fixture("good"),
    ];
    check_files(&paths, &mut out).unwrap();
    insta::assert_snapshot!(slashes(&String::from_utf8(out).unwrap()));
}

#[cfg(unix)]
#[test]
fn a_pipe_or_a_folder_is_refused_at_once_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("workbook.toml");
    // The system call, not the `mkfifo` program: until it execs, a child process
    // holds a copy of every file this test binary has open (a vault's lock, say).
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &pipe,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        0,
    )
    .expect("mknod makes the pipe");
    // Nobody ever writes to the pipe: a check that opened it would wait forever.
    for (path, what) in [
        (pipe.clone(), "not a regular file"),
        (dir.path().to_owned(), "a folder"),
    ] {
        // A hang guard, not a timing assertion: an open pipe would never answer.
        let (tx, rx) = std::sync::mpsc::channel();
        let checking = path.clone();
        std::thread::spawn(move || tx.send(problems(&checking)).unwrap());
        let found = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("checking {what} never finished"));
        assert_eq!(found.len(), 1, "{what}: {found:?}");
        assert!(
            found[0].message.contains(what),
            "{what}: {}",
            found[0].message
        );
    }
}

#[test]
fn a_workbook_may_not_take_the_built_in_workbooks_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    let good = std::fs::read_to_string("tests/fixtures/content/good.toml").unwrap();
    let id_line = good
        .lines()
        .position(|l| l.trim_start().starts_with("id ="))
        .unwrap();
    let clashing: Vec<String> = good
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == id_line {
                format!("id = \"{}\"", mend::content::BUILTIN_ID)
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&path, clashing.join("\n")).unwrap();
    let found = problems(&path);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, id_line + 1, "{}", found[0]);
    assert!(found[0].message.contains("built-in"), "{}", found[0]);
}
