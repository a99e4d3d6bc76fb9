//! The conformance gate's own tests: it passes on the real workspace, and
//! each deliberate drift makes it fail with a message that names it.

mod drift;
mod gate;
mod snapshots;
