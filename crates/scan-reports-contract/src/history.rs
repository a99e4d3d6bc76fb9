//! A document's git history replayed through the diff: every consecutive
//! pair of versions of one file, each judged and proved as `cargo xtask
//! diff` would, with the time it took.
//!
//! Maintainers replay their own contract's history; CI replays real API
//! histories nobody here wrote, to hold the verdicts to material from
//! outside.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use serde::Serialize;

use crate::{
    diff_report::verdict,
    revision::{DocumentSource, SourceError},
    schema_warnings::count_schema_warnings,
    witnesses::{ProvenChanges, classify_and_prove_reporting},
};

/// One version of the file: the commit that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub commit: String,
    /// The commit's date, `YYYY-MM-DD`.
    pub date: String,
    pub subject: String,
}

impl Version {
    /// The abbreviated commit.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(10)]
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot run git: {0}")]
    Git(std::io::Error),
    #[error("`{repository}` is not a git repository or bundle git can read: {message}")]
    NotARepository { repository: String, message: String },
    #[error("`{file}` has fewer than two versions in `{repository}`")]
    TooFewVersions { repository: String, file: String },
    #[error("cannot make a folder to unbundle `{0}` into: {1}")]
    Unbundle(String, std::io::Error),
}

/// A repository to read versions from: a folder, or a git bundle cloned
/// into a folder that is removed when this is dropped.
#[derive(Debug)]
pub struct Repository {
    pub path: PathBuf,
    _unbundled: Option<tempfile::TempDir>,
}

impl Repository {
    /// `path` as a repository: a `.bundle` file is cloned first.
    pub fn open(path: &Path) -> Result<Self, HistoryError> {
        if path.is_file() {
            let folder = tempfile::tempdir()
                .map_err(|error| HistoryError::Unbundle(path.display().to_string(), error))?;
            let clone = folder.path().join("repository");
            git(
                Path::new("."),
                &[
                    "clone",
                    "--quiet",
                    &path.display().to_string(),
                    &clone.display().to_string(),
                ],
            )
            .map_err(|error| not_a_repository(path, error))?;
            return Ok(Self {
                path: clone,
                _unbundled: Some(folder),
            });
        }
        git(path, &["rev-parse", "--git-dir"]).map_err(|error| not_a_repository(path, error))?;
        Ok(Self {
            path: path.to_path_buf(),
            _unbundled: None,
        })
    }

    /// The versions of `file`, oldest first: the commits that changed it,
    /// along the first-parent line of `HEAD`.
    pub fn versions(&self, file: &str) -> Result<Vec<Version>, HistoryError> {
        let log = git(
            &self.path,
            &[
                "log",
                "--first-parent",
                "--reverse",
                "--format=%H%x09%cs%x09%s",
                "HEAD",
                "--",
                file,
            ],
        )
        .map_err(|error| not_a_repository(&self.path, error))?;
        let versions: Vec<Version> = log
            .lines()
            .filter_map(|line| {
                let mut fields = line.splitn(3, '\t');
                Some(Version {
                    commit: fields.next()?.to_owned(),
                    date: fields.next()?.to_owned(),
                    subject: fields.next().unwrap_or("").to_owned(),
                })
            })
            .collect();
        if versions.len() < 2 {
            return Err(HistoryError::TooFewVersions {
                repository: self.path.display().to_string(),
                file: file.to_owned(),
            });
        }
        Ok(versions)
    }

    /// One pair judged: both versions read, classified and proved.
    pub fn judge(
        &self,
        file: &str,
        old: &Version,
        new: &Version,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Judged {
        let started = Instant::now();
        let load = |version: &Version| {
            DocumentSource::Revision {
                revision: version.commit.clone(),
                path: file.to_owned(),
            }
            .load(&self.path)
        };
        // Both versions read at once: parsing several MB of YAML is much of
        // a pair's time.
        let (old_loaded, new_loaded) = std::thread::scope(|scope| {
            let old_loaded = scope.spawn(|| load(old));
            let new_loaded = load(new);
            (old_loaded.join(), new_loaded)
        });
        let old_loaded = old_loaded.unwrap_or_else(|_| load(old));
        let outcome = match (old_loaded, new_loaded) {
            (Ok(old_document), Ok(new_document)) => {
                let dialects = (old_document.version.clone(), new_document.version.clone());
                let schema_warnings = (
                    count_schema_warnings(&old_document.value, old_document.dialect),
                    count_schema_warnings(&new_document.value, new_document.dialect),
                );
                let judged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    classify_and_prove_reporting(&old_document.value, &new_document.value, progress)
                }));
                match judged {
                    Ok(proven) => PairOutcome::Judged {
                        proven,
                        dialects,
                        schema_warnings,
                    },
                    Err(panic) => PairOutcome::Failed(panic_message(&panic)),
                }
            }
            (Err(error), _) | (_, Err(error)) => PairOutcome::Refused(error),
        };
        Judged {
            old: old.clone(),
            new: new.clone(),
            outcome,
            took: started.elapsed(),
        }
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic".to_owned())
}

fn not_a_repository(path: &Path, error: HistoryError) -> HistoryError {
    match error {
        HistoryError::NotARepository { message, .. } => HistoryError::NotARepository {
            repository: path.display().to_string(),
            message,
        },
        other => other,
    }
}

fn git(directory: &Path, arguments: &[&str]) -> Result<String, HistoryError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(directory)
        .args(arguments)
        .output()
        .map_err(HistoryError::Git)?;
    if !output.status.success() {
        return Err(HistoryError::NotARepository {
            repository: directory.display().to_string(),
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// What one pair came to.
#[derive(Debug)]
pub enum PairOutcome {
    /// Both versions read, every change classified and proved.
    Judged {
        proven: ProvenChanges,
        /// The `openapi` versions of the old and the new document.
        dialects: (String, String),
        /// How many keywords each reads as no constraint (see
        /// [`crate::schema_warnings`]): counted, not shown.
        schema_warnings: (usize, usize),
    },
    /// A version could not be read: an invalid document, or a missing one.
    Refused(SourceError),
    /// The comparison itself failed: a defect of this tool.
    Failed(String),
}

/// One pair of consecutive versions, judged.
#[derive(Debug)]
pub struct Judged {
    pub old: Version,
    pub new: Version,
    pub outcome: PairOutcome,
    pub took: Duration,
}

impl Judged {
    /// The largest witness of the pair, in characters of JSON.
    pub fn largest_witness(&self) -> usize {
        match &self.outcome {
            PairOutcome::Judged { proven, .. } => proven
                .changes
                .iter()
                .filter_map(|change| change.witness.as_ref())
                .map(|witness| witness.instance.to_string().chars().count())
                .max()
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// How many schema warnings the old and the new version have, where
    /// both were read.
    pub fn schema_warnings(&self) -> Option<(usize, usize)> {
        match &self.outcome {
            PairOutcome::Judged {
                schema_warnings, ..
            } => Some(*schema_warnings),
            _ => None,
        }
    }

    /// The verdict in words, or why there is none.
    pub fn verdict(&self) -> String {
        match &self.outcome {
            PairOutcome::Judged { proven, .. } => verdict(proven),
            PairOutcome::Refused(error) => format!("refused: {error}"),
            PairOutcome::Failed(message) => format!("failed: {message}"),
        }
    }

    /// A row for JSON reports.
    pub fn row(&self, limit: Duration) -> serde_json::Value {
        let mut row = serde_json::json!({
            "old": self.old,
            "new": self.new,
            "verdict": self.verdict(),
            "seconds": self.took.as_secs_f64(),
            "over_time_limit": self.took > limit,
            "largest_witness": self.largest_witness(),
        });
        if let PairOutcome::Judged {
            proven,
            dialects,
            schema_warnings,
        } = &self.outcome
        {
            row["dialects"] = serde_json::json!([dialects.0, dialects.1]);
            row["schema_warnings"] = serde_json::json!([schema_warnings.0, schema_warnings.1]);
            row["changes"] = proven.changes.len().into();
            row["breaking"] = proven.breaking().into();
            row["unproven"] = proven.unproven().into();
            row["refuted"] = proven.counterexamples.len().into();
            row["unsearched"] = proven.unsearched.len().into();
            row["recheck_failed"] = proven.recheck_failures.len().into();
        }
        row
    }
}

/// The whole replay, summed up.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pairs: usize,
    pub judged: usize,
    pub breaking_pairs: usize,
    pub changes: usize,
    pub breaking: usize,
    pub unproven: usize,
    pub refused: usize,
    pub refuted: usize,
    /// Witnesses the independent re-check refutes.
    pub recheck_failed: usize,
    pub failed: usize,
    pub unsearched: usize,
    pub over_time_limit: usize,
    /// The slowest pair: `old..new` and its seconds.
    pub slowest: Option<(String, String)>,
    /// The largest witness: its pair and its characters.
    pub largest_witness: Option<(String, usize)>,
}

impl Summary {
    pub fn of(pairs: &[Judged], limit: Duration) -> Self {
        let mut summary = Self {
            pairs: pairs.len(),
            ..Self::default()
        };
        let name = |pair: &Judged| format!("{}..{}", pair.old.short(), pair.new.short());
        for pair in pairs {
            match &pair.outcome {
                PairOutcome::Judged { proven, .. } => {
                    summary.judged += 1;
                    summary.changes += proven.changes.len();
                    summary.breaking += proven.breaking();
                    summary.breaking_pairs += usize::from(proven.breaking() > 0);
                    summary.unproven += proven.unproven();
                    summary.refuted += proven.counterexamples.len();
                    summary.recheck_failed += proven.recheck_failures.len();
                    summary.unsearched += proven.unsearched.len();
                }
                PairOutcome::Refused(_) => summary.refused += 1,
                PairOutcome::Failed(_) => summary.failed += 1,
            }
            summary.over_time_limit += usize::from(pair.took > limit);
        }
        summary.slowest = pairs
            .iter()
            .max_by_key(|pair| pair.took)
            .map(|pair| (name(pair), format!("{:.2}", pair.took.as_secs_f64())));
        summary.largest_witness = pairs
            .iter()
            .max_by_key(|pair| pair.largest_witness())
            .filter(|pair| pair.largest_witness() > 0)
            .map(|pair| (name(pair), pair.largest_witness()));
        summary
    }

    /// Whether the replay holds: every pair judged in time, no verdict
    /// refuted and no witness refuted by the re-check.
    pub fn holds(&self) -> bool {
        self.refused == 0
            && self.refuted == 0
            && self.recheck_failed == 0
            && self.failed == 0
            && self.over_time_limit == 0
    }
}
