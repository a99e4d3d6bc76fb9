//! Where the API is and who calls it: flags or environment variables.

use scan_reports_client::{Credentials, ScanReportsClient};

use crate::exit::Failure;

// `global`: the settings may follow the subcommand too. The heading stays
// set for arguments the parent adds after flattening this (`Cli` adds
// none). Value names other than `NAME` are clap's default: the field's
// name in capitals.
#[derive(clap::Args)]
#[command(next_help_heading = "Connection")]
pub struct Connection {
    /// The API's base URL, the part before /mobilesdkapi/..., such as
    /// http://127.0.0.1:8080.
    #[arg(long, env = "SCAN_REPORTS_URL", global = true)]
    url: Option<String>,
    /// The username the token was issued to.
    #[arg(
        long,
        env = "SCAN_REPORTS_USERNAME",
        global = true,
        value_name = "NAME"
    )]
    username: Option<String>,
    /// The access token. Prefer the environment variable: other users of
    /// the machine can see a command line. Never printed.
    #[arg(
        long,
        env = "SCAN_REPORTS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    token: Option<String>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The three settings, each given.
pub struct Settings<'a> {
    pub url: &'a str,
    pub username: &'a str,
    pub token: &'a str,
}

impl Connection {
    /// The settings, or a usage failure naming the first one missing.
    pub fn settings(&self) -> Result<Settings<'_>, Failure> {
        fn setting<'a>(
            value: &'a Option<String>,
            what: &str,
            flag: &str,
            variable: &str,
        ) -> Result<&'a str, Failure> {
            value.as_deref().ok_or_else(|| {
                Failure::usage(format!("no {what}: pass --{flag} or set {variable}"))
            })
        }
        Ok(Settings {
            url: setting(&self.url, "server URL", "url", "SCAN_REPORTS_URL")?,
            username: setting(
                &self.username,
                "username",
                "username",
                "SCAN_REPORTS_USERNAME",
            )?,
            token: setting(&self.token, "access token", "token", "SCAN_REPORTS_TOKEN")?,
        })
    }

    /// A client of the API, or a usage failure naming what is missing or wrong.
    pub fn client(&self) -> Result<ScanReportsClient, Failure> {
        let settings = self.settings()?;
        Ok(ScanReportsClient::new(
            settings.url,
            Credentials::new(settings.username, settings.token),
        )?)
    }
}
