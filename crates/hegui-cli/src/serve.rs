//! `hegui serve`: the scanner as an HTTP service (axum + tokio).
//!
//! * `POST /v1/scan` — `{"text": …}` → `{"verdict", "findings", "packs"}`;
//!   `{"messages": [{"id", "text", …}]}` → `{"results": [one record per message, in
//!   order], "packs"}` (records as in `hegui scan --jsonl`).
//! * `GET /v1/packs`, `GET /healthz`.
//! * `POST /v1/reload` and SIGHUP reload the packs atomically: requests in flight
//!   finish on the scanner they started with; a broken pack is rejected with its error
//!   and the old scanner keeps serving.
//!
//! Limits (body size, text length, batch size, request time) answer with a 4xx JSON
//! error `{"error": {"code", "message"}}`. SIGINT/SIGTERM shut down gracefully.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clap::Args;
use hegui_core::Scanner;
use serde_json::{json, Map, Value};

use crate::{batch, packs, Outcome};

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    packs: packs::PackArgs,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 20)]
    max_body: usize,
    /// Longest text of one message, in characters.
    #[arg(long, value_name = "CHARS", default_value_t = 100_000)]
    max_text: usize,
    /// Most messages in one `{"messages": […]}` request.
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    max_batch: usize,
    /// Longest time a scan request may take, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    timeout_ms: u64,
}

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_text: usize,
    max_batch: usize,
    timeout: Duration,
}

/// Shared state: the current scanner (swapped on reload) and how to load a new one.
struct AppState {
    scanner: RwLock<Arc<Scanner>>,
    packs: packs::PackArgs,
    limits: Limits,
    /// Serialises reloads so that two reloads never interleave.
    reloading: tokio::sync::Mutex<()>,
}

impl AppState {
    fn current(&self) -> Arc<Scanner> {
        match self.scanner.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Builds a scanner from the pack paths and swaps it in; the old one stays on error.
    async fn reload(self: &Arc<Self>) -> Result<Arc<Scanner>, String> {
        let _one_at_a_time = self.reloading.lock().await;
        let state = Arc::clone(self);
        let built = tokio::task::spawn_blocking(move || state.packs.scanner())
            .await
            .map_err(|e| format!("reload task failed: {e}"))?
            .map_err(|e| format!("{e:#}"))?;
        let built = Arc::new(built);
        match self.scanner.write() {
            Ok(mut guard) => *guard = Arc::clone(&built),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&built),
        }
        Ok(built)
    }
}

/// A JSON error response.
struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

pub(crate) fn run(args: &ServeArgs) -> Result<Outcome> {
    let scanner = args.packs.scanner()?;
    let state = Arc::new(AppState {
        scanner: RwLock::new(Arc::new(scanner)),
        packs: packs::PackArgs {
            paths: args.packs.paths.clone(),
            filed_domains: args.packs.filed_domains.clone(),
        },
        limits: Limits {
            max_text: args.max_text,
            max_batch: args.max_batch,
            timeout: Duration::from_millis(args.timeout_ms),
        },
        reloading: tokio::sync::Mutex::new(()),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(args.addr, args.max_body, state))?;
    Ok(Outcome::Clean)
}

fn router(state: Arc<AppState>, max_body: usize) -> Router {
    Router::new()
        .route("/v1/scan", post(scan))
        .route("/v1/plan", post(plan))
        .route("/v1/packs", get(packs_info))
        .route("/v1/reload", post(reload))
        .route("/healthz", get(healthz))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

async fn serve(addr: SocketAddr, max_body: usize, state: Arc<AppState>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    eprintln!("hegui: listening on http://{local}");
    tokio::spawn(reload_on_sighup(Arc::clone(&state)));
    axum::serve(listener, router(state, max_body))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")?;
    eprintln!("hegui: shut down");
    Ok(())
}

#[cfg(unix)]
async fn reload_on_sighup(state: Arc<AppState>) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        eprintln!("hegui: cannot listen for SIGHUP; use POST /v1/reload");
        return;
    };
    while hangups.recv().await.is_some() {
        match state.reload().await {
            Ok(scanner) => eprintln!(
                "hegui: SIGHUP: reloaded {} packs, {} rules",
                scanner.packs().len(),
                scanner.rules().len()
            ),
            Err(e) => eprintln!("hegui: SIGHUP: reload rejected, old packs keep serving: {e}"),
        }
    }
}

#[cfg(not(unix))]
async fn reload_on_sighup(_state: Arc<AppState>) {}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("hegui: shutting down, finishing requests in flight");
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

fn packs_json(scanner: &Scanner) -> Value {
    let packs: Vec<Value> = scanner
        .packs()
        .iter()
        .map(|p| {
            json!({
                "id": &*p.id,
                "version": &*p.version,
                "title": p.title,
                "rules": p.rules,
            })
        })
        .collect();
    json!({"packs": packs, "rules": scanner.rules().len()})
}

async fn packs_info(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(packs_json(&state.current()))
}

async fn reload(State(state): State<Arc<AppState>>) -> Response {
    match state.reload().await {
        Ok(scanner) => {
            let mut body = packs_json(&scanner);
            if let Some(object) = body.as_object_mut() {
                object.insert("reloaded".to_owned(), json!(true));
            }
            Json(body).into_response()
        }
        Err(message) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_packs",
            format!("reload rejected, the previous packs keep serving: {message}"),
        )
        .into_response(),
    }
}

/// `POST /v1/plan`: a send plan (as JSON, plus optional `"advice": true`) →
/// `{"verdict", "platform", "findings", "proposal"}`.
async fn plan(State(state): State<Arc<AppState>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            return ApiError::new(rejection.status(), "body_too_large", rejection.body_text())
                .into_response()
        }
    };
    let bad = |message: String| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message);
    let mut value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => return bad(format!("body is not valid JSON: {e}")).into_response(),
    };
    let advice = value
        .as_object_mut()
        .and_then(|o| o.remove("advice"))
        .and_then(|a| a.as_bool())
        .unwrap_or(false);
    let plan: hegui_plan::Plan = match serde_json::from_value(value) {
        Ok(plan) => plan,
        Err(e) => return bad(format!("not a send plan: {e}")).into_response(),
    };
    let scanner = state.current();
    let limits = state.limits;
    let work = tokio::task::spawn_blocking(move || {
        crate::plan::check(&scanner, &hegui_plan::default_platforms(), &plan, advice)
    });
    match tokio::time::timeout(limits.timeout, work).await {
        Ok(Ok(Ok(value))) => Json(value).into_response(),
        Ok(Ok(Err(e))) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_plan",
            format!("{e:#}"),
        )
        .into_response(),
        Ok(Err(e)) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            .into_response(),
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            "the plan check took too long",
        )
        .into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see POST /v1/scan, POST /v1/plan, GET /v1/packs, POST /v1/reload, GET /healthz",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed for this endpoint",
    )
}

/// What a scan request asks for, checked against the limits.
enum ScanRequest {
    One(Map<String, Value>),
    Batch(Vec<Value>),
}

fn parse_request(body: &[u8], limits: Limits) -> Result<ScanRequest, ApiError> {
    let bad = |message: String| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message);
    let value: Value =
        serde_json::from_slice(body).map_err(|e| bad(format!("body is not valid JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err(bad(
            "body must be a JSON object: {\"text\": …} or {\"messages\": […]}".into(),
        ));
    };
    let too_long = |chars: usize, which: &str| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "text_too_long",
            format!(
                "{which} has {chars} characters; the limit is {}",
                limits.max_text
            ),
        )
    };
    if let Some(messages) = object.remove("messages") {
        let Value::Array(messages) = messages else {
            return Err(bad("`messages` must be an array".into()));
        };
        if messages.len() > limits.max_batch {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "batch_too_large",
                format!(
                    "{} messages; the limit is {} per request",
                    messages.len(),
                    limits.max_batch
                ),
            ));
        }
        for (i, message) in messages.iter().enumerate() {
            for field in ["text", "title", "digest", "html", "url", "path"] {
                if let Some(text) = message.get(field).and_then(Value::as_str) {
                    let chars = text.chars().count();
                    if chars > limits.max_text {
                        return Err(too_long(chars, &format!("messages[{i}].{field}")));
                    }
                }
            }
        }
        return Ok(ScanRequest::Batch(messages));
    }
    let content = ["text", "title", "digest", "html", "url", "path"];
    if !content.iter().any(|k| object.contains_key(*k)) {
        return Err(bad(
            "give {\"text\": \"…\"} (or title/digest/html/url/path) or {\"messages\": [{\"id\": …, \"text\": \"…\"}]}".into(),
        ));
    }
    for field in content {
        match object.get(field) {
            Some(Value::String(text)) => {
                let chars = text.chars().count();
                if chars > limits.max_text {
                    return Err(too_long(chars, field));
                }
            }
            Some(_) => return Err(bad(format!("`{field}` must be a string"))),
            None => {}
        }
    }
    Ok(ScanRequest::One(object))
}

/// The response body, or the error record of a single message that cannot be scanned.
fn scan_request(scanner: &Scanner, request: ScanRequest) -> Result<Value, Value> {
    let packs = scanner
        .packs()
        .iter()
        .map(|p| json!({"id": &*p.id, "version": &*p.version}))
        .collect::<Vec<_>>();
    match request {
        ScanRequest::One(object) => {
            let mut value = match batch::message_record(scanner, object, None, "body", None) {
                Ok((record, _)) => record,
                Err(error) => return Err(error),
            };
            if let Some(object) = value.as_object_mut() {
                object.insert("packs".to_owned(), json!(packs));
            }
            Ok(value)
        }
        ScanRequest::Batch(messages) => {
            let results: Vec<Value> = messages
                .into_iter()
                .enumerate()
                .map(|(i, message)| {
                    let fallback = ("index", json!(i));
                    let place = format!("messages[{i}]");
                    match message {
                        Value::Object(object) => {
                            match batch::message_record(
                                scanner,
                                object,
                                Some(fallback),
                                &place,
                                None,
                            ) {
                                Ok((record, _)) => record,
                                Err(error) => error,
                            }
                        }
                        _ => batch::error_record(fallback, format!("{place}: expected an object")),
                    }
                })
                .collect();
            Ok(json!({"results": results, "packs": packs}))
        }
    }
}

async fn scan(State(state): State<Arc<AppState>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "body_too_large"
            } else {
                "bad_request"
            };
            return ApiError::new(status, code, rejection.body_text()).into_response();
        }
    };
    let limits = state.limits;
    let request = match parse_request(&body, limits) {
        Ok(request) => request,
        Err(e) => return e.into_response(),
    };
    // The scanner this request started with; a reload does not affect it.
    let scanner = state.current();
    let work = tokio::task::spawn_blocking(move || scan_request(&scanner, request));
    match tokio::time::timeout(limits.timeout, work).await {
        Ok(Ok(Ok(value))) => Json(value).into_response(),
        Ok(Ok(Err(error))) => {
            let message = error["error"].as_str().unwrap_or("cannot scan").to_owned();
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_message", message)
                .into_response()
        }
        Ok(Err(e)) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("scan failed: {e}"),
        )
        .into_response(),
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the scan took longer than {} ms; send fewer or shorter messages",
                limits.timeout.as_millis()
            ),
        )
        .into_response(),
    }
}

/// Paths the OpenAPI document must describe (checked by a test).
#[cfg(test)]
pub(crate) const ROUTES: &[&str] = &[
    "/v1/scan",
    "/v1/plan",
    "/v1/packs",
    "/v1/reload",
    "/healthz",
];

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_text: 10,
        max_batch: 2,
        timeout: Duration::from_secs(1),
    };

    #[test]
    fn requests_are_checked_against_the_limits() {
        let status = |body: &str| match parse_request(body.as_bytes(), LIMITS) {
            Ok(_) => StatusCode::OK,
            Err(e) => e.status,
        };
        assert_eq!(status(r#"{"text": "转发领红包"}"#), StatusCode::OK);
        assert_eq!(
            status(r#"{"text": "一二三四五六七八九十十一"}"#),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            status(r#"{"messages": [{"text": "a"}, {"text": "b"}]}"#),
            StatusCode::OK
        );
        assert_eq!(
            status(r#"{"messages": [{"text": "a"}, {"text": "b"}, {"text": "c"}]}"#),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        for bad in [
            "",
            "[1]",
            r#"{"text": 3}"#,
            r#"{"messages": 1}"#,
            r#"{"id": 1}"#,
        ] {
            assert_eq!(status(bad), StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn batches_answer_every_message_in_order() {
        let scanner = Scanner::with_default_packs();
        let request = parse_request(
            r#"{"messages": [{"id": "a", "text": "转发领红包"}, 7, {"id": "c", "channel": "sms", "text": "你好"}, {"id": "d"}]}"#.as_bytes(),
            Limits { max_batch: 10, ..LIMITS },
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        let value = scan_request(&scanner, request).expect("a batch always answers");
        let results = value["results"].as_array().expect("results");
        assert_eq!(results.len(), 4);
        assert_eq!(results[0]["id"], "a");
        assert_eq!(results[0]["verdict"], "block");
        assert_eq!(results[1]["index"], 1);
        assert!(results[1]["error"].is_string());
        assert_eq!(results[2]["channel"], "sms");
        assert_eq!(results[2]["verdict"], "pass");
        assert_eq!(results[3]["id"], "d");
        assert!(results[3]["error"].is_string());
    }

    #[test]
    fn the_openapi_document_describes_every_route() {
        let doc = include_str!("../../../docs/openapi.yaml");
        for route in ROUTES {
            assert!(
                doc.contains(&format!("  {route}:")),
                "{route} missing from docs/openapi.yaml"
            );
        }
    }
}
