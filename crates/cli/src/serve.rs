//! `fleetplay serve`: the simulator as an HTTP/1.1 server on 127.0.0.1, for real SDKs and tools, with the
//! playground page following it live when `--page` names the page's build.
//!
//! It listens on 127.0.0.1 unless `--host` says otherwise, and then says loudly on stderr that other machines
//! can reach it ([`crate::access::exposure_warning`]). A task of its own ([`crate::live::run_clock`]) moves
//! simulated time while the speed is above 0, so state changes reach the live pages when they are due.
//!
//! hyper on tokio, with an axum service ([`crate::handler`]) behind tower-http's `CatchPanicLayer`. The
//! accept loop is our own rather than `axum::serve` because it configures what a server facing arbitrary
//! clients needs and `axum::serve` does not expose: a limit on header size and count, a timeout on reading
//! a request's head (which also closes idle keep-alive connections, and cuts off clients that dribble
//! headers), a timeout on writes the client does not take ([`TimedIo`]), a cap on open connections, and a
//! graceful shutdown on Ctrl+C (SIGINT) or SIGTERM that finishes the requests in flight.
//!
//! Message framing is hyper's, as RFC 9112 §6 asks: a `Transfer-Encoding` whose last coding is not
//! `chunked`, differing `Content-Length`s or one that is not all digits get 400 and a closed connection; a
//! request with both `Transfer-Encoding` and `Content-Length` is read as chunked and its connection closed
//! after the answer (`crates/cli/tests/http.rs` holds a test per case).

use crate::access::{self, Access};
use crate::handler::{self, Shared};
use crate::history::History;
use crate::page::Page;
use crate::server::Server;
use crate::{load_scenario, CliError};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use sim::Scenario;
use std::future::Future;
use std::io::{self, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;

/// Most header lines in a request (hyper's default, stated).
const MAX_HEADERS: usize = 100;
/// Largest request head (request line and headers) in bytes; a larger one gets 431.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// How long in-flight requests may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The control API, for `serve --help` and `GET /_fleetplay/help`: lines of at most 78 characters, so clap
/// does not wrap them in an 80-column terminal.
const CONTROL_API: &str = "\
Control API (JSON; never part of any provider's paths):
  POST /_fleetplay/advance?by=90s  advance simulated time (or a body
                                   {\"by\": \"90s\"} or {\"ms\": 90000}; ?to=10m
                                   for an absolute time); answers the
                                   new time and the events
  POST /_fleetplay/step            jump to the next scheduled change
  POST /_fleetplay/reset           the same scenario and seed at T+0
                                   (?seed=N for another); forgets the
                                   history
  POST /_fleetplay/scenario        load the scenario JSON in the body
                                   (400 naming the problem if invalid)
  GET  /_fleetplay/scenario        the current scenario
  POST /_fleetplay/speed?value=F   change the speed (0 freezes time)
  GET  /_fleetplay/state           now, next_due, seed, speed, the run,
                                   exchanges since the reset, what the
                                   history holds, every server's view
  GET  /_fleetplay/transcript      the recent history (see --history)
                                   as JSON lines, or HTTP text with
                                   ?format=http; streamed
  POST /_fleetplay/send            answer {\"request\": {\"method\",
                                   \"target\", \"headers\", \"body\"}} (or
                                   {\"requests\": [...]}) as if it had
                                   come over the network
  GET  /_fleetplay/live            every exchange and clock move as
                                   Server-Sent Events (what the page
                                   follows)
  GET  /_fleetplay/help            this list";

const ABOUT_CLIENTS: &str = "\
Point boto3 at it with endpoint_url=http://127.0.0.1:PORT (any credentials, any region), and OpenStack
clients at http://127.0.0.1:PORT/v2.1 with one of the scenario's tokens (e.g. member-token-aaaa1111).
Browsers may use the control API only from the server's own origin and those given with --allow-origin.";

/// `GET /_fleetplay/help`.
pub fn control_help() -> String {
    format!("fleetplay serve: the simulator over HTTP/1.1.\n\n{ABOUT_CLIENTS}\n\n{CONTROL_API}\n")
}

/// Serve the simulator over HTTP/1.1 on 127.0.0.1 for real SDKs and tools.
///
/// Point boto3 at it with endpoint_url=http://127.0.0.1:PORT (any credentials, any region), and
/// OpenStack clients at http://127.0.0.1:PORT/v2.1 with one of the scenario's tokens (e.g.
/// member-token-aaaa1111). Ctrl+C or SIGTERM stops it once the requests in flight are answered.
#[derive(clap::Args, Debug)]
#[command(after_help = CONTROL_API)]
pub struct Args {
    /// Port to listen on (0 picks a free port and prints it).
    #[arg(long, value_name = "N", default_value_t = 8080)]
    port: u16,
    /// Address to listen on. Anything but a loopback address lets other machines reach the simulator
    /// (a warning says so).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Serve the playground page from this folder (a release build, `trunk build --release`'s dist/):
    /// opening the server's address then shows its simulation live. `cargo xtask live` builds it and
    /// passes it here.
    #[arg(long, value_name = "DIR")]
    page: Option<PathBuf>,
    /// Also let pages on this origin use the control API and the live stream, e.g. the page under `trunk
    /// serve` (http://127.0.0.1:8080) joining this server. Repeat for more.
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = access::parse_origin)]
    allow_origins: Vec<String>,
    /// Scenario to load (default: the built-in one, see `fleetplay scenario`).
    #[arg(long, value_name = "FILE.json")]
    scenario: Option<String>,
    /// Override the scenario's seed.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Simulated seconds per wall-clock second (0: time moves only through the control API).
    #[arg(long, value_name = "F", default_value = "1", value_parser = speed, allow_negative_numbers = true)]
    speed: f64,
    /// How many recent exchanges and events the transcript keeps (older ones are dropped; 0 keeps none).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    history: usize,
    /// Memory the kept history may use at most, in MiB (estimated from the requests' and answers' sizes).
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    history_mib: usize,
    /// How long a client may take to send a request's head or body, or to take a response; also how long
    /// an idle keep-alive connection stays open. A duration like 30s, 1m or 500ms.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = duration)]
    client_timeout: Duration,
    /// Most connections open at once; further clients wait in the listen queue.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Make POST /_fleetplay/panic panic (for testing that a failing request gets a 500).
    #[arg(long, hide = true)]
    enable_panic_endpoint: bool,
}

fn speed(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err("expected a number ≥ 0".to_string()),
    }
}

fn duration(text: &str) -> Result<Duration, String> {
    match sim::time::parse_duration_ms(text) {
        Some(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
        _ => Err("expected a duration like 30s, 2m or 500ms".to_string()),
    }
}

/// Runs the command.
pub fn main(args: Args) -> Result<u8, CliError> {
    let mut scenario = match &args.scenario {
        Some(file) => load_scenario(file)?,
        None => Scenario::builtin(),
    };
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let seed = scenario.seed;
    let history = History::new(args.history, args.history_mib.saturating_mul(1024 * 1024));
    let mut server = Server::new(scenario, args.speed, history)
        .map_err(|e| CliError::usage(format!("invalid scenario: {e}")))?;
    server.panic_endpoint = args.enable_panic_endpoint;
    let page = match &args.page {
        Some(dir) => Some(Page::open(dir).map_err(|e| CliError::new("--page", e))?),
        None => None,
    };
    let host = access::host_name(args.host);
    let listener = std::net::TcpListener::bind((args.host, args.port)).map_err(|e| {
        CliError::usage(format!("cannot listen on {host}:{}: {}", args.port, crate::io_reason(&e)))
    })?;
    listener.set_nonblocking(true).map_err(|e| CliError::usage(format!("cannot listen: {e}")))?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let access = Access::new(args.host, port, &args.allow_origins);
    if let Some(warning) = access::exposure_warning(args.host, port) {
        eprintln!("{warning}");
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("fleetplay-serve")
        .build()
        .map_err(|e| CliError::usage(format!("cannot start the server's threads: {e}")))?;
    let shown = if args.host.is_unspecified() { "127.0.0.1".to_string() } else { host.clone() };
    let page_line = page.as_ref().map(|page| {
        format!(
            "fleetplay: the playground, live: http://{shown}:{port}/ (the page in {})",
            page.dir().display()
        )
    });
    let shared =
        Arc::new(Shared { server: Mutex::new(server), client_timeout: args.client_timeout, access, page });
    let limits =
        Limits { client_timeout: args.client_timeout, max_connections: args.max_connections as usize };
    let result = runtime.block_on(async move {
        let listener = TcpListener::from_std(listener)?;
        // The first line is what scripts and tests read the port from.
        println!("fleetplay: serving on http://{host}:{port} (seed {seed})");
        if let Some(line) = page_line {
            println!("{line}");
        }
        if !args.allow_origins.is_empty() {
            println!(
                "fleetplay: pages on these origins may follow it: {}",
                shared.access.origins().join(", ")
            );
        }
        let _ = io::stdout().flush();
        let clock = tokio::spawn(crate::live::run_clock(Arc::clone(&shared)));
        serve(listener, Arc::clone(&shared), limits).await;
        clock.abort();
        io::Result::Ok(())
    });
    runtime.shutdown_timeout(Duration::from_millis(100));
    result.map_err(|e| CliError::usage(format!("cannot listen on {port}: {e}")))?;
    println!("fleetplay: stopped");
    Ok(0)
}

/// The limits of [`serve`].
struct Limits {
    client_timeout: Duration,
    max_connections: usize,
}

/// Accepts connections until Ctrl+C or SIGTERM, then lets the open ones finish (for a few seconds at most).
async fn serve(listener: TcpListener, shared: Arc<Shared>, limits: Limits) {
    let service = tower::ServiceBuilder::new()
        .layer(CatchPanicLayer::custom(handler::panic_response))
        .service(handler::router(Arc::clone(&shared)));
    let service = TowerToHyperService::new(service);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .keep_alive(true)
        .header_read_timeout(limits.client_timeout)
        .max_headers(MAX_HEADERS)
        .max_header_size(MAX_HEADER_BYTES);
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            biased;
            () = &mut stop => break,
            permit = Arc::clone(&open).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            biased;
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors or a connection reset before it was accepted: wait a little
                    // rather than spin, and go on.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(TimedIo::new(stream, limits.client_timeout));
        let connection = graceful.watch(http.serve_connection(io, service.clone()));
        tokio::spawn(async move {
            // Errors here are a client's (a timeout, a reset, malformed HTTP already answered by hyper).
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    // Live streams never end on their own: end them, so that open pages do not hold up the shutdown.
    handler::lock(&shared.server).live.close();
    eprintln!("fleetplay: shutting down (open connections: {})", graceful.count());
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            eprintln!("fleetplay: requests still running after {} s are cut off", SHUTDOWN_GRACE.as_secs());
        }
    }
}

/// Resolves on Ctrl+C (SIGINT) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// A TCP stream whose writes fail once one has waited longer than the limit: a client that stops reading
/// its response cannot keep a connection (and the response it holds) forever. hyper has a timeout for
/// reading the request head but none for writing.
pub struct TimedIo {
    inner: TcpStream,
    limit: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl TimedIo {
    /// Wraps `inner`.
    pub fn new(inner: TcpStream, limit: Duration) -> TimedIo {
        TimedIo { inner, limit, stalled: None }
    }

    /// After a write returned `Pending`: starts the clock if it is not running, and fails once it ran out.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let limit = self.limit;
        let stalled = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not take the response in time",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn progress<T>(&mut self, cx: &mut Context<'_>, result: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending => self.wait(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for TimedIo {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for TimedIo {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.progress(cx, result)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.progress(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_flush(cx);
        this.progress(cx, result)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
