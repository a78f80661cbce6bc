//! Hyper-parameter search: a space of training settings, a plan of trials drawn from it,
//! each trial's score gathered from its run folders, and a report of them all.
//!
//! ```text
//! SearchSpace (grid lists, or distributions) -> SearchPlan (trials, seeds; plan.json)
//!   -> each trial's runs (any process, any machine) -> TrialResult (result.json)
//!   -> SearchReport (trials.csv, results.md, score-vs-setting plots, best.toml)
//! ```

mod plan;
mod report;
mod result;
mod space;

pub use plan::{Metric, SearchPlan, Trial, PLAN_FILE};
pub use report::SearchReport;
pub use result::{mean_std, TrialResult, RESULT_FILE};
pub use space::{Assignment, Distribution, Param, SearchSpace};
