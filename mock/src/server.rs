//! HTTP/1.1 server: our own accept loop (so a scripted `drop` fault can
//! close a connection without sending anything) around one axum `Router`.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::app::App;
use crate::{control, pipeline};

/// The address a request's connection came in on (the origin its answers
/// name when the request has no usable `Host`).
#[derive(Debug, Clone, Copy)]
pub struct LocalAddr(pub std::net::SocketAddr);

/// Closes the connection it was handed to (see the `drop` fault).
#[derive(Debug, Clone, Default)]
pub struct ConnKill(Arc<Notify>);

impl ConnKill {
    /// Close the connection now; nothing more is written to it.
    pub fn fire(&self) {
        self.0.notify_one();
    }

    async fn fired(&self) {
        self.0.notified().await;
    }
}

#[derive(Clone)]
struct Shared {
    app: Arc<App>,
    static_dir: Option<Arc<PathBuf>>,
}

async fn dispatch(State(shared): State<Shared>, req: Request) -> Response {
    let path = req.uri().path();
    if ["/core/v1", "/public/v1"]
        .iter()
        .any(|api| path == *api || path.strip_prefix(api).is_some_and(|r| r.starts_with('/')))
    {
        return pipeline::handle(shared.app, req).await;
    }
    if path == "/_mock" || path.starts_with("/_mock/") {
        return control::handle(shared.app, req).await;
    }
    let mut resp = match shared.static_dir {
        Some(dir) => match ServeDir::new(dir.as_path()).oneshot(req).await {
            Ok(resp) => resp.map(Body::new),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        None => (StatusCode::NOT_FOUND, "Not Found\n").into_response(),
    };
    let request_id = shared.app.ids.next("req");
    pipeline::finish_headers(resp.headers_mut(), &request_id, false);
    resp
}

/// The application router.
pub fn router(app: Arc<App>, static_dir: Option<PathBuf>) -> Router {
    Router::new().fallback(dispatch).with_state(Shared {
        app,
        static_dir: static_dir.map(Arc::new),
    })
}

/// Accept connections until `shutdown` resolves.
pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            a = listener.accept() => a,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or similar: back off briefly.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().ok().map(LocalAddr);
        let router = router.clone();
        tokio::spawn(async move {
            let kill = ConnKill::default();
            let kill_for_requests = kill.clone();
            let service =
                hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(kill_for_requests.clone());
                    if let Some(local) = local {
                        req.extensions_mut().insert(local);
                    }
                    router.clone().oneshot(req.map(Body::new))
                });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = kill.fired() => {}
            }
        });
    }
}
