//! Shared server state: configuration, the model, counters, faults.

use std::sync::{Mutex, MutexGuard};

use katapult_mock_core::{Engine, Public};

use crate::auth::RateLimiter;
use crate::faults::{Faults, RandomFaults};
use crate::ids::IdGen;
use crate::stats::Stats;

/// Runtime configuration (from the command line).
#[derive(Debug, Clone)]
pub struct Config {
    /// The accepted API token.
    pub token: String,
    /// Generated VM count for acme (`None` = demo VMs).
    pub seed_vms: Option<usize>,
    /// Requests per minute per token (`None` = unlimited).
    pub rate_limit: Option<u64>,
    /// The rate limit's window (ms): the bucket refills `rate_limit` per window.
    pub rate_window_ms: u64,
    /// Extra delay for every /core/v1 response.
    pub latency_ms: u64,
    /// Duration of tasks and builds.
    pub task_ms: u64,
    /// Maximum `per_page`.
    pub max_per_page: i64,
    /// Report lists over 1000 as `large_set`.
    pub large_sets: bool,
    /// Random faults.
    pub random_faults: Option<RandomFaults>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            token: "demo-token".into(),
            seed_vms: None,
            rate_limit: None,
            rate_window_ms: 60_000,
            latency_ms: 0,
            task_ms: 1500,
            max_per_page: 200,
            large_sets: false,
            random_faults: None,
        }
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct App {
    /// Configuration.
    pub config: Config,
    stats: Mutex<Stats>,
    faults: Mutex<Faults>,
    limiter: Mutex<RateLimiter>,
    /// Answers every operation the hand-written routes do not.
    engine: Mutex<Engine>,
    /// The Public API (`/public/v1`).
    public: Mutex<Public>,
    /// Run-time ids (tasks, builds, trash objects, requests).
    pub ids: IdGen,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl App {
    /// A server with freshly seeded state.
    pub fn new(config: Config) -> Self {
        let faults = Faults::new(config.random_faults.clone());
        let engine = Engine::new(katapult_mock_core::Config {
            task_ms: config.task_ms,
            max_per_page: config.max_per_page,
            large_sets: config.large_sets,
        });
        // `--seed-vms N`: acme's VMs are N generated ones.
        let engine = match config.seed_vms {
            Some(n) => engine.with_generated_vms(n),
            None => engine,
        };
        Self {
            config,
            stats: Mutex::new(Stats::default()),
            faults: Mutex::new(faults),
            limiter: Mutex::new(RateLimiter::default()),
            engine: Mutex::new(engine),
            public: Mutex::new(Public::new()),
            ids: IdGen::new(0x4B41_5441_5055_4C54), // "KATAPULT"
        }
    }

    /// Counters and log.
    pub fn stats(&self) -> MutexGuard<'_, Stats> {
        lock(&self.stats)
    }

    /// Fault queue.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    /// The engine: every object, every operation.
    pub fn engine(&self) -> MutexGuard<'_, Engine> {
        lock(&self.engine)
    }

    /// The Public API.
    pub fn public(&self) -> MutexGuard<'_, Public> {
        lock(&self.public)
    }

    /// Rate limiter.
    pub fn limiter(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.limiter)
    }

    /// Restore the seeded world, clear faults, counters, log and rate windows.
    pub fn reset(&self) {
        self.engine().reset();
        self.public().reset();
        self.faults().reset();
        self.stats().reset();
        self.limiter().clear();
    }
}
