//! The app on an ephemeral loopback port, for clients that need a socket.

use std::net::SocketAddr;

use tokio::{sync::oneshot, task::JoinHandle};

use crate::TestServer;

/// A [`TestServer`] served on `127.0.0.1`, on a port the system picks,
/// until [`Loopback::stop`] or drop.
#[derive(Debug)]
pub struct Loopback {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    server: TestServer,
}

impl Loopback {
    /// Serves `server`, on the calling tokio runtime.
    pub async fn start(server: TestServer) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(
            axum::serve(listener, server.router().clone())
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .into_future(),
        );
        Ok(Self {
            address,
            stop: Some(stop),
            task: Some(task),
            server,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:port`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn server(&self) -> &TestServer {
        &self.server
    }

    /// Stops accepting, and waits for in-flight requests to finish.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}
