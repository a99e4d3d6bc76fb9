//! The PostgreSQL schema, as numbered migrations recorded in
//! `scan_reports_schema`. A migration, once released, is never edited:
//! changes are new entries. Replicas starting together take turns on an
//! advisory lock, so each migration runs once.

use deadpool_postgres::Object;

use crate::store::{StoreError, pending_migrations};

/// Entry N brings the schema to version N + 1; their count is the version
/// this server writes and reads.
const MIGRATIONS: &[&str] = &[
    // 1: accounts (with the token lifecycle), scans and reports. A report
    // may be written before its scan within an import's transaction, so
    // its reference is checked at commit.
    "CREATE TABLE accounts (
         id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         username TEXT NOT NULL UNIQUE,
         token_hash BYTEA NOT NULL,
         created TIMESTAMPTZ NOT NULL DEFAULT now(),
         token_changed TIMESTAMPTZ,
         revoked BOOLEAN NOT NULL DEFAULT false
     );
     CREATE TABLE scans (
         id BIGINT PRIMARY KEY,
         account_id BIGINT NOT NULL REFERENCES accounts (id),
         item TEXT NOT NULL
     );
     CREATE INDEX scans_by_account ON scans (account_id, id);
     CREATE TABLE reports (
         scan_id BIGINT NOT NULL REFERENCES scans (id) DEFERRABLE INITIALLY DEFERRED,
         report_type TEXT NOT NULL,
         report TEXT NOT NULL,
         PRIMARY KEY (scan_id, report_type)
     );",
    // 2: every statement that writes the data notifies the servers'
    // read caches (`postgres_watch`), delivered at commit. Statement
    // triggers, so an import's batch notifies once, not once per row.
    "CREATE FUNCTION scan_reports_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
         PERFORM pg_notify('scan_reports_changed', '');
         RETURN NULL;
     END
     $$;
     CREATE TRIGGER accounts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts
         FOR EACH STATEMENT EXECUTE FUNCTION scan_reports_notify_change();
     CREATE TRIGGER scans_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON scans
         FOR EACH STATEMENT EXECUTE FUNCTION scan_reports_notify_change();
     CREATE TRIGGER reports_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reports
         FOR EACH STATEMENT EXECUTE FUNCTION scan_reports_notify_change();",
];

/// Any fixed number: the advisory lock replicas take while migrating.
const MIGRATION_LOCK: i64 = 0x5ca1_ab1e;

pub async fn apply(client: &mut Object, place: &str) -> Result<(), StoreError> {
    let migrate_error = |error: tokio_postgres::Error| StoreError::Migrate {
        place: place.to_owned(),
        reason: match std::error::Error::source(&error) {
            Some(source) => format!("{error}: {source}"),
            None => error.to_string(),
        },
    };
    let transaction = client.transaction().await.map_err(migrate_error)?;
    // `CREATE TABLE IF NOT EXISTS` would log a notice on every start.
    transaction
        .batch_execute("SET LOCAL client_min_messages = warning")
        .await
        .map_err(migrate_error)?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(migrate_error)?;
    transaction
        .batch_execute("CREATE TABLE IF NOT EXISTS scan_reports_schema (version BIGINT NOT NULL)")
        .await
        .map_err(migrate_error)?;
    let found: i64 = transaction
        .query_one(
            "SELECT coalesce(max(version), 0) FROM scan_reports_schema",
            &[],
        )
        .await
        .map_err(migrate_error)?
        .get(0);
    for (version, sql) in pending_migrations(MIGRATIONS, found, place)? {
        transaction
            .batch_execute(sql)
            .await
            .map_err(migrate_error)?;
        transaction
            .execute(
                "INSERT INTO scan_reports_schema (version) VALUES ($1)",
                &[&version],
            )
            .await
            .map_err(migrate_error)?;
    }
    transaction.commit().await.map_err(migrate_error)?;
    Ok(())
}
