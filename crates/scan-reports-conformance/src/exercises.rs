//! Every body the checks sent or received, with its status: a value the
//! checks are handed (never a global), so the `coverage` line reads what
//! this run exercised, whatever order the checks ran in.

use std::sync::Mutex;

use scan_reports_contract::coverage::Exercise;
use serde_json::Value;

#[derive(Debug, Default)]
pub struct Exercises(Mutex<Vec<Exercise>>);

impl Exercises {
    /// Records a body that went through POST `path`: a request (`status`
    /// `None`) or an answer.
    pub fn record(&self, path: &str, status: Option<u16>, body: &Value) {
        // A check that panicked while recording poisons the lock; what it
        // recorded before still counts.
        let mut exercises = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        exercises.push(Exercise {
            operation: format!("POST {path}"),
            status,
            body: body.clone(),
        });
    }

    /// Everything recorded so far.
    pub fn recorded(&self) -> Vec<Exercise> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}
