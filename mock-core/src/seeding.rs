//! Which objects an engine starts with, chosen by name.
//!
//! Users of the in-process mock (`katapult-wasm/testing`) pick a seed with
//! `createMockKatapult({ seed })`; the choice reaches the engine here and
//! nowhere else, so the seed data can change (a fixture with the demo's
//! organization and VMs) without the callers changing: making an engine
//! and restoring it are one call each.
//!
//! Today both seeds are the engine's catalogue ([`crate::seed`]): the
//! objects no operation creates, which every lookup of the document needs
//! to find something (organizations, data centers, packages, …). `Default`
//! is what [`Engine::new`] seeds; `Empty` is promised to stay that
//! catalogue alone when `Default` grows a fixture.

use crate::engine::{Config, Engine};

/// A named set of starting objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// What the engine seeds by default.
    #[default]
    Default,
    /// Only the objects the engine needs to answer every operation.
    Empty,
}

impl Seed {
    /// The seed called `name` (`"default"`, `"empty"`).
    pub fn named(name: &str) -> Option<Seed> {
        match name {
            "default" => Some(Seed::Default),
            "empty" => Some(Seed::Empty),
            _ => None,
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Seed::Default => "default",
            Seed::Empty => "empty",
        }
    }

    /// An engine that starts with this seed's objects.
    pub fn engine(self, config: Config) -> Engine {
        match self {
            Seed::Default | Seed::Empty => Engine::new(config),
        }
    }

    /// Brings `engine` back to this seed's objects (ids keep counting, so
    /// an id from before answers nothing afterwards).
    pub fn restore(self, engine: &mut Engine) {
        match self {
            Seed::Default | Seed::Empty => engine.reset(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Request;
    use crate::host::NoHost;

    fn organizations(engine: &mut Engine) -> serde_json::Value {
        let request = Request {
            method: "GET",
            path: "/organizations",
            query: None,
            content_type: None,
            body: b"",
        };
        engine
            .handle(&mut NoHost, &request, 1_000)
            .map(|a| a.json_body())
            .unwrap_or_default()
    }

    #[test]
    fn names_round_trip() {
        for seed in [Seed::Default, Seed::Empty] {
            assert_eq!(Seed::named(seed.name()), Some(seed));
        }
        assert_eq!(Seed::named("acme"), None);
    }

    #[test]
    fn an_empty_engine_still_answers_with_what_lookups_need() {
        let mut engine = Seed::Empty.engine(Config::default());
        let orgs = organizations(&mut engine);
        assert!(orgs["organizations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()));
        Seed::Empty.restore(&mut engine);
        assert_eq!(organizations(&mut engine), orgs);
    }
}
