//! `POST /virtual_machines/virtual_machine/{start,stop,shutdown,reset}`.

use crate::generated::schema as shapes;
use crate::lookup::{self, VirtualMachineLookup};
use crate::request::{Call, HttpRequest, Method};
use crate::schema::TyRef;
use serde_json::json;

/// A power action; each queues a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerAction {
    /// Boot a stopped VM.
    Start,
    /// Cut power at once.
    Stop,
    /// Ask the guest OS to shut down (ACPI).
    Shutdown,
    /// Hard reset.
    Reset,
}

impl PowerAction {
    fn path(self) -> &'static str {
        match self {
            PowerAction::Start => "/virtual_machines/virtual_machine/start",
            PowerAction::Stop => "/virtual_machines/virtual_machine/stop",
            PowerAction::Shutdown => "/virtual_machines/virtual_machine/shutdown",
            PowerAction::Reset => "/virtual_machines/virtual_machine/reset",
        }
    }

    fn shape(self) -> TyRef {
        match self {
            PowerAction::Start => shapes::POST_VIRTUAL_MACHINE_START,
            PowerAction::Stop => shapes::POST_VIRTUAL_MACHINE_STOP,
            PowerAction::Shutdown => shapes::POST_VIRTUAL_MACHINE_SHUTDOWN,
            PowerAction::Reset => shapes::POST_VIRTUAL_MACHINE_RESET,
        }
    }
}

/// `POST …/virtual_machine/<action>` with `{"virtual_machine":{…}}`.
pub fn power(action: PowerAction, vm: &VirtualMachineLookup) -> Call {
    let body = json!({ "virtual_machine": lookup::to_json(vm.pair()) });
    Call::new(
        HttpRequest::with_body(Method::Post, action.path(), &body),
        action.shape(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_posts_the_lookup() {
        for (action, path) in [
            (
                PowerAction::Start,
                "/virtual_machines/virtual_machine/start",
            ),
            (PowerAction::Stop, "/virtual_machines/virtual_machine/stop"),
            (
                PowerAction::Shutdown,
                "/virtual_machines/virtual_machine/shutdown",
            ),
            (
                PowerAction::Reset,
                "/virtual_machines/virtual_machine/reset",
            ),
        ] {
            let c = power(action, &VirtualMachineLookup::Fqdn("a.b".into()));
            assert_eq!(c.request.method, Method::Post);
            assert_eq!(c.request.path, path);
            assert_eq!(
                c.request.body.as_deref(),
                Some(r#"{"virtual_machine":{"fqdn":"a.b"}}"#)
            );
        }
    }

    #[test]
    fn decodes_the_task_and_maps_406s() {
        let c = power(
            PowerAction::Shutdown,
            &VirtualMachineLookup::Id("vm_1".into()),
        );
        let r = c
            .decode(
                200,
                br#"{"task":{"id":"task_1","name":"Shutdown virtual machine","status":"pending"}}"#,
                None,
            )
            .unwrap();
        assert_eq!(r["task"]["status"], "pending");
        for code in ["task_queueing_error", "object_in_trash"] {
            let body =
                format!(r#"{{"error":{{"code":"{code}","description":"d","detail":{{}}}}}}"#);
            assert_eq!(c.decode(406, body.as_bytes(), None).unwrap_err().code, code);
        }
    }
}
