//! Where a version of the document comes from: a file, or a git revision
//! of a repository.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use crate::{Document, DocumentError, workspace};

/// Where a version of the document comes from: a file, or a git revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentSource {
    File(PathBuf),
    /// `git show REV:openapi/scan-reports.yaml`, or `REV:path`.
    Revision {
        revision: String,
        path: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("`{0}` is neither a file nor a git revision of this repository: {1}")]
    Unknown(String, String),
    #[error(transparent)]
    Document(#[from] DocumentError),
}

impl DocumentSource {
    /// A path that exists is a file; anything else is a revision, `REV` or `REV:path`.
    pub fn parse(text: &str) -> Self {
        if Path::new(text).exists() {
            return Self::File(PathBuf::from(text));
        }
        match text.split_once(':') {
            Some((revision, path)) if !path.is_empty() => Self::Revision {
                revision: revision.into(),
                path: path.into(),
            },
            _ => Self::Revision {
                revision: text.into(),
                path: "openapi/scan-reports.yaml".into(),
            },
        }
    }

    /// Loads the document, reading revisions from the git repository at `repository`.
    pub fn load(&self, repository: &Path) -> Result<Document, SourceError> {
        match self {
            Self::File(path) => Ok(Document::load(path)?),
            Self::Revision { revision, path } => {
                let output = Command::new("git")
                    .arg("-C")
                    .arg(repository)
                    .args(["show", &format!("{revision}:{path}")])
                    .output()
                    .map_err(|error| SourceError::Unknown(revision.clone(), error.to_string()))?;
                if !output.status.success() {
                    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
                    return Err(SourceError::Unknown(format!("{revision}:{path}"), stderr));
                }
                let text = String::from_utf8_lossy(&output.stdout);
                Ok(Document::parse(
                    Path::new(&format!("{revision}:{path}")),
                    &text,
                )?)
            }
        }
    }

    pub fn load_here(&self) -> Result<Document, SourceError> {
        self.load(&workspace::root())
    }
}
