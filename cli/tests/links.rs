//! `links` as a process: CSV and JSON Lines against the standard-library
//! reference (tests/references/channels/links_reference.py), bad rows with
//! their line and column, header and usage errors, files and pipes.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::{assert_clean_failure, command, links_reference, run, scratch, spawn_piped, text, SECRET};
use serde_json::Value;

const URL: &str = "https://survey.refiner.example/s/abc?src=mail&x=%20#top";

/// Cells that CSV, JSON and URLs all have to get right.
const HOSTILE: [&str; 12] = [
    "</script><script>alert(1)</script>",
    "say \"hi\"",
    "a,b,c",
    "two\nlines",
    "carriage\rreturn",
    "crlf\r\nend",
    "caf\u{e9} \u{1F680}",
    "line\u{2028}separator\u{2029}",
    "a&b=c?d#e%20+f",
    " leading and trailing ",
    "<!-- comment -->",
    "tab\there",
];

fn links(args: &[&str], stdin: &[u8]) -> Output {
    let mut all = vec!["links", "--survey-url", URL];
    all.extend_from_slice(args);
    run(Some(SECRET), &all, stdin)
}

/// CSV records with the csv crate (never by hand).
fn csv_records(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

/// A CSV file: `header`, then `rows`.
fn csv_text(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = csv_records(&[header.iter().map(|name| name.to_string()).collect()]);
    text.extend(csv_records(rows));
    text
}

/// The line the next row starts on, after `text` (quoted cells may hold line
/// ends): `\r\n`, then each `\n` or `\r` left, ends a line (SPEC section 7).
fn next_line(text: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(text).replace("\r\n", "\n");
    1 + text.matches(['\n', '\r']).count() as u64
}

/// `rows` rows over id, email, name, locale, tags and three traits, hostile cells and empty ones mixed in.
fn sample_rows(rows: usize) -> Vec<Vec<String>> {
    (0..rows)
        .map(|i| {
            let pick = |salt: usize| HOSTILE[(i * 7 + salt) % HOSTILE.len()].to_owned();
            let maybe = |every: usize, value: String| if i % every == 0 { String::new() } else { value };
            vec![
                if i % 5 == 0 { format!("{}", 1000 + i) } else { format!("user {i} {}", pick(1)) },
                maybe(4, format!("person+{i}@example.com")),
                maybe(3, pick(2)),
                maybe(2, "de-CH".into()),
                maybe(3, format!("beta,{}", pick(3))),
                pick(4),
                maybe(6, format!("{}", i % 97)),
                maybe(7, pick(5)),
            ]
        })
        .collect()
}

const SAMPLE_HEADER: [&str; 8] = ["id", "email", "name", "locale", "tags", "plan", "seats", "note"];

/// What the reference writes for this CSV input.
fn reference_output(name: &str, input: &[u8]) -> Vec<u8> {
    let input_path = scratch(&format!("{name}.reference.in.csv"));
    let output_path = scratch(&format!("{name}.reference.out.csv"));
    std::fs::write(&input_path, input).unwrap();
    links_reference(&input_path, URL, Some(&output_path), &[]);
    let output = std::fs::read(&output_path).unwrap();
    std::fs::remove_file(&input_path).unwrap();
    std::fs::remove_file(&output_path).unwrap();
    output
}

#[test]
fn csv_rows_match_the_reference() {
    let input = csv_text(&SAMPLE_HEADER, &sample_rows(300));
    let out = links(&[], &input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // No progress bar or anything else when standard error is not a terminal.
    assert_eq!(text(&out.stderr), "");
    assert_eq!(text(&out.stdout), text(&reference_output("match", &input)));
}

#[test]
fn columns_in_any_order_and_only_an_id() {
    let rows: Vec<Vec<String>> =
        (0..50).map(|i| vec![HOSTILE[i % 12].to_owned(), format!("u{i}"), format!("{i}")]).collect();
    let input = csv_text(&["note", "id", "locale"], &rows);
    let out = links(&[], &input);
    assert_eq!(text(&out.stdout), text(&reference_output("order", &input)), "{}", text(&out.stderr));
    let input = csv_text(&["id"], &[vec!["42".into()], vec!["\u{1F680}".into()]]);
    let out = links(&[], &input);
    assert_eq!(text(&out.stdout), text(&reference_output("only-id", &input)), "{}", text(&out.stderr));
    // A spreadsheet's UTF-8 byte order mark is not part of the first column's name.
    let out = links(&[], &[b"\xef\xbb\xbf".as_slice(), &input].concat());
    assert_eq!(text(&out.stdout), text(&reference_output("bom", &input)), "{}", text(&out.stderr));
}

#[test]
fn a_bad_row_in_the_middle_stops_the_run_at_its_line_and_column() {
    // Past the first chunk, after rows whose quoted cells hold newlines.
    let mut rows = sample_rows(20_000);
    let bad = 12_345;
    let cases: [(usize, &str, String); 3] =
        [(0, "id", String::new()), (1, "email", "e".repeat(10_001)), (6, "seats", "\u{e9}".repeat(10_001))];
    let line = next_line(&csv_text(&SAMPLE_HEADER, &rows[..bad]));
    assert!(line > bad as u64 + 2, "newlines in cells shift the lines");
    for (column, name, value) in cases {
        let good = rows[bad][column].clone();
        rows[bad][column] = value;
        let out = links(&[], &csv_text(&SAMPLE_HEADER, &rows));
        rows[bad][column] = good;
        assert_clean_failure(&out, name);
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&format!("line {line}, column \"{name}\": invalid ")), "{stderr}");
        // The rows before the bad one were written, and only those.
        let before = reference_output("stop", &csv_text(&SAMPLE_HEADER, &rows[..bad]));
        assert_eq!(text(&out.stdout), text(&before), "{name}");
    }
}

#[test]
fn skip_invalid_reports_each_bad_row_and_goes_on() {
    let good_rows = sample_rows(20_000);
    let mut input = csv_text(&SAMPLE_HEADER, &good_rows[..9_000]);
    let first = next_line(&input);
    // Bad rows past the first chunks: an empty id, a wrong field count, a cell that is not UTF-8, a long trait.
    let empty = String::new;
    input.extend(csv_records(&[vec![empty(), "a@b.c".into(), empty(), empty(), empty(), empty(), empty(), empty()]]));
    input.extend(csv_records(&[vec!["only".into(), "three".into(), "fields".into()]]));
    input.extend_from_slice(b"u1,,,,,pl\xffan,,\n");
    input.extend(csv_records(&[vec![
        "u2".into(),
        empty(),
        empty(),
        empty(),
        empty(),
        "x".repeat(10_001),
        empty(),
        empty(),
    ]]));
    input.extend(csv_records(&good_rows[9_000..]));

    let out = links(&["--skip-invalid"], &input);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let expected = [
        format!("skipped line {first}, column \"id\": invalid user id"),
        format!("skipped line {}: 3 fields, but the header has 8", first + 1),
        format!("skipped line {}, column \"plan\": the cell is not valid UTF-8", first + 2),
        format!("skipped line {}, column \"plan\": invalid trait \"plan\"", first + 3),
        "4 of 20004 rows skipped".to_owned(),
    ];
    let mut from = 0;
    for line in expected {
        let at = stderr[from..].find(&line).unwrap_or_else(|| panic!("{line:?} not in order in {stderr}"));
        from += at + line.len();
    }
    assert!(!stderr.contains(SECRET));
    assert_eq!(text(&out.stdout), text(&reference_output("skip", &csv_text(&SAMPLE_HEADER, &good_rows))));

    // Without --skip-invalid the first of them stops the run.
    let out = links(&[], &input);
    assert_clean_failure(&out, "first bad row");
    assert!(text(&out.stderr).contains(&format!("line {first}, column \"id\"")), "{}", text(&out.stderr));
}

/// The lines `--skip-invalid` reports, in order.
fn skipped_lines(stderr: &str) -> Vec<u64> {
    let numbers = stderr.lines().filter_map(|line| line.strip_prefix("refiner-identity: skipped line "));
    numbers.map(|rest| rest.split([':', ',']).next().unwrap().parse().unwrap()).collect()
}

#[test]
fn csv_lines_count_crlf_lone_cr_and_blank_lines() {
    // A row's line is the one its first byte is on; the expected lines are counted by hand.
    let cases: [(&[u8], &[u64]); 10] = [
        (b"id,note\r\n,1\r\n", &[2]),
        (b"id,note\r\na,1\r\n,2\r\nb\r\n", &[3, 4]),
        (b"id,note\na,1\n\n\nb\n", &[5]),
        (b"id,note\n\n,1\n", &[3]),
        (b"id,x\r,1\r,2\r", &[2, 3]),
        (b"id,x\r\r,1\r\n\n,2", &[3, 5]),
        // A quoted cell's line ends count, each "\r\n" once.
        (b"id,note\r\na,\"two\r\nlines\r\n\"\r\n,3\r\n", &[5]),
        (b"id,note\ra,\"x\ry\"\r,3\r", &[4]),
        // A UTF-8 byte order mark and blank lines before the first row.
        (b"\xef\xbb\xbfid,note\r\n\r\n\r\n,1\r\n", &[4]),
        (b"id,note\r\n\r\nb\r\n", &[3]),
    ];
    for (input, lines) in cases {
        let shown = text(input);
        let out = links(&["--skip-invalid"], input);
        assert_eq!(out.status.code(), Some(0), "{shown:?}: {}", text(&out.stderr));
        assert_eq!(skipped_lines(&text(&out.stderr)), lines, "{shown:?}: {}", text(&out.stderr));
        let out = links(&[], input);
        assert_clean_failure(&out, &shown);
        let first = format!("refiner-identity: line {}", lines[0]);
        assert!(text(&out.stderr).starts_with(&first), "{shown:?}: {}", text(&out.stderr));
    }
    // Past the first chunks of a CRLF file: an empty id, then a ragged row, each after a blank line.
    let mut input = b"id,note\r\n".to_vec();
    for i in 0..10_000 {
        input.extend(format!("u{i},\"a\r\nb\"\r\n").as_bytes());
    }
    input.extend(b"\r\n,1\r\n\r\nc\r\nu,2\r\n");
    let out = links(&["--skip-invalid"], &input);
    assert_eq!(skipped_lines(&text(&out.stderr)), [20_003, 20_005], "{}", text(&out.stderr));
}

#[test]
fn header_problems_stop_before_any_row() {
    let cases: [(&[u8], &str); 9] = [
        (b"email,plan\na@b.c,pro\n", "there is no id column"),
        (b"id,first name\n1,x\n", "column \"first name\": invalid trait \"first name\""),
        (b"id,1x\n1,x\n", "column \"1x\": invalid trait \"1x\""),
        (b"id,identify_verification_signature\n1,x\n", "column \"identify_verification_signature\""),
        (b"id,signature\n1,x\n", "column \"signature\": the output adds this column"),
        (b"id,survey_link\n1,x\n", "column \"survey_link\": the output adds this column"),
        (b"id,plan,plan\n1,x,y\n", "column \"plan\" appears twice"),
        (b"id,\n1,x\n", "column \"\": invalid trait \"\""),
        (b"id,pl\xffan\n1,x\n", "the name of column 2 is not valid UTF-8"),
    ];
    for (input, message) in cases {
        let out = links(&[], input);
        assert_clean_failure(&out, message);
        assert!(text(&out.stderr).contains(message), "{message}: {}", text(&out.stderr));
        assert_eq!(out.stdout, b"", "{message}");
    }
    let long = format!("id,{}\n1,x\n", "t".repeat(101));
    let out = links(&[], long.as_bytes());
    assert!(text(&out.stderr).contains("at most 100 characters"), "{}", text(&out.stderr));
    // A column whose parameter the survey URL already has.
    let out = run(Some(SECRET), &["links", "--survey-url", "https://x.example/s?contact_plan=1"], b"id,plan\n1,x\n");
    assert_clean_failure(&out, "url conflict");
    assert!(text(&out.stderr).contains("column \"plan\": invalid survey url"), "{}", text(&out.stderr));
}

#[test]
fn header_only_gives_header_only_and_empty_input_is_an_error() {
    let out = links(&[], b"id,email,plan\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "id,email,plan,signature,survey_link\n");
    let out = links(&[], b"");
    assert_clean_failure(&out, "empty input");
    assert!(text(&out.stderr).contains("the input is empty"), "{}", text(&out.stderr));
    let out = links(&["--json-lines"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, b"");
}

#[test]
fn input_and_output_files() {
    let input = csv_text(&SAMPLE_HEADER, &sample_rows(100));
    let input_path = scratch("files.in.csv");
    let output_path = scratch("files.out.csv");
    std::fs::write(&input_path, &input).unwrap();
    let (input_arg, output_arg) = (input_path.to_str().unwrap(), output_path.to_str().unwrap());
    let out = links(&["--input", input_arg, "--output", output_arg], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, b"");
    assert_eq!(text(&std::fs::read(&output_path).unwrap()), text(&reference_output("files", &input)));
    // The input given as the output is refused before it is truncated.
    let out = links(&["--input", input_arg, "--output", input_arg], b"");
    assert_clean_failure(&out, "same file");
    assert!(text(&out.stderr).contains("is the --input file"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&input_path).unwrap(), input);
    let missing = scratch("no-such-file.csv");
    let out = links(&["--input", missing.to_str().unwrap()], b"");
    assert_clean_failure(&out, "missing input");
    assert!(text(&out.stderr).contains("cannot read --input"), "{}", text(&out.stderr));
    std::fs::remove_file(&input_path).unwrap();
    std::fs::remove_file(&output_path).unwrap();
}

#[test]
fn standard_input_redirected_from_the_output_file_is_refused() {
    let csv_input = csv_text(&SAMPLE_HEADER, &sample_rows(100));
    let json_input = b"{\"id\":\"a\"}\n{\"id\":\"b\"}\n".to_vec();
    for (format, input) in [(None, csv_input), (Some("--json-lines"), json_input)] {
        let path = scratch("stdin-is-output");
        std::fs::write(&path, &input).unwrap();
        let path_arg = path.to_str().unwrap();
        // `links --output FILE < FILE`.
        let out = command(Some(SECRET))
            .args(["links", "--survey-url", URL, "--output", path_arg])
            .args(format)
            .stdin(std::fs::File::open(&path).unwrap())
            .output()
            .unwrap();
        assert_clean_failure(&out, "stdin is the output");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&format!("--output {path_arg} is the file standard input reads")), "{stderr}");
        assert_eq!(std::fs::read(&path).unwrap(), input, "{format:?}: the input is left as it was");
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn an_unreadable_input_leaves_the_output_file_alone() {
    let directory = scratch("input-is-a-directory");
    std::fs::create_dir_all(&directory).unwrap();
    let output = scratch("unreadable-input.out");
    for format in [None, Some("--json-lines")] {
        std::fs::write(&output, "earlier output\n").unwrap();
        let args = ["--input", directory.to_str().unwrap(), "--output", output.to_str().unwrap()];
        let out = links(&[&args[..], format.as_slice()].concat(), b"");
        assert_clean_failure(&out, "a directory as input");
        assert!(text(&out.stderr).contains("cannot read"), "{format:?}: {}", text(&out.stderr));
        assert_eq!(text(&std::fs::read(&output).unwrap()), "earlier output\n", "{format:?}");
    }
    std::fs::remove_dir(&directory).unwrap();
    std::fs::remove_file(&output).unwrap();
}

/// JSON Lines rows (keys deliberately not sorted) and the CSV rows the reference renders the same links from.
fn json_cases() -> (Vec<String>, Vec<Vec<String>>) {
    const KEYS: [&str; 5] = ["seats", "id", "note", "email", "tags"];
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for i in 0..40usize {
        let hostile = HOSTILE[i % HOSTILE.len()];
        let values = [
            Value::from([2_147_483_647i64, -2_147_483_647, 0, 5][i % 4]),
            if i % 2 == 0 { Value::from(i as i64 * 1_000_003 - 7) } else { Value::from(format!("u{i} {hostile}")) },
            Value::from(hostile),
            if i % 3 == 0 { Value::Null } else { Value::from(format!("p{i}@x.example")) },
            Value::from("a,b"),
        ];
        let fields: Vec<String> = KEYS.iter().zip(&values).map(|(key, value)| format!("\"{key}\":{value}")).collect();
        lines.push(format!("{{{}}}", fields.join(",")));
        rows.push(
            values
                .iter()
                .map(|value| match value {
                    Value::String(text) => text.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect(),
        );
    }
    (lines, rows)
}

#[test]
fn json_lines_round_trip_with_integer_ids_and_traits() {
    let (lines, rows) = json_cases();
    let out = links(&["--json-lines"], (lines.join("\n") + "\n").as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reference = reference_output("json", &csv_text(&["seats", "id", "note", "email", "tags"], &rows));
    let mut reference = csv::Reader::from_reader(reference.as_slice());
    let outputs: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(outputs.len(), lines.len());
    for ((line, output), expected) in lines.iter().zip(outputs).zip(reference.records()) {
        let expected = expected.unwrap();
        // The input object as it was (keys in order, integers, null), then the signature and link.
        let link = serde_json::to_string(&expected[6]).unwrap();
        let object = &line[..line.len() - 1];
        assert_eq!(output, format!("{object},\"signature\":\"{}\",\"survey_link\":{link}}}", &expected[5]));
    }
}

#[test]
fn json_lines_bad_rows() {
    let cases = [
        (r#"{"id":"u","plan":1.5}"#, "column \"plan\": invalid trait \"plan\": Refiner accepts"),
        (r#"{"id":"u","plan":1.5}"#, "not a number with a fraction or an exponent, or an integer beyond 64 bits"),
        (r#"{"id":"u","plan":1e3}"#, "not a number with a fraction or an exponent, or an integer beyond 64 bits"),
        (r#"{"id":"u","plan":18446744073709551616}"#, "or an integer beyond 64 bits"),
        (r#"{"id":"u","plan":true}"#, "not a boolean"),
        (r#"{"id":"u","plan":{"a":1}}"#, "not an object"),
        (r#"{"id":"u","plan":[1]}"#, "not an array"),
        (r#"{"id":"u","plan":3000000000}"#, "Refiner accepts integers from -2147483647 to 2147483647"),
        (r#"{"email":"e"}"#, "column \"id\": missing"),
        (r#"{"id":null}"#, "column \"id\": missing"),
        (r#"{"id":1.0}"#, "column \"id\": an integer id must be a whole number"),
        (r#"{"id":-0}"#, "column \"id\": an integer id must be a whole number"),
        (r#"{"id":true}"#, "column \"id\": an id is a string or an integer, not a boolean"),
        (r#"{"id":"u","email":5}"#, "column \"email\": must be a string"),
        (r#"{"id":"u","id":"v"}"#, "key \"id\" is given twice"),
        (r#"{"id":"u","signature":"x"}"#, "column \"signature\": the output adds this key"),
        (r#"{"id":"u","bad key":"x"}"#, "column \"bad key\": invalid trait \"bad key\""),
        (r#"["id","u"]"#, "not a JSON object"),
        (r#""a secret-looking string""#, "not a JSON object"),
        (r#"{"id":"u","#, "invalid JSON at byte"),
        ("", "an empty line"),
    ];
    let good = r#"{"id":"ok"}"#;
    let mut input = String::new();
    for (line, _) in &cases {
        input += &format!("{good}\n{line}\n");
    }
    let out = links(&["--json-lines", "--skip-invalid"], input.as_bytes());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("secret-looking"), "values are never echoed: {stderr}");
    let mut from = 0;
    for (position, (_, message)) in cases.iter().enumerate() {
        let expected = format!("skipped line {}", 2 * position + 2);
        let at = stderr[from..].find(&expected).unwrap_or_else(|| panic!("{expected} in {stderr}"));
        let report = stderr[from + at..].lines().next().unwrap();
        assert!(report.contains(message), "{report} should say {message}");
        from += at + expected.len();
    }
    assert!(stderr.contains(&format!("{} of {} rows skipped", cases.len(), 2 * cases.len())), "{stderr}");
    assert_eq!(text(&out.stdout).lines().count(), cases.len());
    // Nothing skipped, nothing to count.
    let out = links(&["--json-lines", "--skip-invalid"], format!("{good}\n{good}\n").as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    for (line, message) in cases {
        let out = links(&["--json-lines"], format!("{good}\n{line}\n{good}\n").as_bytes());
        assert_clean_failure(&out, line);
        assert!(text(&out.stderr).contains("line 2"), "{line}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(message), "{line}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout).lines().count(), 1, "the row before is written");
    }
}

#[test]
fn usage_errors_name_the_problem() {
    let cases: [(&[&str], &str); 9] = [
        (&["links"], "links needs --survey-url URL"),
        (&["links", "--survey-url", "ftp://x.example/s"], "--survey-url: invalid survey url"),
        (&["links", "--survey-url", "https://user:pw@x.example/s"], "may not hold user info"),
        (&["links", "--survey-url", URL, "--hex"], "--stdin and --hex are options of sign and verify"),
        (&["links", "--survey-url", URL, "rows.csv"], "links takes no arguments"),
        (&["sign", "--survey-url", URL, "42"], "are options of links"),
        (&["links", "--survey-url", URL, "--json-lines=yes"], "--json-lines takes no value"),
        (&["links", "--survey-url", URL, "--survey-url=https://y.example/"], "--survey-url is given twice"),
        (&["links", "--survey-url", URL, "--output", "a", "--output", "b"], "--output is given twice"),
    ];
    for (args, message) in cases {
        let out = run(Some(SECRET), args, b"");
        assert_clean_failure(&out, message);
        assert!(text(&out.stderr).contains(message), "{args:?}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains("pw@"), "{}", text(&out.stderr));
    }
}

#[test]
fn a_reader_that_leaves_ends_the_run_quietly() {
    let input = csv_text(&SAMPLE_HEADER, &sample_rows(30_000));
    let mut child = spawn_piped(command(Some(SECRET)).args(["links", "--survey-url", URL]));
    drop(child.stdout.take());
    // The child may stop reading once its output fails; that is the point.
    let _ = child.stdin.take().unwrap().write_all(&input);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

/// Runs links on `input` while a reader takes the first line of its output and leaves (`| head -1`).
fn links_to_head(args: &[&str], input: Vec<u8>) -> (String, Output) {
    let mut child = spawn_piped(command(Some(SECRET)).args(["links", "--survey-url", URL]).args(args));
    let mut stdin = child.stdin.take().unwrap();
    // The child may stop reading once its output fails.
    let feeder = std::thread::spawn(move || drop(stdin.write_all(&input)));
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (first, out)
}

#[test]
fn a_reader_that_leaves_before_a_bad_row_ends_the_run_quietly() {
    let json_row = |i: usize| format!("{{\"id\":\"user {i}\",\"note\":\"{}\"}}\n", "n".repeat(200)).into_bytes();
    let json_bad = b"{\"id\":\"\"}\n".to_vec();
    let csv_header = b"id,note\n".to_vec();
    let csv_row = |i: usize| format!("user {i},{}\n", "n".repeat(200)).into_bytes();
    // Each row's output is over 300 bytes: the rows before the bad one overflow the pipe
    // long before the reader leaves, in the first chunk (4,096 rows) or far down.
    for bad in [4_000, 50_000] {
        let mut json = Vec::new();
        let mut csv = csv_header.clone();
        for i in 0..60_000 {
            json.extend(if i == bad { json_bad.clone() } else { json_row(i) });
            csv.extend(if i == bad { b",x\n".to_vec() } else { csv_row(i) });
        }
        for (args, input, head) in [(&["--json-lines"][..], json, "{\"id\":\"user 0\""), (&[][..], csv, "id,note,")] {
            let (first, out) = links_to_head(args, input);
            assert!(first.starts_with(head), "{first}");
            assert_eq!(out.status.code(), Some(0), "{args:?} bad row {bad}: {}", text(&out.stderr));
            assert_eq!(text(&out.stderr), "", "{args:?} bad row {bad}");
        }
    }
}

#[test]
fn skip_invalid_stops_reporting_once_the_reader_left() {
    let mut child =
        spawn_piped(command(Some(SECRET)).args(["links", "--survey-url", URL, "--json-lines", "--skip-invalid"]));
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    // One chunk (4,096 rows) of good rows, whose writing fails: nobody reads the output.
    let good: String = (0..4_096).map(|i| format!("{{\"id\":\"user {i}\"}}\n")).collect();
    stdin.write_all(good.as_bytes()).unwrap();
    // Time for the child to sign and fail to write them before the bad rows come.
    std::thread::sleep(std::time::Duration::from_secs(1));
    let _ = stdin.write_all("{\"id\":\"\"}\n".repeat(10_000).as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "no row is reported skipped after the output failed");
}

#[test]
fn the_secret_file_works_for_links() {
    let path = scratch("links-secret");
    std::fs::write(&path, SECRET).unwrap();
    let input = csv_text(&["id"], &[vec!["42".into()]]);
    let out = command(None)
        .args(["links", "--survey-url", URL, "--secret-file", path.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(&input)?;
            child.wait_with_output()
        })
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(text(&out.stdout), text(&reference_output("secret-file", &input)), "{}", text(&out.stderr));
}

#[test]
fn a_progress_bar_only_on_a_terminal() {
    let input_path = scratch("progress.in.csv");
    let output_path = scratch("progress.out.csv");
    std::fs::write(&input_path, csv_text(&SAMPLE_HEADER, &sample_rows(20_000))).unwrap();
    let command_line = format!(
        "{} links --survey-url '{URL}' --input {} --output {}",
        common::BIN,
        input_path.display(),
        output_path.display()
    );
    // script(1) runs the command on a pseudo-terminal, so its stderr is a terminal.
    let out = std::process::Command::new("script")
        .args(["-qec", &command_line, "/dev/null"])
        .env("REFINER_SECRET_KEY", SECRET)
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux");
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("rows"), "a bar on the terminal: {:?}", text(&out.stdout));
    assert_eq!(
        std::fs::read(&output_path).unwrap(),
        reference_output("progress", &std::fs::read(&input_path).unwrap())
    );
    // The same run with stderr a pipe: not a byte on it.
    let out = links(&["--input", input_path.to_str().unwrap(), "--output", output_path.to_str().unwrap()], b"");
    assert!(out.status.success());
    assert_eq!(out.stderr, b"");
    std::fs::remove_file(&input_path).unwrap();
    std::fs::remove_file(&output_path).unwrap();
}
