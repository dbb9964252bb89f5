//! The synthetic page in a real browser: headless Chromium, driven over the
//! DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages
//! ending in a NUL byte on file descriptors 3 and 4, which `sh` maps to our
//! pipes). The test records every request the page makes
//! (`Network.requestWillBeSent`), every error it reports (uncaught
//! exceptions, `console.error`, and browser log entries such as failed loads
//! or Content-Security-Policy refusals) and every dialog it opens
//! (`Page.javascriptDialogOpening`). The tests click and type as a person
//! would (`Input.*`), check what the live DOM then shows, and save
//! screenshots in `target/tmp/` (`report-screenshot.png`, the overview).
//!
//! Chromium is `/usr/bin/chromium`, or `$PRECIS_CHROMIUM` where set. The
//! tests are skipped, with a note, where it is not installed; with
//! `PRECIS_REQUIRE_BROWSER=1` a missing Chromium fails them instead.

mod common;

use base64::Engine;
use common::{Sample, HOSTILE, HOSTILE_HEADING};
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

/// What a page did: its requests, its errors, its dialogs.
#[derive(Debug, Default)]
struct Visit {
    /// Every URL requested, the page's own included.
    requests: Vec<String>,
    /// Every error reported: exceptions, console errors, browser log errors.
    errors: Vec<String>,
    /// Every JavaScript dialog opened (`alert`, `confirm`, `prompt`).
    dialogs: Vec<String>,
}

impl Visit {
    /// Requests for anything but the page itself and its own `data:` images.
    fn outside_requests(&self, page: &str) -> Vec<&String> {
        self.requests
            .iter()
            .filter(|u| u.as_str() != page && !u.starts_with("data:"))
            .collect()
    }
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
            .arg(r##"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"##)
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

    /// The next message; a dialog is dismissed at once (it would block the
    /// page), and its event kept for [`Browser::visit`] to report.
    fn receive(&mut self) -> Value {
        let message = self
            .messages
            .recv_timeout(PATIENCE)
            .expect("chromium answers in time (see the log in the test's temp folder)");
        if message["method"] == "Page.javascriptDialogOpening" {
            let session = message["sessionId"].as_str().map(str::to_string);
            self.send(
                session.as_deref(),
                "Page.handleJavaScriptDialog",
                json!({"accept": false}),
            );
        }
        message
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("serialisable");
        bytes.push(0);
        self.input.write_all(&bytes).expect("writing to chromium");
        id
    }

    /// Sends a command and returns its result; events on the way are kept.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.send(session, method, params);
        loop {
            let answer = self.receive();
            if answer["id"] == json!(id) {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
            if answer.get("method").is_some() {
                self.backlog.push(answer);
            }
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

    /// Opens `url` in a new tab of 1280 × 900 and waits until it has loaded
    /// and the network is idle; returns the tab's session.
    fn open(&mut self, url: &str) -> String {
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
        self.call(
            s,
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
        );
        self.backlog
            .retain(|e| e["sessionId"] != json!(session.as_str()));
        self.call(s, "Page.navigate", json!({"url": url}));
        self.wait_for(&session, |e| e["method"] == "Page.loadEventFired");
        // "networkIdle": nothing requested for 500 ms after the load, so late
        // requests are seen too, without a sleep.
        self.wait_for(&session, |e| {
            e["method"] == "Page.lifecycleEvent" && e["params"]["name"] == "networkIdle"
        });
        session
    }

    /// The value of `expression` in the tab, promises awaited.
    fn eval(&mut self, session: &str, expression: &str) -> Value {
        let result = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }

    /// Waits, frame by frame, until `condition` (a JS expression) is truthy
    /// in the tab, and returns its value. A condition that throws counts as
    /// not yet true: the page may be between a hash change and the view it
    /// renders, so `#view .here` can be missing for a frame. The last error
    /// is named if the wait runs out.
    fn until(&mut self, session: &str, condition: &str) -> Value {
        self.eval(
            session,
            &format!(
                r##"new Promise((resolve, reject) => {{
  const start = performance.now();
  let lastError = "";
  const poll = () => {{
    let value = false;
    try {{ value = ({condition}); }} catch (error) {{ lastError = " (last error: " + error + ")"; }}
    if (value) resolve(value);
    else if (performance.now() - start > 20000) reject(new Error("never true: " + {quoted} + lastError));
    else setTimeout(poll, 10);
  }};
  poll();
}})"##,
                quoted = json!(condition)
            ),
        )
    }

    /// A left click at (`x`, `y`), in CSS pixels of the viewport.
    fn click(&mut self, session: &str, (x, y): (f64, f64)) {
        self.pointer(session, (x, y));
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                Some(session),
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Moves the mouse to (`x`, `y`).
    fn pointer(&mut self, session: &str, (x, y): (f64, f64)) {
        self.call(
            Some(session),
            "Input.dispatchMouseEvent",
            json!({"type": "mouseMoved", "x": x, "y": y}),
        );
    }

    /// Scrolls the element of `selector` into view and returns its centre,
    /// or the point at `fraction` of its width.
    fn point(&mut self, session: &str, selector: &str, fraction: f64) -> (f64, f64) {
        let point = self.eval(
            session,
            &format!(
                r##"(() => {{
  const node = document.querySelector({selector});
  node.scrollIntoView({{block: "center"}});
  const box = node.getBoundingClientRect();
  return [box.left + {fraction} * box.width, box.top + box.height / 2];
}})()"##,
                selector = json!(selector)
            ),
        );
        (point[0].as_f64().expect("x"), point[1].as_f64().expect("y"))
    }

    /// Presses and releases one key (`key` as in KeyboardEvent.key).
    fn key(&mut self, session: &str, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                Some(session),
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code}),
            );
        }
    }

    /// Types `text` into the focused element, as a keyboard would.
    fn type_text(&mut self, session: &str, text: &str) {
        self.call(Some(session), "Input.insertText", json!({"text": text}));
    }

    /// Saves what the tab shows to `path` as PNG.
    fn screenshot(&mut self, session: &str, path: &Path) {
        let shot = self.call(
            Some(session),
            "Page.captureScreenshot",
            json!({"format": "png"}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("image data"))
            .expect("base64");
        std::fs::write(path, png).expect("writing the screenshot");
        let _ = writeln!(std::io::stderr(), "screenshot: {}", path.display());
    }

    /// What the tab has done so far: its requests, errors and dialogs.
    fn visit(&mut self, session: &str) -> Visit {
        // A round trip, so that every event sent before it has arrived.
        self.eval(session, "0");
        let mut visit = Visit::default();
        for event in &self.backlog {
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
                "Page.javascriptDialogOpening" => visit
                    .dialogs
                    .push(params["message"].as_str().unwrap_or("").into()),
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

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Where the screenshots go: `target/tmp/`, kept between runs.
fn shot(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The sample's page, written to a temp folder, and a browser on it.
struct Session {
    browser: Browser,
    tab: String,
    url: String,
    _folder: tempfile::TempDir,
}

impl Session {
    fn open(chromium: &Path, page: &str) -> Self {
        let folder = tempfile::tempdir().expect("a temp folder");
        let path = folder.path().join("index.html");
        std::fs::write(&path, page).expect("writing the page");
        let mut browser = Browser::start(chromium, &folder.path().join("chromium.log"));
        let url = file_url(&path);
        let tab = browser.open(&url);
        browser.until(&tab, "document.documentElement.dataset.ready");
        Self {
            browser,
            tab,
            url,
            _folder: folder,
        }
    }

    fn eval(&mut self, expression: &str) -> Value {
        self.browser.eval(&self.tab, expression)
    }

    fn until(&mut self, condition: &str) -> Value {
        self.browser.until(&self.tab, condition)
    }

    /// Asserts that the page so far asked for nothing outside itself,
    /// reported no error and opened no dialog.
    fn assert_clean(&mut self) {
        let visit = self.browser.visit(&self.tab);
        assert_eq!(visit.errors, Vec::<String>::new(), "errors");
        assert_eq!(visit.dialogs, Vec::<String>::new(), "dialogs");
        assert_eq!(
            visit.outside_requests(&self.url),
            Vec::<&String>::new(),
            "only the page itself loads"
        );
    }
}

/// Counts what the page drew, as the browser laid it out.
const PROBE: &str = r##"(() => {
  const map = document.getElementById("theme-map");
  const heatmap = document.getElementById("heatmap");
  const drawn = (nodes) => [...nodes].filter((n) => {
    const box = n.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }).length;
  return {
    circles: drawn(map.querySelectorAll("circle.theme")),
    cells: drawn(heatmap.querySelectorAll("rect.cell")),
    strips: drawn(document.querySelectorAll("#strips .strip[role=slider]")),
    similarity: drawn(document.querySelectorAll("#similarity image.sim-image")),
    mapWidth: map.getBoundingClientRect().width,
    heatmapWidth: heatmap.getBoundingClientRect().width,
    explore: !document.getElementById("explore").hidden,
  };
})()"##;

#[test]
fn the_page_renders_offline_without_errors() {
    let Some(chromium) = chromium() else {
        return;
    };
    let mut s = Session::open(&chromium, &precis_report::render(&Sample::new().input()));
    let probe = s.eval(PROBE);
    assert_eq!(probe["circles"], json!(3), "{probe}");
    assert_eq!(probe["cells"], json!(9), "{probe}");
    assert_eq!(probe["strips"], json!(3), "{probe}");
    assert_eq!(probe["similarity"], json!(1), "{probe}");
    assert_eq!(probe["explore"], json!(true), "the script ran: {probe}");
    assert!(probe["mapWidth"].as_f64().unwrap_or(0.0) > 300.0);
    assert!(probe["heatmapWidth"].as_f64().unwrap_or(0.0) > 200.0);
    s.assert_clean();
    s.browser.screenshot(&s.tab, &shot("report-screenshot.png"));
}

/// Click a theme on the map, read its page; type a search, open a result in
/// its essay; read a strip with the mouse and the keyboard; filter.
#[test]
fn the_report_is_explorable() {
    let Some(chromium) = chromium() else {
        return;
    };
    let mut s = Session::open(&chromium, &precis_report::render(&Sample::new().input()));

    // A theme, from the map.
    let circle = s
        .browser
        .point(&s.tab, r##"#theme-map circle.theme[data-theme="1"]"##, 0.5);
    s.browser.click(&s.tab, circle);
    s.until(r##"!document.getElementById("view").hidden"##);
    let theme = s.eval(
        r##"(() => {
  const view = document.getElementById("view");
  return {
    hash: location.hash,
    title: document.getElementById("view-title").textContent,
    meta: view.querySelector(".meta").textContent,
    keywords: [...view.querySelectorAll(".keywords li")].map((li) => li.textContent),
    summary: view.querySelector(".summary").textContent,
    essays: [...view.querySelectorAll(".by-essay h4 a")].map((a) => a.textContent),
    sentences: [...view.querySelectorAll(".quotes li")].map((li) => li.querySelector(".hit").textContent),
    firstLine: view.querySelector(".quotes li").textContent,
    overviewShown: getComputedStyle(document.getElementById("map")).display !== "none",
    focused: document.activeElement.id,
  };
})()"##,
    );
    assert_eq!(theme["hash"], "#theme-1");
    assert_eq!(theme["title"], "garden · plot · sow");
    assert!(
        theme["meta"]
            .as_str()
            .unwrap_or("")
            .contains("fixture group"),
        "{theme}"
    );
    assert_eq!(theme["keywords"], json!(["garden", "plot", "sow"]));
    assert_eq!(
        theme["summary"],
        "Sow the beans in April. The plot needs digging."
    );
    assert_eq!(
        theme["essays"],
        json!(["Gardens & Allotments", "Rivers and Floods"])
    );
    assert_eq!(
        theme["sentences"],
        json!([
            "Sow the beans in April.",
            "The plot needs digging.",
            "Tomatoes ripen in August.",
            "Gardens by the bank were lost."
        ])
    );
    // A line of context: the sentence after it too.
    assert_eq!(
        theme["firstLine"],
        "Sow the beans in April. The plot needs digging."
    );
    assert_eq!(theme["overviewShown"], json!(false));
    assert_eq!(theme["focused"], "view-title");
    // Back to the overview.
    let back = s.browser.point(&s.tab, "#view .back", 0.5);
    s.browser.click(&s.tab, back);
    s.until(r##"document.getElementById("view").hidden && getComputedStyle(document.getElementById("map")).display !== "none""##);

    // A search, typed.
    s.eval(r##"document.getElementById("find").focus()"##);
    s.browser.type_text(&s.tab, "flood");
    s.until(r##"document.querySelectorAll("#found li").length === 2"##);
    let found = s.eval(
        r##"({
  count: document.getElementById("found-count").textContent,
  hits: [...document.querySelectorAll("#found li .hit")].map((n) => n.textContent),
  marks: [...document.querySelectorAll("#found mark")].map((n) => n.textContent),
})"##,
    );
    assert_eq!(found["count"], "2 sentences in 2 essays");
    assert_eq!(
        found["hits"],
        json!([
            "Rivers flood the line in winter.",
            "Floods reached the town square."
        ])
    );
    assert_eq!(found["marks"], json!(["flood", "Flood"]));

    // The first result, in its essay.
    let result = s.browser.point(&s.tab, "#found li a", 0.5);
    s.browser.click(&s.tab, result);
    s.until(r##"location.hash === "#essay-night-trains/3""##);
    let here = s.until(r##"document.activeElement.classList.contains("here") && document.activeElement.textContent"##);
    assert_eq!(here, "Rivers flood the line in winter.");
    let heading = s.eval(r##"document.getElementById("view-title").textContent"##);
    assert_eq!(heading, "<script>alert(1)</script> Night Trains");

    // A strip: the mouse over the first tenth reads the first sentence.
    s.eval(r##"location.hash = "#strips""##);
    s.until(r##"document.getElementById("view").hidden"##);
    let selector = r##"#strips .strip[data-essay="0"]"##;
    let near_start = s.browser.point(&s.tab, selector, 0.1);
    s.browser.pointer(&s.tab, near_start);
    let tip = s.until(
        r##"!document.getElementById("tip").hidden && document.getElementById("tip").textContent"##,
    );
    assert!(
        tip.as_str()
            .unwrap_or("")
            .contains("Sow the beans in April."),
        "{tip}"
    );
    // The keyboard: focus, one step right, Enter opens that sentence.
    s.browser.pointer(&s.tab, (2.0, 2.0));
    s.eval(&format!(
        "document.querySelector({}).focus()",
        json!(selector)
    ));
    s.browser.key(&s.tab, "ArrowRight", 39);
    let slider = s.eval(&format!(
        r##"(() => {{ const strip = document.querySelector({});
  return [strip.getAttribute("aria-valuenow"), strip.getAttribute("aria-valuetext"), document.getElementById("tip").textContent]; }})()"##,
        json!(selector)
    ));
    assert_eq!(slider[0], "2", "{slider}");
    assert!(
        slider[1]
            .as_str()
            .unwrap_or("")
            .contains("The plot needs digging."),
        "{slider}"
    );
    assert!(
        slider[2]
            .as_str()
            .unwrap_or("")
            .contains("The plot needs digging."),
        "{slider}"
    );
    s.browser.key(&s.tab, "Enter", 13);
    let here = s.until(r##"location.hash === "#essay-gardens/1" && document.querySelector("#view .here").textContent"##);
    assert_eq!(here, "The plot needs digging.");
    let paragraphs = s.eval(r##"document.querySelectorAll("#view .essay-text p").length"##);
    assert_eq!(paragraphs, json!(2), "the essay's two paragraphs");

    // Filters: a theme, then a title.
    s.eval(r##"location.hash = "#strips""##);
    s.until(r##"document.getElementById("view").hidden"##);
    s.eval(
        r##"(() => { const select = document.getElementById("theme-filter");
  select.value = "2"; select.dispatchEvent(new Event("change")); })()"##,
    );
    let shown = r##"[...document.querySelectorAll("#strips .strip-row")].filter((r) => !r.hidden).map((r) => r.querySelector("a").textContent)"##;
    assert_eq!(
        s.eval(shown),
        json!([
            "<script>alert(1)</script> Night Trains",
            "Rivers and Floods"
        ])
    );
    assert_eq!(
        s.eval(r##"document.getElementById("filter-count").textContent"##),
        "2 of 3 essays shown"
    );
    s.eval(r##"document.getElementById("essay-filter").focus()"##);
    s.browser.type_text(&s.tab, "river");
    s.until(r##"document.getElementById("filter-count").textContent === "1 of 3 essays shown""##);
    assert_eq!(s.eval(shown), json!(["Rivers and Floods"]));

    s.assert_clean();
    s.browser.screenshot(&s.tab, &shot("report-filtered.png"));
}

/// Two essays picked side by side show what `precis compare-docs` gives for
/// them: the shared themes in its order, the closest pair of sentences of
/// each, and each essay's own themes.
#[test]
fn two_picked_essays_show_side_by_side_as_compare_docs_gives_them() {
    let Some(chromium) = chromium() else {
        return;
    };
    let sample = Sample::new();
    let mut s = Session::open(&chromium, &precis_report::render(&sample.input()));
    s.eval(r##"location.hash = "#essay-gardens""##);
    s.until(r##"document.getElementById("compare-with") !== null"##);
    // Rivers and Floods is the third essay (position 2).
    s.eval(
        r##"(() => { const select = document.getElementById("compare-with");
  select.value = "2"; select.dispatchEvent(new Event("change")); })()"##,
    );
    s.until(r##"location.hash === "#compare-gardens+rivers" && document.querySelector("#view .compare-page") !== null"##);
    let page = s.eval(
        r##"(() => {
  const view = document.getElementById("view");
  return {
    shared: [...view.querySelectorAll(".by-essay")].map((section) => ({
      label: section.querySelector("h4 a").textContent,
      shares: section.querySelector("h4 .meta").textContent,
      cosine: section.querySelector(".label-small").textContent,
      quotes: [...section.querySelectorAll(".quotes li")].map((li) => li.textContent),
      links: [...section.querySelectorAll(".quotes a")].map((a) => a.getAttribute("href")),
    })),
    own: [...view.querySelectorAll(".chips")].map((list) => [...list.querySelectorAll("li a")].map((a) => a.textContent)),
  };
})()"##,
    );

    let expected = precis_themes::side_by_side(
        "gardens",
        "rivers",
        &precis_themes::ThemeSnapshot {
            set: sample.themes.clone(),
            assignments: sample.assignments.clone(),
            documents: sample.document_themes.clone(),
        },
        &sample.sentences,
        sample.embeddings.view(),
    )
    .expect("both essays are in the sample");
    assert!(!expected.shared.is_empty(), "{expected:?}");
    let percent = |share: f64| format!("{}%", (100.0 * share).round());
    let shared: Vec<Value> = expected
        .shared
        .iter()
        .map(|t| {
            json!({
                "label": t.label,
                "shares": format!("A {} · B {}", percent(t.share_a), percent(t.share_b)),
                "cosine": format!("Closest sentences (cosine {:.3})", t.closest.similarity),
                "quotes": [
                    format!("Gardens & Allotments: {}", t.closest.text_a),
                    format!("Rivers and Floods: {}", t.closest.text_b),
                ],
                "links": [
                    format!("#essay-gardens/{}", t.closest.index_a),
                    format!("#essay-rivers/{}", t.closest.index_b),
                ],
            })
        })
        .collect();
    assert_eq!(page["shared"], json!(shared), "{page}");
    let labels = |own: &[precis_themes::OwnTheme]| -> Vec<String> {
        own.iter().map(|t| t.label.clone()).collect()
    };
    assert_eq!(
        page["own"],
        json!([labels(&expected.only_a), labels(&expected.only_b)]),
        "{page}"
    );
    s.assert_clean();
}

/// Every control has a name, the keyboard reaches it, and the print
/// stylesheet keeps the content and drops the controls.
#[test]
fn the_report_is_accessible_and_printable() {
    let Some(chromium) = chromium() else {
        return;
    };
    let mut s = Session::open(&chromium, &precis_report::render(&Sample::new().input()));
    let unnamed = s.eval(
        r##"(() => {
  const name = (n) => (n.getAttribute("aria-label") || n.textContent || "").trim();
  return [
    ...[...document.querySelectorAll("input, select")].filter((n) => n.labels.length === 0).map((n) => n.id),
    ...[...document.querySelectorAll("a[href], [role=slider], svg[role=img]")].filter((n) => !name(n)).map((n) => n.outerHTML.slice(0, 80)),
  ];
})()"##,
    );
    assert_eq!(unnamed, json!([]), "controls without a name");
    s.browser.key(&s.tab, "Tab", 9);
    assert_eq!(
        s.eval("document.activeElement.className"),
        "skip",
        "the first Tab reaches the skip link"
    );
    let focusable = s.eval(
        r##"[...document.querySelectorAll("#strips .strip")].every((n) => n.tabIndex === 0)"##,
    );
    assert_eq!(focusable, json!(true));

    s.browser.call(
        Some(&s.tab),
        "Emulation.setEmulatedMedia",
        json!({"media": "print"}),
    );
    let print = s.eval(
        r##"(() => {
  const shown = (id) => getComputedStyle(document.getElementById(id)).display !== "none";
  return { explore: shown("explore"), strips: shown("strips"), themes: shown("themes"), map: shown("map") };
})()"##,
    );
    assert_eq!(
        print,
        json!({"explore": false, "strips": true, "themes": true, "map": true})
    );
    s.assert_clean();
}

/// A sentence holding `</script>`, `<!--`, `<img onerror>` and a
/// `javascript:` link, and a title holding `<script>`, show as text.
#[test]
fn hostile_text_shows_as_text_and_never_runs() {
    let Some(chromium) = chromium() else {
        return;
    };
    let mut s = Session::open(&chromium, &precis_report::render(&Sample::new().input()));
    s.eval(r##"document.getElementById("find").focus()"##);
    s.browser.type_text(&s.tab, "onerror");
    s.until(r##"document.querySelectorAll("#found li").length === 1"##);
    let result = s.browser.point(&s.tab, "#found li a", 0.5);
    s.browser.click(&s.tab, result);
    s.until(r##"location.hash === "#essay-night-trains/2""##);
    let page = s.until(
        r##"document.querySelector("#view .here") && {
  here: document.querySelector("#view .here").innerText,
  title: document.getElementById("view-title").innerText,
  stripTitle: document.querySelector('#strips .strip-row[data-essay="1"] a').textContent,
  images: document.querySelectorAll("img, image:not(.sim-image)").length,
  scripts: document.scripts.length,
  scriptLinks: document.querySelectorAll("a[href^='javascript' i]").length,
  outline: [...document.querySelectorAll("#view .outline strong")].map((s) => s.textContent),
  outlineLinks: [...document.querySelectorAll("#view .outline a")].map((a) => [a.getAttribute("href"), a.textContent]),
}"##,
    );
    assert_eq!(page["here"], HOSTILE, "{page}");
    assert_eq!(
        page["outline"],
        json!([HOSTILE_HEADING, "Floods", "Sundays"]),
        "{page}"
    );
    assert_eq!(
        page["outlineLinks"][0],
        json!(["#essay-night-trains/2", HOSTILE])
    );
    assert_eq!(
        page["outlineLinks"][1],
        json!(["#essay-night-trains/3", "Rivers flood the line in winter."])
    );
    assert_eq!(page["title"], "<script>alert(1)</script> Night Trains");
    assert_eq!(page["stripTitle"], "<script>alert(1)</script> Night Trains");
    assert_eq!(page["images"], json!(0));
    assert_eq!(page["scripts"], json!(2));
    assert_eq!(page["scriptLinks"], json!(0));
    // On the strip, the mouse reads it too.
    s.eval(r##"location.hash = "#strips""##);
    s.until(r##"document.getElementById("view").hidden"##);
    let third = s
        .browser
        .point(&s.tab, r##"#strips .strip[data-essay="1"]"##, 0.6);
    s.browser.pointer(&s.tab, third);
    let tip = s.until(
        r##"!document.getElementById("tip").hidden && document.getElementById("tip").textContent"##,
    );
    assert!(
        tip.as_str().unwrap_or("").contains("<img src=x onerror="),
        "{tip}"
    );
    s.assert_clean();
}

/// The checks above would see a page that misbehaves: a request to another
/// host, a console error, an uncaught exception, a dialog.
#[test]
fn the_checks_catch_a_page_that_misbehaves() {
    let Some(chromium) = chromium() else {
        return;
    };
    let folder = tempfile::tempdir().expect("a temp folder");
    let page = folder.path().join("bad.html");
    std::fs::write(
        &page,
        r##"<!DOCTYPE html><title>bad</title><img src="http://example.invalid/x.png">
<script>alert("hello"); console.error("boom"); missingFunction();</script>"##,
    )
    .expect("writing the page");
    let mut browser = Browser::start(&chromium, &folder.path().join("chromium.log"));
    let tab = browser.open(&file_url(&page));
    assert_eq!(browser.eval(&tab, "document.title"), json!("bad"));
    let visit = browser.visit(&tab);
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
    assert_eq!(visit.dialogs, vec!["hello".to_string()]);
}

/// A page at the scale of the 187 essays (22 000 sentences) stays within its
/// size budget, loads clean, and finds what it holds. It also prints the time
/// to interactive and the search latency (measured, never asserted: speed
/// targets live in `just bench`, which runs this with `--nocapture`):
///
/// ```text
/// PRECIS_REQUIRE_BROWSER=1 cargo test -p precis-report --test browser -- scale --nocapture
/// ```
///
/// With `PRECIS_SCALE_PAGE=path/index.html` it measures that page too (a
/// real run's, from `cargo run -p precis-report --example render_run`),
/// and saves screenshots of it for the README's tour.
#[test]
fn a_page_at_the_scale_of_the_187_essays_fits_its_budget_and_finds_its_sentences() {
    let Some(chromium) = chromium() else {
        return;
    };
    let sample = Sample::synthetic(187, 117);
    let started = Instant::now();
    let page = precis_report::render(&sample.input());
    let render = started.elapsed();
    report(&format!(
        "synthetic: {} essays, {} sentences; rendered in {:.2} s",
        sample.documents.len(),
        sample.sentences.len(),
        render.as_secs_f64()
    ));
    assert!(page.len() <= 8_000_000, "{} bytes", page.len());
    let found = measure(
        &chromium,
        &page,
        &["the", "wisdom", "nature of", "zzzz"],
        None,
    );
    // The synthetic essays are made of common words ("the" among them), never "zzzz".
    let count = |query: &str| -> usize {
        let said = &found[query];
        said.split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{said:?}"))
    };
    assert!(count("the") > sample.sentences.len() / 10, "{found:?}");
    assert_eq!(count("zzzz"), 0, "{found:?}");
    if let Some(path) = std::env::var_os("PRECIS_SCALE_PAGE") {
        let page = std::fs::read_to_string(&path).expect("reading PRECIS_SCALE_PAGE");
        report(&format!("page: {}", Path::new(&path).display()));
        measure(
            &chromium,
            &page,
            &["truth", "friendship", "the king", "zzzz"],
            Some("tour"),
        );
    }
}

fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Prints the page's size, its time to interactive over three loads, the
/// latency of each keystroke of each query typed, and the time to open the
/// largest theme's page; saves screenshots named `{shots}-*.png`. Returns
/// what the page said it found for each whole query.
fn measure(
    chromium: &Path,
    page: &str,
    queries: &[&str],
    shots: Option<&str>,
) -> std::collections::BTreeMap<String, String> {
    report(&format!(
        "  size: {:.2} MB ({} bytes)",
        page.len() as f64 / 1e6,
        page.len()
    ));
    let mut s = Session::open(chromium, page);
    let mut ready = Vec::new();
    for _ in 0..3 {
        let tab = s.browser.open(&s.url);
        s.browser
            .until(&tab, "document.documentElement.dataset.ready");
        let times = s.browser.eval(
            &tab,
            r##"(() => { const nav = performance.getEntriesByType("navigation")[0];
  return [performance.getEntriesByName("precis-ready")[0].startTime, nav.domContentLoadedEventEnd, nav.loadEventEnd]; })()"##,
        );
        ready.push(times);
        // Measure in the tab in front: a tab behind gets no animation frames.
        s.tab = tab;
    }
    for times in &ready {
        report(&format!(
            "  interactive: script ready {:.0} ms, DOMContentLoaded {:.0} ms, load {:.0} ms",
            times[0].as_f64().unwrap_or(f64::NAN),
            times[1].as_f64().unwrap_or(f64::NAN),
            times[2].as_f64().unwrap_or(f64::NAN)
        ));
    }
    let latencies = s.eval(&format!(
        r##"(async (queries) => {{
  const find = document.getElementById("find");
  const out = [];
  for (const query of queries) {{
    for (let n = 1; n <= query.length; n++) {{
      const start = performance.now();
      find.value = query.slice(0, n);
      find.dispatchEvent(new Event("input"));
      void document.body.offsetHeight;
      const shown = performance.now() - start;
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
      out.push([find.value, shown, performance.now() - start, document.getElementById("found-count").textContent]);
    }}
  }}
  find.value = ""; find.dispatchEvent(new Event("input"));
  return out;
}})({})"##,
        json!(queries)
    ));
    let mut worst: f64 = 0.0;
    let mut found = std::collections::BTreeMap::new();
    for row in latencies.as_array().expect("latencies") {
        let shown = row[1].as_f64().unwrap_or(f64::NAN);
        worst = worst.max(shown);
        let typed = row[0].as_str().unwrap_or("").to_string();
        if queries.contains(&typed.as_str()) {
            found.insert(typed, row[3].as_str().unwrap_or("").to_string());
        }
        report(&format!(
            "  search {:?}: results laid out in {:.1} ms, next frame at {:.1} ms ({})",
            row[0].as_str().unwrap_or(""),
            shown,
            row[2].as_f64().unwrap_or(f64::NAN),
            row[3].as_str().unwrap_or("")
        ));
    }
    report(&format!("  search: slowest keystroke {worst:.1} ms"));
    let theme = s.eval(
        r##"(async () => {
  const data = JSON.parse(document.getElementById("precis-data").textContent);
  const largest = data.themes.reduce((a, b) => (b.size > a.size ? b : a));
  const start = performance.now();
  const changed = new Promise((resolve) => window.addEventListener("hashchange", () => resolve(), { once: true }));
  location.hash = "#theme-" + largest.id;
  await changed;
  void document.body.offsetHeight;
  return [largest.id, largest.size, performance.now() - start];
})()"##,
    );
    report(&format!(
        "  theme page of theme {} ({} sentences): {:.0} ms",
        theme[0],
        theme[1],
        theme[2].as_f64().unwrap_or(f64::NAN)
    ));
    s.assert_clean();
    let Some(prefix) = shots else {
        return found;
    };
    let tab = s.tab.clone();
    let capture = |s: &mut Session, setup: &str, name: &str| {
        s.eval(setup);
        s.eval(
            "new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))",
        );
        s.browser
            .screenshot(&tab, &shot(&format!("{prefix}-{name}.png")));
    };
    capture(
        &mut s,
        r##"location.hash = "#top"; window.scrollTo(0, 0)"##,
        "overview",
    );
    capture(
        &mut s,
        r##"document.getElementById("strips").scrollIntoView()"##,
        "strips",
    );
    s.eval(r##"location.hash = "#top""##);
    s.eval(r##"(() => { const find = document.getElementById("find"); find.value = "friendship"; find.dispatchEvent(new Event("input")); window.scrollTo(0, 0); })()"##);
    capture(&mut s, "0", "search");
    let third = s.eval(r##"document.querySelectorAll("#found li a")[2].getAttribute("href")"##);
    capture(&mut s, &format!("location.hash = {third}"), "essay-page");
    capture(
        &mut s,
        &format!("location.hash = {}", json!(format!("#theme-{}", theme[0]))),
        "theme-page",
    );
    found
}
