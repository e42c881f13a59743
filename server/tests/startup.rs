//! Start-up and shutdown of the real `server` binary, as an operator meets them: a bad setting
//! stops it with exit status 1 and one line on stderr naming the setting and the fix (no panic,
//! no backtrace); a healthy server keeps a development secret, logs one line per request, and on
//! SIGTERM finishes the response in flight before exiting with status 0.

#![cfg(unix)]

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    sync::{Arc, Mutex},
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

/// How long any one start or stop may take before the test gives up.
const PROCESS_DEADLINE: Duration = Duration::from_secs(30);

// --- harness ---------------------------------------------------------------------------------

fn workspace_file(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .display()
        .to_string()
}

/// A fresh directory under the system temp dir, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(purpose: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("tasks-{purpose}-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_loopback_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.local_addr().expect("local addr")
}

/// The binary with a clean environment: the workspace's `Leptos.toml`, a fresh data directory,
/// a free loopback port, then `overrides`.
fn server_command(data_dir: &Path, addr: SocketAddr, overrides: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env_clear()
        .env("APP_CONFIG", workspace_file("Leptos.toml"))
        .env("APP_DATA_DIR", data_dir)
        .env("APP_ADDRESS", addr.to_string())
        .env("APP_LOG", "info")
        .envs(overrides.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Output of a process that was expected to stop on its own.
struct Exited {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

fn wait_with_deadline(mut child: Child) -> Exited {
    let stdout = collect(child.stdout.take().expect("stdout piped"));
    let stderr = collect(child.stderr.take().expect("stderr piped"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > PROCESS_DEADLINE {
            let _ = child.kill();
            panic!("the server did not exit within {PROCESS_DEADLINE:?}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    Exited {
        status,
        stdout: finish(stdout),
        stderr: finish(stderr),
    }
}

type Collected = (Arc<Mutex<String>>, JoinHandle<()>);

/// Reads a pipe line by line on a thread, so the child never blocks on a full pipe.
fn collect(pipe: impl Read + Send + 'static) -> Collected {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    let handle = thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut text = sink.lock().expect("lock");
            text.push_str(&line);
            text.push('\n');
        }
    });
    (text, handle)
}

fn finish((text, handle): Collected) -> String {
    handle.join().expect("reader thread");
    let text = text.lock().expect("lock");
    text.clone()
}

/// Runs the server with `overrides` and expects it to refuse to start.
fn refuse(overrides: &[(&str, &str)]) -> Exited {
    let data_dir = TempDir::new("startup");
    let child = server_command(data_dir.path(), free_loopback_port(), overrides)
        .spawn()
        .expect("spawn server");
    wait_with_deadline(child)
}

/// The operator-facing contract of a refused start.
fn assert_refused_with_one_line(exited: &Exited, setting: &str, fix: &str) {
    assert_eq!(exited.status.code(), Some(1), "stderr: {}", exited.stderr);
    let lines: Vec<&str> = exited.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr: {:?}", exited.stderr);
    assert!(
        lines[0].starts_with(&format!("error: {setting}: ")),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(fix), "no fix `{fix}` in: {}", lines[0]);
    for noise in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!exited.stderr.contains(noise), "{}", exited.stderr);
        assert!(!exited.stdout.contains(noise), "{}", exited.stdout);
    }
}

/// A server that started and answers `/healthz`.
struct Running {
    child: Child,
    addr: SocketAddr,
    stdout: Option<Collected>,
    stderr: Option<Collected>,
}

impl Running {
    fn start(data_dir: &Path, overrides: &[(&str, &str)]) -> Self {
        let addr = free_loopback_port();
        let mut child = server_command(data_dir, addr, overrides)
            .spawn()
            .expect("spawn server");
        let stdout = collect(child.stdout.take().expect("stdout piped"));
        let stderr = collect(child.stderr.take().expect("stderr piped"));
        let mut running = Self {
            child,
            addr,
            stdout: Some(stdout),
            stderr: Some(stderr),
        };
        let started = Instant::now();
        loop {
            if let Ok(response) = get(addr, "/healthz", &[]) {
                assert_eq!(response.status, 200);
                break;
            }
            if let Some(status) = running.child.try_wait().expect("wait") {
                let (stdout, stderr) = running.output();
                panic!("the server exited with {status}: {stdout}{stderr}");
            }
            assert!(
                started.elapsed() < PROCESS_DEADLINE,
                "the server did not answer /healthz within {PROCESS_DEADLINE:?}"
            );
            thread::sleep(Duration::from_millis(50));
        }
        running
    }

    fn send_sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }

    /// Sends SIGTERM and waits for the exit.
    fn terminate(self) -> Exited {
        self.send_sigterm();
        self.wait()
    }

    fn wait(mut self) -> Exited {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > PROCESS_DEADLINE {
                let _ = self.child.kill();
                panic!("the server did not exit within {PROCESS_DEADLINE:?}");
            }
            thread::sleep(Duration::from_millis(20));
        };
        let (stdout, stderr) = self.output();
        Exited {
            status,
            stdout,
            stderr,
        }
    }

    fn output(&mut self) -> (String, String) {
        let stdout = self.stdout.take().map(finish).unwrap_or_default();
        let stderr = self.stderr.take().map(finish).unwrap_or_default();
        (stdout, stderr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Only reached when a test failed half-way; never leave a server behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct HttpResponse {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// A plain HTTP/1.1 request on its own connection, read to the end.
fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(PROCESS_DEADLINE))?;
    stream.write_all(request_head(addr, path, headers).as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn request_head(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> String {
    let mut head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head
}

fn parse_response(raw: &[u8]) -> std::io::Result<HttpResponse> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok(HttpResponse {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    })
}

// --- misconfiguration ------------------------------------------------------------------------

#[test]
fn an_unparsable_database_url_stops_start_up_naming_database_url() {
    let exited = refuse(&[("DATABASE_URL", "mysql://root:hunter2@127.0.0.1/tasks")]);
    assert_refused_with_one_line(&exited, "DATABASE_URL", "use sqlite://data/tasks.db");
    assert!(!exited.stderr.contains("hunter2"), "{}", exited.stderr);
}

#[test]
fn an_unreachable_database_stops_start_up_naming_database_url() {
    let exited = refuse(&[("DATABASE_URL", "postgres://postgres@127.0.0.1:1/x")]);
    assert_refused_with_one_line(
        &exited,
        "DATABASE_URL",
        "check that the database is reachable (server running, file writable)",
    );
    assert!(
        exited.stderr.contains("Connection refused"),
        "{}",
        exited.stderr
    );
}

#[test]
fn a_port_in_use_stops_start_up_naming_app_address() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = taken.local_addr().expect("local addr").to_string();
    let exited = refuse(&[("APP_ADDRESS", &addr)]);
    assert_refused_with_one_line(&exited, "APP_ADDRESS", "choose another address");
    assert!(exited.stderr.contains(&addr), "{}", exited.stderr);
}

#[test]
fn a_malformed_config_file_stops_start_up_naming_app_config() {
    let dir = TempDir::new("bad-config");
    let file = dir.path().join("Leptos.toml");
    std::fs::write(&file, "[server]\nmode = \"development\"\naddress = \n").expect("write");
    let exited = refuse(&[("APP_CONFIG", &file.display().to_string())]);
    assert_refused_with_one_line(&exited, "APP_CONFIG", "fix the file");
    assert!(
        exited
            .stderr
            .contains(&format!("{} is malformed at line 3: ", file.display())),
        "{}",
        exited.stderr
    );
}

#[test]
fn a_release_bundle_built_without_split_stops_start_up_naming_leptos_site_root() {
    let site_root = TempDir::new("unsplit-site");
    std::fs::create_dir_all(site_root.path().join("pkg")).expect("create pkg");
    std::fs::write(
        site_root.path().join("pkg/tasks.js"),
        "import * as import1 from \"__wasm_split_placeholder__\"\n",
    )
    .expect("write bundle");
    let exited = refuse(&[
        ("LEPTOS_SITE_ROOT", &site_root.path().display().to_string()),
        ("LEPTOS_SITE_PKG_DIR", "pkg"),
        ("LEPTOS_OUTPUT_NAME", "tasks"),
    ]);
    assert_refused_with_one_line(
        &exited,
        "LEPTOS_SITE_ROOT",
        "rebuild it with `cargo leptos build --release --split`",
    );
}

#[test]
fn production_without_a_secret_stops_start_up_naming_app_secret() {
    let exited = refuse(&[("APP_MODE", "production")]);
    assert_refused_with_one_line(&exited, "APP_SECRET", "set APP_SECRET to at least 32");
}

#[test]
fn production_with_a_short_secret_stops_start_up_naming_app_secret() {
    let exited = refuse(&[("APP_MODE", "production"), ("APP_SECRET", "short")]);
    assert_refused_with_one_line(&exited, "APP_SECRET", "set APP_SECRET to at least 32");
    assert!(
        exited.stderr.contains("5 bytes long, fewer than 32"),
        "{}",
        exited.stderr
    );
}

// --- a healthy server ------------------------------------------------------------------------

#[test]
fn development_without_a_secret_creates_one_dev_secret_and_keeps_it_across_restarts() {
    let data_dir = TempDir::new("dev-secret");
    let secret_file = data_dir.path().join("dev-secret");

    let first = Running::start(data_dir.path(), &[]).terminate();
    assert_eq!(first.status.code(), Some(0), "{}", first.stderr);
    assert!(
        first.stdout.contains("WARN")
            && first.stdout.contains("no APP_SECRET set")
            && first.stdout.contains("set APP_SECRET in production"),
        "{}",
        first.stdout
    );
    let created = std::fs::read_to_string(&secret_file).expect("dev-secret written");
    assert_eq!(created.len(), 96, "48 random bytes as hex");
    assert!(created.chars().all(|c| c.is_ascii_hexdigit()));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_file)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The secret itself never reaches the log.
    assert!(!first.stdout.contains(&created));

    let second = Running::start(data_dir.path(), &[]).terminate();
    assert_eq!(second.status.code(), Some(0), "{}", second.stderr);
    assert_eq!(
        std::fs::read_to_string(&secret_file).expect("dev-secret kept"),
        created
    );
}

#[test]
fn each_request_is_logged_once_with_its_id_method_path_status_and_latency() {
    let data_dir = TempDir::new("request-log");
    let server = Running::start(data_dir.path(), &[]);
    let response = get(server.addr, "/healthz?token=query-secret", &[]).expect("request");
    assert_eq!(response.status, 200);
    let id = response
        .header("x-request-id")
        .expect("x-request-id")
        .to_owned();
    let exited = server.terminate();

    let lines: Vec<&str> = exited
        .stdout
        .lines()
        .filter(|line| line.contains(&format!("id={id}")))
        .collect();
    assert_eq!(lines.len(), 1, "{}", exited.stdout);
    let line = lines[0];
    for part in [
        " INFO ",
        "method=GET",
        "path=/healthz",
        "finished processing request",
        "status=200",
        "latency=",
    ] {
        assert!(line.contains(part), "no `{part}` in: {line}");
    }
    // Query strings can carry tokens: they are never logged.
    assert!(!exited.stdout.contains("query-secret"), "{}", exited.stdout);
}

#[test]
fn sigterm_finishes_the_response_in_flight_refuses_new_connections_and_exits_0() {
    // A static file large enough that its response is still streaming when SIGTERM arrives:
    // the client reads only the first part before the signal, the rest after it.
    const SIZE: usize = 32 * 1024 * 1024;
    let site_root = TempDir::new("site");
    let content: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
    std::fs::write(site_root.path().join("big.bin"), &content).expect("write big file");
    let data_dir = TempDir::new("shutdown");
    let site_root_text = site_root.path().display().to_string();
    let server = Running::start(data_dir.path(), &[("LEPTOS_SITE_ROOT", &site_root_text)]);

    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream
        .set_read_timeout(Some(PROCESS_DEADLINE))
        .expect("timeout");
    stream
        .write_all(request_head(server.addr, "/big.bin", &[]).as_bytes())
        .expect("send request");
    let mut received = vec![0u8; 64 * 1024];
    stream.read_exact(&mut received).expect("first part");

    server.send_sigterm();
    let signalled = Instant::now();
    while TcpStream::connect(server.addr).is_ok() {
        assert!(
            signalled.elapsed() < Duration::from_secs(5),
            "new connections were still accepted 5s after SIGTERM"
        );
        thread::sleep(Duration::from_millis(20));
    }
    let mut server = server;
    assert!(
        server.child.try_wait().expect("wait").is_none(),
        "the server exited with a response still in flight"
    );

    stream
        .read_to_end(&mut received)
        .expect("rest of the response");
    let response = parse_response(&received).expect("response");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-length"), Some("33554432"));
    assert!(response.body == content, "the body arrived incomplete");

    let exited = server.wait();
    assert_eq!(exited.status.code(), Some(0), "{}", exited.stderr);
    assert!(
        exited
            .stdout
            .contains("shutting down: finishing in-flight requests"),
        "{}",
        exited.stdout
    );
    assert_eq!(exited.stderr, "");
}
