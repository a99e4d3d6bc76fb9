//! Accepting connections and serving HTTP/1.1 on each, one task per
//! connection, until shutdown; then every connection finishes the request
//! it is on and closes.
//!
//! Hand-written rather than `axum::serve` for one reason: reading a
//! request's body wakes the connection's own task while it runs (hyper
//! hands the body over through a channel). Tokio answers such a wake by
//! sending the task to the back of the queue and waking the other worker to
//! share it, two context switches per request with a body.
//! [`RepolledOnOwnWake`] polls the task again at once instead. Measured
//! against `axum::serve` with `scan-reports-bench`, `axum::serve` took 8 to
//! 20 % more CPU per cached 1-id answer (BENCHMARKS.md, "Hand-written or a
//! crate").

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
    time::Duration,
};

use axum::{body::Body, extract::Request, response::Response};
use hyper::body::Incoming;
use hyper_util::{rt::TokioIo, server::graceful::GracefulShutdown, service::TowerToHyperService};
use tower::{Service, ServiceExt};

/// How long accepting pauses after an error that is not one connection's
/// (out of file descriptors, for instance), so the loop does not spin.
const PAUSE_AFTER_ACCEPT_ERROR: Duration = Duration::from_secs(1);

/// Serves `service` on every connection `listener` accepts, until
/// `shutdown` completes; then stops accepting and waits until every
/// connection has finished its request in flight and closed.
pub async fn serve_connections<S>(
    listener: tokio::net::TcpListener,
    service: S,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) if is_one_connections(&error) => continue,
                Err(error) => {
                    tracing::error!(%error, "cannot accept connections; trying again in a second");
                    tokio::time::sleep(PAUSE_AFTER_ACCEPT_ERROR).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // TCP_NODELAY: a large answer goes out in parts (its shared report,
        // then the closing brace); with Nagle's algorithm the last small
        // part waits for the client's delayed ACK, 40 ms, measured as the
        // p99 of the 10,000-product report before this.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
        }
        let service = service
            .clone()
            .map_request(|request: hyper::Request<Incoming>| request.map(Body::new));
        let connection = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let watched = graceful.watch(connection);
        tokio::spawn(RepolledOnOwnWake::new(async move {
            if let Err(error) = watched.await {
                // A client that goes away mid-request, most often.
                tracing::debug!(%error, "connection ended with an error");
            }
        }));
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Errors of one connection (it was reset before it was accepted): the
/// next accept is unaffected.
fn is_one_connections(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

/// How many times in a row a future that wakes itself while polled is
/// polled again before the wake goes to the runtime. Bounded, so that a
/// future that yields on purpose (hyper does, after 16 requests in one
/// poll) still lets other tasks run.
const REPOLLS: usize = 2;

/// A future polled again at once when it wakes itself while being polled,
/// instead of being queued behind every other task (see the module's
/// documentation). Wakes from elsewhere, or after a poll, go to the
/// runtime as usual.
struct RepolledOnOwnWake<F> {
    inner: Pin<Box<F>>,
    wakes: Arc<WakesDuringPoll>,
    /// Our waker, handed to `inner`: made once, not per poll.
    waker: Waker,
    /// The runtime's waker as last stored in `wakes`.
    outer: Option<Waker>,
}

impl<F: Future> RepolledOnOwnWake<F> {
    fn new(inner: F) -> Self {
        let wakes = Arc::new(WakesDuringPoll {
            state: AtomicU8::new(IDLE),
            outer: Mutex::new(None),
        });
        Self {
            inner: Box::pin(inner),
            waker: Waker::from(wakes.clone()),
            wakes,
            outer: None,
        }
    }
}

/// Not being polled: a wake goes to the runtime.
const IDLE: u8 = 0;
/// Being polled, not woken yet.
const POLLING: u8 = 1;
/// Being polled, and woken since the poll began: it is polled again.
const WOKEN: u8 = 2;

struct WakesDuringPoll {
    state: AtomicU8,
    outer: Mutex<Option<Waker>>,
}

impl WakesDuringPoll {
    fn wake_outer(&self) {
        let outer = self
            .outer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(waker) = outer.as_ref() {
            waker.wake_by_ref();
        }
    }
}

impl Wake for WakesDuringPoll {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // During a poll the wake is only noted: the poller sees it when the
        // poll returns and polls again (or passes it on). Otherwise, or if
        // the poll ended meanwhile, the runtime is woken.
        match self
            .state
            .compare_exchange(POLLING, WOKEN, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) | Err(WOKEN) => {}
            Err(_) => self.wake_outer(),
        }
    }
}

impl<F: Future> Future for RepolledOnOwnWake<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        if !this
            .outer
            .as_ref()
            .is_some_and(|outer| outer.will_wake(context.waker()))
        {
            let outer = context.waker().clone();
            *this
                .wakes
                .outer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(outer.clone());
            this.outer = Some(outer);
        }
        let mut inner_context = Context::from_waker(&this.waker);
        for _ in 0..=REPOLLS {
            this.wakes.state.store(POLLING, Ordering::Release);
            if let Poll::Ready(output) = this.inner.as_mut().poll(&mut inner_context) {
                this.wakes.state.store(IDLE, Ordering::Release);
                return Poll::Ready(output);
            }
            // Not woken during the poll: from now on a wake goes to the
            // runtime, which polls us again.
            if this
                .wakes
                .state
                .compare_exchange(POLLING, IDLE, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                return Poll::Pending;
            }
        }
        // Still waking itself: its turn is over; the runtime polls it again
        // after the other tasks.
        this.wakes.state.store(IDLE, Ordering::Release);
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    /// Counts the wakes it receives.
    #[derive(Default)]
    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Wakes itself on each of its first `times` polls, then is ready.
    struct WakesItself {
        times: usize,
        polls: Arc<AtomicUsize>,
    }

    impl Future for WakesItself {
        type Output = ();

        fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
            let this = self.get_mut();
            let polls = this.polls.fetch_add(1, Ordering::SeqCst) + 1;
            if polls > this.times {
                return Poll::Ready(());
            }
            context.waker().wake_by_ref();
            Poll::Pending
        }
    }

    fn poll_once<F: Future>(
        future: &mut Pin<Box<F>>,
        waker: &Arc<CountingWaker>,
    ) -> Poll<F::Output> {
        let waker = Waker::from(waker.clone());
        future.as_mut().poll(&mut Context::from_waker(&waker))
    }

    #[test]
    fn a_future_that_wakes_itself_once_is_polled_again_at_once() {
        let polls = Arc::new(AtomicUsize::new(0));
        let runtime = Arc::new(CountingWaker::default());
        let mut future = Box::pin(RepolledOnOwnWake::new(WakesItself {
            times: 1,
            polls: polls.clone(),
        }));
        assert!(poll_once(&mut future, &runtime).is_ready());
        assert_eq!(polls.load(Ordering::SeqCst), 2);
        assert_eq!(runtime.0.load(Ordering::SeqCst), 0, "the runtime not woken");
    }

    #[test]
    fn a_future_that_keeps_waking_itself_gives_its_turn_back() {
        let polls = Arc::new(AtomicUsize::new(0));
        let runtime = Arc::new(CountingWaker::default());
        let mut future = Box::pin(RepolledOnOwnWake::new(WakesItself {
            times: 100,
            polls: polls.clone(),
        }));
        assert!(poll_once(&mut future, &runtime).is_pending());
        assert_eq!(polls.load(Ordering::SeqCst), REPOLLS + 1);
        assert_eq!(
            runtime.0.load(Ordering::SeqCst),
            1,
            "the runtime woken once"
        );
    }

    #[test]
    fn a_wake_after_the_poll_reaches_the_runtime() {
        let (sender, receiver) = tokio::sync::oneshot::channel::<u8>();
        let runtime = Arc::new(CountingWaker::default());
        let mut future = Box::pin(RepolledOnOwnWake::new(receiver));
        assert!(poll_once(&mut future, &runtime).is_pending());
        sender.send(7).expect("the receiver waits");
        assert_eq!(runtime.0.load(Ordering::SeqCst), 1);
        let Poll::Ready(Ok(value)) = poll_once(&mut future, &runtime) else {
            panic!("ready once sent");
        };
        assert_eq!(value, 7);
    }
}
