//! The backend suite's accounts: hashed tokens, credentials, rotation,
//! revocation, listing, and bad account data refused.

use super::*;

pub(super) async fn tokens_are_stored_hashed(store: &dyn Store) -> Outcome {
    let (_, token) = account(store, "alice").await?;
    let stored = store
        .stored_token_hash("alice")
        .await
        .map_err(text)?
        .ok_or("nothing stored for alice's token")?;
    ensure!(!stored.is_empty(), "an empty hash is stored");
    let token_bytes = token.as_bytes();
    ensure!(
        !stored
            .windows(token_bytes.len().min(stored.len()))
            .any(|window| token_bytes.starts_with(window) && window.len() >= 16),
        "the token itself is stored"
    );
    let hex: String = stored.iter().map(|byte| format!("{byte:02x}")).collect();
    ensure!(!hex.contains(&token), "the token itself is stored");
    Ok(())
}

pub(super) async fn credentials_are_checked(store: &dyn Store) -> Outcome {
    let (alice, alice_token) = account(store, "alice").await?;
    let (_, bob_token) = account(store, "bob").await?;
    let check = |username: &'static str, token: String| async move {
        store.authenticate(username, &token).await.map_err(text)
    };
    ensure!(
        check("alice", alice_token.clone()).await? == Some(alice.clone()),
        "alice's token is refused"
    );
    for (username, token) in [
        ("alice", bob_token.clone()),
        ("alice", String::new()),
        ("alice", alice_token[..32].to_owned()),
        ("nobody", alice_token.clone()),
        ("bob", alice_token.clone()),
    ] {
        ensure!(
            check(username, token).await?.is_none(),
            "a wrong credential for {username} was accepted"
        );
    }
    Ok(())
}

/// Whether `token` of `username` is refused within a second.
async fn refused_within_a_second(store: &dyn Store, username: &str, token: &str) -> Outcome {
    let start = Instant::now();
    loop {
        if store
            .authenticate(username, token)
            .await
            .map_err(text)?
            .is_none()
        {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(1) {
            return Err(format!(
                "{username}'s old token still works after {:?}",
                start.elapsed()
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub(super) async fn a_rotated_token_stops_working(store: &dyn Store) -> Outcome {
    let (alice, old) = account(store, "alice").await?;
    let new = rotate_token(store, "alice").await.map_err(text)?;
    ensure!(new != old, "rotation kept the token");
    refused_within_a_second(store, "alice", &old).await?;
    ensure!(
        store.authenticate("alice", &new).await.map_err(text)? == Some(alice),
        "the new token is refused"
    );
    Ok(())
}

pub(super) async fn a_revoked_token_stops_working_until_a_rotation(store: &dyn Store) -> Outcome {
    let (alice, token) = account(store, "alice").await?;
    import(store, "alice", json!({"scans": [scan(61)]})).await?;
    store.revoke("alice").await.map_err(text)?;
    refused_within_a_second(store, "alice", &token).await?;
    ensure!(
        store
            .stored_token_hash("alice")
            .await
            .map_err(text)?
            .is_none(),
        "a revoked account still has a token"
    );
    let listed = store.accounts().await.map_err(text)?;
    ensure!(
        listed.iter().any(|a| a.username == "alice" && a.revoked),
        "the list does not show the revocation: {listed:?}"
    );
    let new = rotate_token(store, "alice").await.map_err(text)?;
    ensure!(
        store.authenticate("alice", &new).await.map_err(text)? == Some(alice.clone()),
        "the token after revocation is refused"
    );
    ensure_still_sees(store, &alice, &[61], "revocation lost the account's scans").await?;
    Ok(())
}

pub(super) async fn accounts_are_listed_without_tokens(store: &dyn Store) -> Outcome {
    let (_, bob_token) = account(store, "bob").await?;
    let (_, alice_token) = account(store, "alice").await?;
    let listed = store.accounts().await.map_err(text)?;
    let names: Vec<&str> = listed.iter().map(|a| a.username.as_str()).collect();
    ensure!(names == ["alice", "bob"], "listed {names:?}");
    ensure!(
        listed
            .iter()
            .all(|a| a.created.len() == 19 && a.token_changed.is_none() && !a.revoked),
        "{listed:?}"
    );
    let shown = format!("{listed:?}");
    ensure!(
        !shown.contains(&alice_token) && !shown.contains(&bob_token),
        "a token is listed"
    );
    Ok(())
}

pub(super) async fn bad_account_data_is_refused(store: &dyn Store) -> Outcome {
    account(store, "alice").await?;
    ensure!(
        store.has_account("alice").await.map_err(text)?,
        "alice is not found"
    );
    ensure!(
        !store.has_account("nobody").await.map_err(text)?,
        "an unknown account is found"
    );
    let long = "x".repeat(65);
    for name in ["", "has space", "tab\t", "é", long.as_str()] {
        let refused = store.add_account(name, "some-token").await;
        ensure!(
            matches!(refused, Err(StoreError::InvalidUsername(_))),
            "the name {name:?} was accepted: {refused:?}"
        );
    }
    ensure!(
        matches!(
            create_account(store, "alice").await,
            Err(StoreError::AccountExists(_))
        ),
        "a second alice was created"
    );
    ensure!(
        matches!(
            rotate_token(store, "nobody").await,
            Err(StoreError::UnknownAccount(_))
        ),
        "an unknown account was rotated"
    );
    ensure!(
        matches!(
            store.revoke("nobody").await,
            Err(StoreError::UnknownAccount(_))
        ),
        "an unknown account was revoked"
    );
    Ok(())
}
