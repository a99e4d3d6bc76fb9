//! The PostgreSQL store's watch for the read cache: `LISTEN` on a
//! connection of its own.
//!
//! Every statement that writes accounts, scans or reports fires a trigger
//! (migration 2) that notifies [`CHANNEL`]; PostgreSQL delivers the
//! notification when the transaction commits, to every listening replica.
//! A query on the same connection every [`CHECK_EVERY`] confirms it is
//! alive: a notification committed before the query was sent arrives
//! before its answer. When the connection is lost, confirmations stop (the
//! cache steps aside), and after reconnecting everything cached is
//! dropped, since notifications may have been missed meanwhile.

use std::{sync::Arc, time::Instant};

use tokio_postgres::{AsyncMessage, NoTls};

use crate::store::{CHECK_EVERY, ChangeSignal, TRUST_UNCONFIRMED_FOR};

/// The channel the triggers of migration 2 notify.
pub const CHANNEL: &str = "scan_reports_changed";

/// Watches the database at `config` until dropped; see
/// [`crate::store::Store::watch_changes`].
pub async fn watch_changes(config: tokio_postgres::Config, signal: Arc<ChangeSignal>) {
    let mut failing = false;
    loop {
        let lost = listen(&config, &signal, &mut failing).await;
        // Once per failing stretch, not ten times a second.
        if !failing {
            tracing::warn!(error = %lost, "lost the database's change notifications; the read cache steps aside until they are back");
        }
        failing = true;
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

/// Listens on one connection until it fails, and says why.
async fn listen(
    config: &tokio_postgres::Config,
    signal: &Arc<ChangeSignal>,
    failing: &mut bool,
) -> String {
    let (client, mut connection) = match config.connect(NoTls).await {
        Ok(connected) => connected,
        Err(error) => return error.to_string(),
    };
    let notified = signal.clone();
    // The connection's messages: notifications, and the answers the
    // client waits for, which it routes as it polls.
    let _driver = AbortOnDrop(tokio::spawn(async move {
        while let Some(Ok(message)) =
            std::future::poll_fn(|context| connection.poll_message(context)).await
        {
            if let AsyncMessage::Notification(_) = message {
                notified.changed();
            }
        }
    }));
    if let Err(error) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
        return error.to_string();
    }
    // Whatever was committed while no one listened went unnoticed.
    signal.changed();
    *failing = false;
    loop {
        let checked_at = Instant::now();
        match tokio::time::timeout(TRUST_UNCONFIRMED_FOR, client.simple_query("SELECT 1")).await {
            Ok(Ok(_)) => signal.confirmed(checked_at),
            Ok(Err(error)) => return error.to_string(),
            Err(_) => return "the database did not answer within 500 ms".to_owned(),
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

/// Stops the connection's task with the listener that owns it.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
