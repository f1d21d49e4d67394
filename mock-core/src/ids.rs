//! Deterministic identifiers and a tiny seeded pseudo-random generator.
//!
//! Seeded objects get ids derived from a stable label (e.g. `vm:acme:web-1`),
//! so they are identical on every start and after `POST /_mock/reset`.
//! Objects created at run time (tasks, builds, trash objects, request ids)
//! get ids from a process-wide counter passed through a bijective mixer, so
//! they never repeat within one process.

use std::sync::atomic::{AtomicU64, Ordering};

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// SplitMix64 finaliser: a bijection on `u64` with good avalanche behaviour.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a string (stable across Rust versions, unlike `DefaultHasher`).
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Sixteen base-62 characters that encode `n` exactly (so distinct inputs
/// give distinct outputs).
pub fn encode16(n: u64) -> String {
    // 62^11 > 2^64, so the low 11 characters hold `n` losslessly; the first
    // five are derived from a second mix so the id does not start with zeros.
    let mut out = [0u8; 16];
    let mut x = n;
    for slot in out.iter_mut().rev().take(11) {
        *slot = ALPHABET[(x % 62) as usize];
        x /= 62;
    }
    let mut y = mix64(n ^ 0x5DEE_CE66_D1CE_F00D);
    for slot in out.iter_mut().take(5) {
        *slot = ALPHABET[(y % 62) as usize];
        y /= 62;
    }
    out.iter().map(|b| char::from(*b)).collect()
}

/// A stable id such as `vm_Ab3…` derived from `label`.
pub fn stable_id(prefix: &str, label: &str) -> String {
    format!("{prefix}_{}", encode16(mix64(hash_str(label))))
}

/// Generator of unique run-time ids (`task_…`, `req_…`).
#[derive(Debug)]
pub struct IdGen {
    counter: AtomicU64,
    salt: u64,
}

impl IdGen {
    /// A generator whose sequence is fixed by `salt`.
    pub fn new(salt: u64) -> Self {
        Self {
            counter: AtomicU64::new(1),
            salt,
        }
    }

    /// The next unique id with the given prefix.
    pub fn next(&self, prefix: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}_{}", encode16(mix64(n ^ self.salt)))
    }
}

/// A small seeded PRNG (SplitMix64 stream). Deterministic across platforms.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// A uniform integer in `0..n` (`n` must be non-zero; 0 yields 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A random alphanumeric string of `len` characters.
    pub fn alnum(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(62) as usize]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_are_stable_and_distinct() {
        assert_eq!(stable_id("vm", "a"), stable_id("vm", "a"));
        assert_ne!(stable_id("vm", "a"), stable_id("vm", "b"));
        assert_eq!(stable_id("vm", "a").len(), 3 + 16);
    }

    #[test]
    fn idgen_is_unique() {
        let g = IdGen::new(7);
        let a: std::collections::HashSet<String> = (0..10_000).map(|_| g.next("x")).collect();
        assert_eq!(a.len(), 10_000);
    }
}
