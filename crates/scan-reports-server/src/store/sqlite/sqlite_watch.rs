//! The SQLite store's watch for the read cache: `PRAGMA data_version` on a
//! connection of its own. The connection never writes, so the number moves
//! on with every commit of any other connection, in this process or
//! another (`import`, `accounts`), and costs no disk read to ask.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
};

use rusqlite::{Connection, OpenFlags};

use crate::store::{CHECK_EVERY, ChangeSignal};

/// Watches the database file at `path` until dropped; see
/// [`crate::store::Store::watch_changes`].
pub async fn watch_changes(path: PathBuf, signal: Arc<ChangeSignal>) {
    let mut watched: Option<(Arc<Mutex<Connection>>, i64)> = None;
    let mut failing = false;
    loop {
        let checked_at = std::time::Instant::now();
        let connection = match &watched {
            Some((connection, _)) => Ok(connection.clone()),
            None => Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map(|connection| Arc::new(Mutex::new(connection))),
        };
        let version = match connection {
            Ok(connection) => {
                let reading = connection.clone();
                tokio::task::spawn_blocking(move || {
                    let reading = reading
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    reading.query_row("PRAGMA data_version", [], |row| row.get::<_, i64>(0))
                })
                .await
                .map_err(|error| error.to_string())
                .and_then(|read| read.map_err(|error| error.to_string()))
                .map(|version| (connection, version))
            }
            Err(error) => Err(error.to_string()),
        };
        match version {
            Ok((connection, version)) => {
                // The first reading has nothing to compare with: whatever
                // was cached before it may be stale.
                if watched.as_ref().is_none_or(|(_, seen)| *seen != version) {
                    signal.changed();
                }
                signal.confirmed(checked_at);
                watched = Some((connection, version));
                failing = false;
            }
            Err(error) => {
                // Once per failing stretch, not ten times a second.
                if !failing {
                    tracing::warn!(%error, "cannot watch the database for changes; the read cache steps aside until it can");
                }
                failing = true;
                watched = None;
            }
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}
