//! The paths of the two operations, declared here once: routing, the
//! derived document, the demo data's examples and every test read them
//! from here.

/// `concat!` needs literals, so the prefix is a macro; [`PREFIX`] is its value.
macro_rules! under_prefix {
    ($rest:literal) => {
        concat!("/mobilesdkapi/facing", $rest)
    };
}

/// The path of every operation starts with this.
pub const PREFIX: &str = under_prefix!("");
/// `POST`: the processing status of one or more scans.
pub const SCAN_STATUSES: &str = under_prefix!("/scan-statuses");
/// `POST`: on-demand analytical reports for one scan.
pub const REPORTS_ON_DEMAND: &str = under_prefix!("/reports-on-demand");

/// One of the two operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    ScanStatuses,
    ReportsOnDemand,
}

impl Operation {
    pub const ALL: [Operation; 2] = [Operation::ScanStatuses, Operation::ReportsOnDemand];

    pub const fn path(self) -> &'static str {
        match self {
            Self::ScanStatuses => SCAN_STATUSES,
            Self::ReportsOnDemand => REPORTS_ON_DEMAND,
        }
    }

    /// Its place in [`Operation::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The operation served at `path`, if any.
    pub fn of(path: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|operation| operation.path() == path)
    }

    /// Its name in snake case, as `/metrics` labels it.
    pub const fn snake_case_name(self) -> &'static str {
        match self {
            Self::ScanStatuses => "scan_statuses",
            Self::ReportsOnDemand => "reports_on_demand",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_under_the_prefix() {
        for operation in Operation::ALL {
            let name = operation.path().strip_prefix(PREFIX);
            assert!(
                name.is_some_and(|name| name.starts_with('/') && name.len() > 1),
                "{operation:?}"
            );
            assert_eq!(Operation::of(operation.path()), Some(operation));
            assert_eq!(Operation::ALL[operation.index()], operation);
        }
        assert_eq!(Operation::of(PREFIX), None);
    }
}
