//! The database schema, as numbered migrations recorded in `user_version`.
//! A migration, once released, is never edited: changes are new entries.

use std::path::Path;

use rusqlite::Connection;

use crate::store::{StoreError, pending_migrations};

/// Entry N brings the schema to version N + 1; their count is the version
/// this server writes and reads.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, scans and reports.
    "CREATE TABLE accounts (
         id INTEGER PRIMARY KEY,
         username TEXT NOT NULL UNIQUE,
         token_hash BLOB NOT NULL,
         created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
     );
     CREATE TABLE scans (
         id INTEGER PRIMARY KEY,
         account_id INTEGER NOT NULL REFERENCES accounts (id),
         item TEXT NOT NULL
     );
     CREATE INDEX scans_by_account ON scans (account_id, id);
     CREATE TABLE reports (
         scan_id INTEGER NOT NULL REFERENCES scans (id),
         report_type TEXT NOT NULL,
         report TEXT NOT NULL,
         PRIMARY KEY (scan_id, report_type)
     );",
    // 2: token lifecycle: rotation and revocation.
    "ALTER TABLE accounts ADD COLUMN token_changed TEXT;
     ALTER TABLE accounts ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;",
];

pub fn apply(connection: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let place = path.display().to_string();
    let migrate_error = |source: rusqlite::Error| StoreError::Migrate {
        place: place.clone(),
        reason: source.to_string(),
    };
    let found: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|source| StoreError::Open {
            place: place.clone(),
            reason: source.to_string(),
        })?;
    for (version, sql) in pending_migrations(MIGRATIONS, found, &place)? {
        let transaction = connection.transaction().map_err(migrate_error)?;
        transaction.execute_batch(sql).map_err(migrate_error)?;
        transaction
            .pragma_update(None, "user_version", version)
            .map_err(migrate_error)?;
        transaction.commit().map_err(migrate_error)?;
    }
    Ok(())
}
