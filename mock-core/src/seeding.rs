//! Which objects an engine starts with, chosen by name.
//!
//! Users of the in-process mock (`katapult-wasm/testing`) pick a seed with
//! `createMockKatapult({ seed })`; the choice reaches the engine here and
//! nowhere else, so making an engine and restoring it are one call each.
//!
//! `Default` is the fixture ([`crate::fixture`], `seed/default.json`): the
//! demo's organizations (`acme` with its 41 VMs, `globex`, `initech`,
//! `hooli`), their VMs, disks, addresses and SSH keys, and the catalogue,
//! the same objects the mock server answers with. `Empty` is the engine's
//! generated placeholders alone ([`crate::seed`]): the objects no operation
//! creates, which every lookup of the document needs to find something.
//! A fixture of the caller's is [`Engine::with_fixture`].

use crate::engine::{Config, Engine};

/// A named set of starting objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// The default fixture: the demo's organizations, VMs and catalogue.
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
        Engine::with_seed(config, self)
    }

    /// Brings `engine` back to this seed's objects (ids keep counting, so
    /// an id from before answers nothing afterwards).
    pub fn restore(self, engine: &mut Engine) {
        engine.reseed(self);
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
        assert!(!orgs.to_string().contains("acme"), "{orgs}");
        Seed::Empty.restore(&mut engine);
        assert_eq!(organizations(&mut engine), orgs);
    }

    #[test]
    fn restoring_another_seed_switches_to_it() {
        let mut engine = Seed::Empty.engine(Config::default());
        Seed::Default.restore(&mut engine);
        let orgs = organizations(&mut engine);
        assert_eq!(orgs["organizations"][0]["sub_domain"], "acme");
    }
}
