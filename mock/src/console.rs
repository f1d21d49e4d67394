//! The mock's own console page, `GET /_mock/console/<session id>`: where a
//! console session's `url` points (the real API's points to Katapult's
//! console, which the mock has nothing to stand behind). A small HTML page,
//! with nothing loaded from elsewhere, that says whose console it stands in
//! for; every name on it is escaped text.

use crate::app::App;
use crate::pipeline::now_ms;
use crate::pipeline::Out;

/// Text made safe to put into HTML, between tags or in a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2330}\
main{max-width:42rem;margin:2.5rem auto;padding:0 1rem}\
h1{font-size:1.4rem;overflow-wrap:anywhere}\
.screen{background:#111;color:#b8f5b8;font:15px/1.4 ui-monospace,monospace;padding:1rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}\
dt{font-weight:600}dd{margin:0 0 .5rem;overflow-wrap:anywhere}";

/// A whole page: `title` (text) and `body` (HTML already escaped).
fn html(status: u16, title: &str, body: &str) -> Out {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · katapult-mock</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        escape(title)
    );
    Out {
        status,
        body: page.into_bytes(),
        content_type: "text/html; charset=utf-8".into(),
        headers: vec![
            (
                "content-security-policy".into(),
                "default-src 'none'; style-src 'unsafe-inline'".into(),
            ),
            ("cache-control".into(), "no-store".into()),
            ("x-content-type-options".into(), "nosniff".into()),
        ],
        json_error: false,
    }
}

/// The page of console session `id`: 200 naming its VM, 410 once it has
/// expired, 404 for a session the mock does not know (or whose VM is gone).
pub fn page(app: &App, id: &str) -> Out {
    let now = now_ms();
    let mut engine = app.engine();
    let Some(session) = engine.object("console_session", "id", id, now) else {
        return html(
            404,
            "No console session",
            &format!(
                "<h1>No console session</h1>\n<p>There is no console session <code>{}</code> \
                 here (the mock forgets its sessions when it restarts or is reset). \
                 Open the console again from the control panel.</p>",
                escape(id)
            ),
        );
    };
    let vm_id = session["virtual_machine"]["id"]
        .as_str()
        .unwrap_or_default();
    let Some(vm) = engine.object("virtual_machine", "id", vm_id, now) else {
        return html(
            404,
            "No such VM",
            "<h1>No such VM</h1>\n<p>The VM of this console session no longer exists.</p>",
        );
    };
    let text = |key: &str| vm[key].as_str().unwrap_or_default().to_owned();
    let name = escape(&text("name"));
    let expires_at = session["expires_at"].as_i64().unwrap_or(i64::MAX);
    if i64::try_from(now / 1000).unwrap_or(i64::MAX) > expires_at {
        return html(
            410,
            &format!("Console of {} (expired)", text("name")),
            &format!(
                "<h1>Console of {name}: this session has expired</h1>\n<p>A console \
                 session's address works for a few minutes. Open the console again from \
                 the control panel.</p>"
            ),
        );
    }
    let fqdn = escape(&text("fqdn"));
    let body = format!(
        "<h1>Console of {name}</h1>\n\
         <p>This is katapult-mock's console page: it stands in for the screen and \
         keyboard of the VM that Katapult's console would show here. The mock runs no \
         VM, so there is nothing to type into.</p>\n\
         <div class=\"screen\" role=\"img\" aria-label=\"A stand-in for the VM's screen\">\
         {fqdn} login: _</div>\n\
         <dl>\n<dt>VM</dt><dd>{name} (<code>{}</code>)</dd>\n\
         <dt>Address</dt><dd>{fqdn}</dd>\n\
         <dt>State</dt><dd>{}</dd>\n\
         <dt>Session</dt><dd><code>{}</code>, its address works for a few minutes</dd>\n</dl>",
        escape(&text("id")),
        escape(&text("state").replace('_', " ")),
        escape(id),
    );
    html(200, &format!("Console of {}", text("name")), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
    }
}
