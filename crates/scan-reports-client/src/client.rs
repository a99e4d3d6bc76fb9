//! [`ScanReportsClient`]: the generated client with the credentials, limits
//! and errors of this API built in.

use std::{fmt, future::Future, time::Duration};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::{Error, GeneratedClient, ResponseValue, RetryPolicy, ScanId, types};

/// The header carrying the access token.
pub const ACCESS_TOKEN_HEADER: &str = "x-pensa-access-token";
/// The header carrying the username the token was issued to.
pub const USERNAME_HEADER: &str = "X-Cognito-Username";
/// The most ids one scan-statuses request may carry (`maxItems` in the
/// document). [`ScanReportsClient::scan_statuses`] splits longer lists.
pub const MAX_SCAN_IDS_PER_REQUEST: usize = 500;

/// A username and its access token. `Debug` never shows the token.
#[derive(Clone)]
pub struct Credentials {
    username: String,
    access_token: String,
}

impl Credentials {
    pub fn new(username: impl Into<String>, access_token: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            access_token: access_token.into(),
        }
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    /// Both headers, the token marked sensitive so that `reqwest` and
    /// `http` print it as `Sensitive` wherever a header map is shown.
    fn headers(&self) -> Result<HeaderMap, Error> {
        let value = |text: &str, what: &str| {
            if text.trim().is_empty() {
                return Err(Error::InvalidInput(format!("the {what} is empty")));
            }
            HeaderValue::from_str(text).map_err(|_| {
                Error::InvalidInput(format!(
                    "the {what} contains characters not allowed in an HTTP header"
                ))
            })
        };
        let mut token = value(&self.access_token, "access token")?;
        token.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(HeaderName::from_static(ACCESS_TOKEN_HEADER), token);
        headers.insert(
            HeaderName::from_static("x-cognito-username"),
            value(&self.username, "username")?,
        );
        Ok(headers)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("access_token", &"<redacted>")
            .finish()
    }
}

/// Settings for a [`ScanReportsClient`]; start from [`ScanReportsClient::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Credentials,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    compression: bool,
}

impl ClientBuilder {
    /// The longest a whole request may take, connection included. Default: 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest establishing a connection may take. Default: 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Whether to ask for compressed answers (zstd, brotli or gzip, as the
    /// server chooses) and decode them. Default: on; a 10,000-product
    /// report then travels as a few percent of its size. Off, every answer
    /// comes plain, as from a server that does not compress.
    pub fn compression(mut self, on: bool) -> Self {
        self.compression = on;
        self
    }

    /// When to repeat a request by itself. Default: [`RetryPolicy::default`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    pub fn build(self) -> Result<ScanReportsClient, Error> {
        let url = reqwest::Url::parse(&self.base_url).map_err(|error| {
            Error::InvalidInput(format!("base URL `{}`: {error}", self.base_url))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidInput(format!(
                "base URL `{}`: the scheme must be http or https",
                self.base_url
            )));
        }
        let http = reqwest::Client::builder()
            .default_headers(self.credentials.headers()?)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .zstd(self.compression)
            .brotli(self.compression)
            .gzip(self.compression)
            .build()
            .map_err(Error::from_reqwest)?;
        Ok(ScanReportsClient {
            generated: GeneratedClient::new_with_client(self.base_url.trim_end_matches('/'), http),
            username: self.credentials.username,
            retry: self.retry,
        })
    }
}

/// A client of the Scan Reports API that sends the credentials on every call.
///
/// Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct ScanReportsClient {
    generated: GeneratedClient,
    username: String,
    retry: RetryPolicy,
}

impl fmt::Debug for ScanReportsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScanReportsClient")
            .field("base_url", &self.base_url())
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl ScanReportsClient {
    /// A client with default timeouts. `base_url` is the part before
    /// `/mobilesdkapi/...`, such as `https://api.example.com`.
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, Error> {
        Self::builder(base_url, credentials).build()
    }

    pub fn builder(base_url: &str, credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_owned(),
            credentials,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            compression: true,
        }
    }

    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.generated)
    }

    /// The generated client underneath, for calls this type does not wrap.
    /// It sends the same credentials.
    pub fn generated(&self) -> &GeneratedClient {
        &self.generated
    }

    /// The status of each scan in `scan_ids` that exists and belongs to the
    /// caller, once each, in the order of first occurrence.
    ///
    /// Unknown ids are omitted, as the API does. More than
    /// [`MAX_SCAN_IDS_PER_REQUEST`] distinct ids are sent in several requests.
    /// An empty list sends nothing and returns nothing; an id below 1 is
    /// refused before anything is sent.
    pub async fn scan_statuses(
        &self,
        scan_ids: impl IntoIterator<Item = i64>,
    ) -> Result<Vec<types::ScanStatusItem>, Error> {
        let ids = distinct_scan_ids(scan_ids)?;
        let mut items = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(MAX_SCAN_IDS_PER_REQUEST) {
            let body: types::ScanStatusesRequest =
                request(types::ScanStatusesRequest::builder().scan_ids(chunk.to_vec()))?;
            items.extend(
                self.with_retries(|| self.generated.scan_statuses().body(body.clone()).send())
                    .await?
                    .data,
            );
        }
        Ok(items)
    }

    /// The reports of `report_types` for one scan. A requested type without
    /// a report is absent from the answer; see
    /// [`types::ReportsOnDemandResponse::report`].
    pub async fn reports_on_demand(
        &self,
        scan_id: i64,
        report_types: &[types::ReportType],
    ) -> Result<types::ReportsOnDemandResponse, Error> {
        if report_types.is_empty() {
            return Err(Error::InvalidInput("no report type requested".into()));
        }
        let body: types::ReportsOnDemandRequest = request(
            types::ReportsOnDemandRequest::builder()
                .scan_id(to_scan_id(scan_id)?)
                .report_types(report_types.to_vec()),
        )?;
        self.with_retries(|| self.generated.reports_on_demand().body(body.clone()).send())
            .await
    }

    /// Sends `request()` until it succeeds or the retry policy gives up.
    async fn with_retries<T, F>(&self, request: impl Fn() -> F) -> Result<T, Error>
    where
        F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<types::Error>>>,
    {
        let mut attempt = 1;
        loop {
            match call(request()).await {
                Ok(value) => return Ok(value),
                Err(error) => match self.retry.wait_after(&error, attempt) {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(error),
                },
            }
        }
    }
}

/// Awaits a generated call, mapping its error to [`Error`].
async fn call<T>(
    request: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<types::Error>>>,
) -> Result<T, Error> {
    match request.await {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(Error::from_generated(error).await),
    }
}

/// A request body from its builder. Built from a builder, not a struct
/// literal, so an optional property the document adds in a minor version
/// needs no change here; a missing required property is an error, not a
/// panic.
fn request<B, T>(builder: B) -> Result<T, Error>
where
    T: TryFrom<B, Error = types::error::ConversionError>,
{
    T::try_from(builder).map_err(|error| Error::InvalidInput(error.to_string()))
}

fn to_scan_id(id: i64) -> Result<ScanId, Error> {
    ScanId::new(id).map_err(|error| Error::InvalidInput(error.to_string()))
}

fn distinct_scan_ids(ids: impl IntoIterator<Item = i64>) -> Result<Vec<ScanId>, Error> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(*id))
        .map(to_scan_id)
        .collect()
}

impl types::ReportsOnDemandResponse {
    /// The report of a known type, if the answer holds one.
    pub fn report(&self, report_type: types::ReportType) -> Option<&types::ReportWrapper> {
        self.data.get(&report_type.to_string())
    }

    /// Report-type keys this version of the client does not know, which a
    /// newer server may send; their reports are still in `data`.
    pub fn unrecognized_report_types(&self) -> impl Iterator<Item = &str> {
        self.data
            .keys()
            .map(String::as_str)
            .filter(|key| key.parse::<types::ReportType>().is_err())
    }
}

impl types::ScanMetadata {
    /// Capture metadata with every value unknown (`null`), as most
    /// published examples are: for building a [`types::ScanStatusItem`] in
    /// a test double.
    pub fn unknown() -> Self {
        Self {
            application_id: None,
            device_network_name: None,
            device_network_type: None,
            focal_length: None,
            frame_capture_rate: None,
            guid: None,
            ignore_late_upload: None,
            image_height: None,
            image_width: None,
            lens_distortion: None,
            lens_intrinsic_calibration: None,
            mobile_capture_completed: None,
            odr_status: None,
            pause_list: None,
            pipeline_name: None,
            sensor_physical_width_height: None,
            server_upload_started: None,
        }
    }
}

/// A value of an open set this version of the client does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnrecognizedValue<'a> {
    /// The property, such as `status`.
    pub field: &'static str,
    pub value: &'a str,
}

impl types::ScanStatusItem {
    /// Values of open sets (`status`, `fast_status`, `capture_type`,
    /// `image_capture_quality`) that this version of the client does not
    /// know. They are kept in the item; this lists them for reporting.
    pub fn unrecognized_values(&self) -> Vec<UnrecognizedValue<'_>> {
        [("status", &self.status), ("fast_status", &self.fast_status)]
            .into_iter()
            .filter(|(_, value)| !value.is_recognized())
            .map(|(field, value)| UnrecognizedValue {
                field,
                value: value.as_str(),
            })
            .chain(
                (!self.capture_type.is_recognized()).then(|| UnrecognizedValue {
                    field: "capture_type",
                    value: self.capture_type.as_str(),
                }),
            )
            .chain(
                (!self.image_capture_quality.is_recognized()).then(|| UnrecognizedValue {
                    field: "image_capture_quality",
                    value: self.image_capture_quality.as_str(),
                }),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deduplicated_in_order_and_must_be_positive() {
        let ids = distinct_scan_ids([5678, 1234, 5678, 42]).expect("valid");
        let plain: Vec<i64> = ids.iter().map(|id| id.get()).collect();
        assert_eq!(plain, [5678, 1234, 42]);
        for bad in [0, -1, i64::MIN] {
            let error = distinct_scan_ids([1, bad]).expect_err("refused");
            assert_eq!(
                error.to_string(),
                format!("invalid input: scan id {bad} is not a positive integer")
            );
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let credentials = Credentials::new("demo", "s3cret-token");
        let client =
            ScanReportsClient::new("http://127.0.0.1:1", credentials.clone()).expect("builds");
        for shown in [
            format!("{credentials:?}"),
            format!("{client:?}"),
            format!("{:?}", client.generated()),
        ] {
            assert!(!shown.contains("s3cret-token"), "{shown}");
        }
        assert!(format!("{credentials:?}").contains("<redacted>"));
    }

    #[test]
    fn bad_configuration_is_refused_without_echoing_the_token() {
        let check = |base: &str, user: &str, token: &str, expected: &str| {
            let error =
                ScanReportsClient::new(base, Credentials::new(user, token)).expect_err("refused");
            let shown = format!("{error} {error:?}");
            assert!(shown.contains(expected), "{shown}");
            assert!(!shown.contains("tok\n"), "{shown}");
        };
        check("not a url", "demo", "token", "base URL `not a url`");
        check(
            "ftp://host",
            "demo",
            "token",
            "scheme must be http or https",
        );
        check(
            "http://host",
            "demo",
            "tok\n",
            "access token contains characters not allowed",
        );
        check("http://host", "demo", " ", "the access token is empty");
        check("http://host", "", "token", "the username is empty");
    }

    #[test]
    fn what_was_given_is_what_is_read_back() {
        let credentials = Credentials::new("demo", "token");
        assert_eq!(credentials.username(), "demo");
        let client = ScanReportsClient::new("http://127.0.0.1:1", credentials).expect("builds");
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
        let shown = format!("{client:?}");
        assert!(
            shown.contains("http://127.0.0.1:1") && shown.contains("demo"),
            "{shown}"
        );
    }
}
