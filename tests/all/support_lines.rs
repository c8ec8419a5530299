//! The support screen's lines: every one the workbook promises is there, labelled with
//! the country it serves, and safety is offered both ways. A wrong or missing crisis
//! number is the worst bug mend can ship, so each is pinned here by its digits.

use mend::content;

/// (name, country, a fragment of the contact that must be there exactly).
const LINES: &[(&str, &str, &str)] = &[
    ("In immediate danger", "Anywhere", "111 in New Zealand"),
    (
        "If you are worried about your own behaviour",
        "Anywhere",
        "your doctor",
    ),
    ("988 Suicide & Crisis Lifeline", "United States", "988"),
    (
        "National Domestic Violence Hotline",
        "United States",
        "1-800-799-7233",
    ),
    ("988 Suicide Crisis Helpline", "Canada", "988"),
    ("ShelterSafe", "Canada", "sheltersafe.ca"),
    ("Samaritans", "UK & Ireland", "116 123"),
    ("Shout", "United Kingdom", "85258"),
    (
        "National Domestic Abuse Helpline",
        "England",
        "0808 2000 247",
    ),
    ("Live Fear Free", "Wales", "0808 80 10 800"),
    (
        "Domestic and Sexual Abuse Helpline",
        "Northern Ireland",
        "0808 802 1414",
    ),
    ("Men's Advice Line", "United Kingdom", "0808 801 0327"),
    ("Galop", "United Kingdom", "0800 999 5428"),
    (
        "Women's Aid National Freephone Helpline",
        "Ireland",
        "1800 341 900",
    ),
    ("Lifeline", "Australia", "13 11 14"),
    ("1800RESPECT", "Australia", "1800 737 732"),
    ("QLife", "Australia", "1800 184 527"),
    ("1737, Need to talk?", "New Zealand", "1737"),
    ("Women's Refuge", "New Zealand", "0800 733 843"),
    ("Shine Helpline", "New Zealand", "0508 744 633"),
    (
        "Family violence information line",
        "New Zealand",
        "0800 456 450",
    ),
    ("If your country is not listed", "Anywhere", "doctor"),
];

#[test]
fn every_promised_support_line_is_there_with_its_country() {
    let wb = content::builtin();
    for (name, country, contact) in LINES {
        let found = wb.resources.iter().find(|r| r.name == *name);
        let Some(r) = found else {
            panic!("the support screen has no line named {name:?}");
        };
        assert_eq!(r.country, *country, "{name} is labelled with its country");
        assert!(r.contact.contains(contact), "{name}: {:?}", r.contact);
    }
    assert_eq!(
        wb.resources.len(),
        LINES.len(),
        "a line added or removed is added to or removed from this list, after checking it"
    );
}

#[test]
fn emergency_comes_first_and_each_country_is_listed_together() {
    let wb = content::builtin();
    assert_eq!(wb.resources[0].name, "In immediate danger");
    let countries: Vec<&str> = wb.resources.iter().map(|r| r.country.as_str()).collect();
    let mut seen: Vec<&str> = Vec::new();
    for pair in countries.windows(2) {
        if pair[0] != pair[1] {
            seen.push(pair[0]);
            assert!(
                !seen.contains(&pair[1]) || pair[1] == "Anywhere",
                "{} is split in two on the support screen: {countries:?}",
                pair[1]
            );
        }
    }
}

#[test]
fn there_is_a_line_for_people_worried_about_their_own_behaviour() {
    let wb = content::builtin();
    let own_behaviour = wb.resources.iter().filter(|r| {
        r.note.as_deref().is_some_and(|n| {
            n.contains("worried about their own") || n.contains("worried about hurting")
        })
    });
    assert!(own_behaviour.count() >= 2, "{:#?}", wb.resources);
}
