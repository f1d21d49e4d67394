//! `katapult-mock`: a local HTTP server that behaves like the Katapult Core
//! API v1 (Krystal's cloud hosting API), for tests and the demo.
//!
//! See `mock/README.md` for flags, seeded data, control endpoints and magic
//! names.

mod app;
mod auth;
mod console;
mod control;
mod cors;
mod faults;
mod pipeline;
mod server;
mod stats;

// The IO-free parts live in the engine's crate, shared with it.
use katapult_mock_core::{error as errors, ids};

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use crate::app::{App, Config};
use crate::faults::{RandomFaults, RandomKind};

/// A local stand-in for the Katapult Core API v1.
#[derive(Debug, Parser)]
#[command(name = "katapult-mock", version, about)]
struct Cli {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to bind (0 picks a free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The API token accepted as `Authorization: Bearer <token>`.
    #[arg(long, default_value = "demo-token")]
    token: String,
    /// Give organization `acme` exactly N generated VMs instead of the demo VMs.
    #[arg(long, value_name = "N")]
    seed_vms: Option<usize>,
    /// Requests per window per token (0 = unlimited).
    #[arg(long, value_name = "N", default_value_t = 0)]
    rate_limit: u64,
    /// The rate limit's window in milliseconds (a minute, as the live API's;
    /// tests shorten it so pacing takes seconds, not minutes).
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    rate_window_ms: u64,
    /// Delay every /core/v1 response by N milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
    /// Time a power task or build takes from creation to completion.
    #[arg(long, value_name = "N", default_value_t = 1500)]
    task_ms: u64,
    /// Largest accepted `per_page`.
    #[arg(long, value_name = "N", default_value_t = 200)]
    max_per_page: u32,
    /// Report lists longer than 1000 as `large_set` (total/total_pages null).
    #[arg(long)]
    large_sets: bool,
    /// Probability (0..1) of a random fault on each /core/v1 request.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    fault_rate: f64,
    /// Comma-separated random fault kinds: 503, html502, truncated, 429, drop.
    #[arg(long, value_name = "KINDS", default_value = "503,html502,truncated")]
    fault_kinds: String,
    /// Seed for random faults.
    #[arg(long, value_name = "S", default_value_t = 1)]
    fault_seed: u64,
    /// Serve static files from DIR at `/` (index.html for `/`).
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
}

fn config_from(cli: &Cli) -> Result<Config, String> {
    if !(0.0..=1.0).contains(&cli.fault_rate) {
        return Err("--fault-rate must be between 0 and 1".into());
    }
    if cli.max_per_page == 0 {
        return Err("--max-per-page must be at least 1".into());
    }
    let random_faults = if cli.fault_rate > 0.0 {
        let kinds = cli
            .fault_kinds
            .split(',')
            .filter(|k| !k.trim().is_empty())
            .map(RandomKind::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if kinds.is_empty() {
            return Err("--fault-kinds is empty".into());
        }
        Some(RandomFaults {
            rate: cli.fault_rate,
            kinds,
            seed: cli.fault_seed,
        })
    } else {
        None
    };
    if let Some(dir) = &cli.static_dir {
        if !dir.is_dir() {
            return Err(format!("--static {} is not a directory", dir.display()));
        }
    }
    Ok(Config {
        token: cli.token.clone(),
        seed_vms: cli.seed_vms,
        rate_limit: (cli.rate_limit > 0).then_some(cli.rate_limit),
        rate_window_ms: cli.rate_window_ms.max(1),
        latency_ms: cli.latency_ms,
        task_ms: cli.task_ms,
        max_per_page: i64::from(cli.max_per_page),
        large_sets: cli.large_sets,
        random_faults,
    })
}

/// Resolves on SIGTERM or SIGINT. The handlers are installed when this is
/// called (before the banner is printed), not when it is first polled.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

/// The exit status when the port is already in use (scripts/demo.sh tells
/// it from other failures, to say how to pick another port).
const PORT_IN_USE: u8 = 3;

/// Why the server stopped other than by a signal: a message, an exit status.
struct Failure(String, ExitCode);

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure(message, ExitCode::FAILURE)
    }
}

async fn run(cli: Cli, config: Config) -> Result<(), Failure> {
    let listener = match tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await {
        Ok(listener) => listener,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            return Err(Failure(
                format!(
                    "cannot listen on {}:{}: port {} is already in use (by another \
                     katapult-mock or another server); --port N picks another, --port 0 any free one",
                    cli.host, cli.port, cli.port
                ),
                ExitCode::from(PORT_IN_USE),
            ))
        }
        Err(e) => return Err(format!("cannot bind {}:{}: {e}", cli.host, cli.port).into()),
    };
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let shutdown = shutdown_signal().map_err(|e| format!("cannot install signal handlers: {e}"))?;
    let app = Arc::new(App::new(config));
    let router = server::router(app, cli.static_dir.clone());
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "katapult-mock listening on http://{addr}");
        let _ = out.flush();
    }
    server::serve(listener, router, shutdown).await;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match config_from(&cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("katapult-mock: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("katapult-mock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli, config));
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, status)) => {
            eprintln!("katapult-mock: {message}");
            status
        }
    }
}
