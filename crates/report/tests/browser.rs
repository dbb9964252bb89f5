//! The synthetic page in a real browser: headless Chromium, driven over the
//! DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages
//! ending in a NUL byte on file descriptors 3 and 4, which `sh` maps to our
//! pipes). The test records every request the page makes
//! (`Network.requestWillBeSent`) and every error it reports (uncaught
//! exceptions, `console.error`, and browser log entries such as failed loads
//! or Content-Security-Policy refusals), counts the drawn shapes in the live
//! DOM, and saves a screenshot.
//!
//! Chromium is `/usr/bin/chromium`, or `$PRECIS_CHROMIUM` where set. The
//! tests are skipped, with a note, where it is not installed; with
//! `PRECIS_REQUIRE_BROWSER=1` a missing Chromium fails them instead.

mod common;

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// Longest wait for any one answer or event from the browser.
const PATIENCE: Duration = Duration::from_secs(60);

/// The flags of every Chromium started here: headless, and nothing that
/// talks to the network on its own.
fn flags(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        // Should anything try, no name resolves.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    .iter()
    .map(|f| f.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// The Chromium to use, `None` (after a note) to skip.
fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("PRECIS_CHROMIUM").unwrap_or(CHROMIUM.into()));
    if path.exists() {
        return Some(path);
    }
    if std::env::var("PRECIS_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "PRECIS_REQUIRE_BROWSER=1 but {} is not installed",
            path.display()
        );
    }
    // Straight to the stream, past the test harness's capture, so the skip shows.
    let _ = writeln!(
        std::io::stderr(),
        "note: browser test skipped: {} is not installed \
         (apt-get install chromium; PRECIS_REQUIRE_BROWSER=1 makes this a failure)",
        path.display()
    );
    None
}

/// What a page did while it loaded.
#[derive(Debug, Default)]
struct Visit {
    /// Every URL requested, the page's own included.
    requests: Vec<String>,
    /// Every error reported: exceptions, console errors, browser log errors.
    errors: Vec<String>,
    /// The value of the expression evaluated once the page had loaded.
    probe: Value,
}

/// One headless Chromium, spoken to over the DevTools pipe.
struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    /// Events that arrived while waiting for something else.
    backlog: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &Path, log: &Path) -> Self {
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut child = Command::new("sh")
            .arg("-c")
            // fd 3: what we write; fd 4: what we read (the protocol's fixed numbers).
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
            .arg(chromium)
            .args(flags(profile.path()))
            .arg("--remote-debugging-pipe")
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).expect("a log file"))
            .spawn()
            .expect("chromium starts");
        let input = child.stdin.take().expect("stdin");
        let mut output = child.stdout.take().expect("stdout");
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 65536];
            while let Ok(n) = output.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
                while let Some(end) = buffer.iter().position(|&b| b == 0) {
                    let message: Vec<u8> = buffer.drain(..=end).collect();
                    let value = serde_json::from_slice(&message[..end]).expect("JSON message");
                    if send.send(value).is_err() {
                        return;
                    }
                }
            }
        });
        Self {
            child,
            input,
            messages,
            next_id: 1,
            backlog: Vec::new(),
            _profile: profile,
        }
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .expect("chromium answers in time (see the log in the test's temp folder)")
    }

    /// Sends a command and returns its result; events on the way are kept.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("serialisable");
        bytes.push(0);
        self.input.write_all(&bytes).expect("writing to chromium");
        loop {
            let answer = self.receive();
            if answer["id"] == json!(id) {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
            self.backlog.push(answer);
        }
    }

    /// Waits for an event of `session`, keeping every event before it.
    fn wait_for(&mut self, session: &str, wanted: impl Fn(&Value) -> bool) {
        if self
            .backlog
            .iter()
            .any(|e| e["sessionId"] == json!(session) && wanted(e))
        {
            return;
        }
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let event = self.receive();
            let found = event["sessionId"] == json!(session) && wanted(&event);
            self.backlog.push(event);
            if found {
                return;
            }
        }
        panic!("the awaited event did not come");
    }

    /// Opens `url` in a new tab, waits until it has loaded and the network
    /// is idle, evaluates `probe` in it and reports what happened.
    fn visit(&mut self, url: &str, probe: &str) -> Visit {
        let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        let session = attached["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        let s = Some(session.as_str());
        for domain in [
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
            "Page.enable",
        ] {
            self.call(s, domain, json!({}));
        }
        self.call(
            s,
            "Page.setLifecycleEventsEnabled",
            json!({"enabled": true}),
        );
        self.backlog.clear();
        self.call(s, "Page.navigate", json!({"url": url}));
        self.wait_for(&session, |e| e["method"] == "Page.loadEventFired");
        // "networkIdle": nothing requested for 500 ms after the load, so late
        // requests are seen too, without a sleep.
        self.wait_for(&session, |e| {
            e["method"] == "Page.lifecycleEvent" && e["params"]["name"] == "networkIdle"
        });
        let probe = self.call(
            s,
            "Runtime.evaluate",
            json!({"expression": probe, "returnByValue": true}),
        );
        let mut visit = Visit {
            probe: probe["result"]["value"].clone(),
            ..Visit::default()
        };
        for event in self.backlog.drain(..) {
            if event["sessionId"] != json!(session) {
                continue;
            }
            let params = &event["params"];
            match event["method"].as_str().unwrap_or("") {
                "Network.requestWillBeSent" => visit
                    .requests
                    .push(params["request"]["url"].as_str().unwrap_or("").into()),
                "Runtime.exceptionThrown" => visit
                    .errors
                    .push(format!("exception: {}", params["exceptionDetails"])),
                "Runtime.consoleAPICalled"
                    if matches!(params["type"].as_str(), Some("error" | "assert")) =>
                {
                    visit.errors.push(format!("console: {}", params["args"]))
                }
                "Log.entryAdded" if params["entry"]["level"] == "error" => visit
                    .errors
                    .push(format!("log: {}", params["entry"]["text"])),
                _ => {}
            }
        }
        visit
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Counts what the page drew, as the browser laid it out.
const PROBE: &str = r#"(() => {
  const map = document.getElementById("theme-map");
  const heatmap = document.getElementById("heatmap");
  const drawn = (nodes) => [...nodes].filter((n) => {
    const box = n.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }).length;
  return {
    circles: drawn(map.querySelectorAll("circle.theme")),
    cells: drawn(heatmap.querySelectorAll("rect.cell")),
    mapWidth: map.getBoundingClientRect().width,
    heatmapWidth: heatmap.getBoundingClientRect().width,
  };
})()"#;

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn the_page_renders_offline_without_errors() {
    let Some(chromium) = chromium() else {
        return;
    };
    let folder = tempfile::tempdir().expect("a temp folder");
    let page = folder.path().join("index.html");
    std::fs::write(&page, precis_report::render(&common::Sample::new().input()))
        .expect("writing the page");
    let mut browser = Browser::start(&chromium, &folder.path().join("chromium.log"));
    let visit = browser.visit(&file_url(&page), PROBE);

    assert_eq!(visit.errors, Vec::<String>::new(), "errors while loading");
    assert_eq!(
        visit.requests,
        vec![file_url(&page)],
        "only the page itself loads"
    );
    assert_eq!(visit.probe["circles"], json!(3), "{}", visit.probe);
    assert_eq!(visit.probe["cells"], json!(9), "{}", visit.probe);
    assert!(visit.probe["mapWidth"].as_f64().unwrap_or(0.0) > 300.0);
    assert!(visit.probe["heatmapWidth"].as_f64().unwrap_or(0.0) > 200.0);

    // The screenshot, for people to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let profile = tempfile::tempdir().expect("a profile folder");
    let status = Command::new(&chromium)
        .args(flags(profile.path()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,2000")
        .arg(file_url(&page))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium runs");
    assert!(status.success() && shot.exists(), "screenshot written");
    let _ = writeln!(std::io::stderr(), "screenshot: {}", shot.display());
}

/// The checks above would see a page that misbehaves: a request to another
/// host, a console error, an uncaught exception.
#[test]
fn the_checks_catch_a_page_that_misbehaves() {
    let Some(chromium) = chromium() else {
        return;
    };
    let folder = tempfile::tempdir().expect("a temp folder");
    let page = folder.path().join("bad.html");
    std::fs::write(
        &page,
        r#"<!DOCTYPE html><title>bad</title><img src="http://example.invalid/x.png">
<script>console.error("boom"); missingFunction();</script>"#,
    )
    .expect("writing the page");
    let mut browser = Browser::start(&chromium, &folder.path().join("chromium.log"));
    let visit = browser.visit(&file_url(&page), "document.title");

    assert_eq!(visit.probe, json!("bad"));
    assert!(
        visit.requests.iter().any(|u| u.contains("example.invalid")),
        "{:?}",
        visit.requests
    );
    assert!(
        visit.errors.iter().any(|e| e.contains("boom")),
        "{:?}",
        visit.errors
    );
    assert!(
        visit.errors.iter().any(|e| e.contains("missingFunction")),
        "{:?}",
        visit.errors
    );
}
