//! A search space: which values each searched training setting may take, and the trials
//! a grid or a random search draws from it.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::TrainError;

/// Where a searched setting's values come from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Distribution {
    /// These values, as written: a grid's axis, or `choice(a,b,…)` (drawn with equal
    /// probability).
    Choice {
        /// The values.
        values: Vec<String>,
    },
    /// `uniform(low,high)`: uniform on `[low, high]`.
    Uniform {
        /// The lower bound.
        low: f64,
        /// The upper bound.
        high: f64,
    },
    /// `log(low,high)`: log-uniform on `[low, high]`, i.e. `exp(U(ln low, ln high))`: every
    /// decade equally likely, as learning rates are searched (Bergstra & Bengio 2012).
    LogUniform {
        /// The lower bound, above 0.
        low: f64,
        /// The upper bound.
        high: f64,
    },
    /// `int(low,high)`: a uniform integer in `low..=high`.
    Int {
        /// The smallest value.
        low: i64,
        /// The largest value.
        high: i64,
    },
}

/// One searched setting: a training flag without its dashes (`lr`, `batch-size`,
/// `optimizer`) and its values.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Param {
    /// The flag's name, e.g. `lr` for `--lr`.
    pub name: String,
    /// Its values.
    pub values: Distribution,
}

/// The settings of one trial, in the order the space names them: `(flag, value)`.
pub type Assignment = Vec<(String, String)>;

/// The settings a search varies, parsed from `name=values;name=values`.
///
/// ```
/// use ember_train::SearchSpace;
///
/// let grid = SearchSpace::parse_grid("lr=1e-3,3e-3;batch-size=32,64")?;
/// assert_eq!(grid.grid().len(), 4);
/// let space = SearchSpace::parse("lr=log(1e-4,1e-1);dropout=uniform(0,0.5);optimizer=choice(adam,sgd)")?;
/// let trials = space.sample(12, 7);
/// assert_eq!(trials, space.sample(12, 7)); // seeded
/// let lr: f64 = trials[0][0].1.parse()?;
/// assert!((1e-4..=1e-1).contains(&lr));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchSpace {
    /// The searched settings, in the order given.
    pub params: Vec<Param>,
}

impl SearchSpace {
    /// Parses `name=v1,v2,…;name=log(a,b);name=uniform(a,b);name=int(a,b);name=choice(x,y)`.
    /// A plain list is a choice.
    ///
    /// # Errors
    /// [`TrainError::Search`] naming the part that does not parse and the accepted forms.
    pub fn parse(spec: &str) -> Result<Self, TrainError> {
        let mut params: Vec<Param> = Vec::new();
        for part in spec.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, values) = part.split_once('=').ok_or_else(|| {
                TrainError::search(part, "write `name=values`, e.g. `lr=1e-3,3e-3`")
            })?;
            let name = name.trim().trim_start_matches("--").to_string();
            if name.is_empty()
                || name
                    .chars()
                    .any(|c| !(c.is_ascii_alphanumeric() || c == '-'))
            {
                return Err(TrainError::search(
                    part,
                    "the name must be a training flag without its dashes, e.g. `lr` or `batch-size`",
                ));
            }
            if params.iter().any(|p| p.name == name) {
                return Err(TrainError::search(part, "this setting is named twice"));
            }
            let values = parse_values(part, values.trim())?;
            params.push(Param { name, values });
        }
        if params.is_empty() {
            return Err(TrainError::search(
                spec,
                "name at least one setting, e.g. `lr=log(1e-4,1e-1)`",
            ));
        }
        Ok(SearchSpace { params })
    }

    /// Parses a grid: like [`parse`](Self::parse), but every setting must be a list.
    ///
    /// # Errors
    /// [`TrainError::Search`] when a setting is a distribution (use a random search).
    pub fn parse_grid(spec: &str) -> Result<Self, TrainError> {
        let space = Self::parse(spec)?;
        if let Some(p) = space
            .params
            .iter()
            .find(|p| !matches!(p.values, Distribution::Choice { .. }))
        {
            return Err(TrainError::search(
                &p.name,
                "a grid lists its values (`lr=1e-3,3e-3`); distributions belong to \
                 `--random N --space …`",
            ));
        }
        Ok(space)
    }

    /// Every combination of the lists, the first setting varying slowest.
    /// Distributions count as their bounds (a grid parsed by [`parse_grid`](Self::parse_grid)
    /// has none).
    pub fn grid(&self) -> Vec<Assignment> {
        let mut trials: Vec<Assignment> = vec![Vec::new()];
        for p in &self.params {
            let values = match &p.values {
                Distribution::Choice { values } => values.clone(),
                Distribution::Uniform { low, high } | Distribution::LogUniform { low, high } => {
                    vec![low.to_string(), high.to_string()]
                }
                Distribution::Int { low, high } => vec![low.to_string(), high.to_string()],
            };
            trials = trials
                .into_iter()
                .flat_map(|t| {
                    values.iter().map(move |v| {
                        let mut t = t.clone();
                        t.push((p.name.clone(), v.clone()));
                        t
                    })
                })
                .collect();
        }
        trials
    }

    /// `n` trials drawn independently from the space by a generator seeded with `seed`.
    pub fn sample(&self, n: usize, seed: u64) -> Vec<Assignment> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                self.params
                    .iter()
                    .map(|p| (p.name.clone(), draw(&p.values, &mut rng)))
                    .collect()
            })
            .collect()
    }
}

/// One value of `d`, written as the training flag takes it.
fn draw(d: &Distribution, rng: &mut StdRng) -> String {
    match d {
        Distribution::Choice { values } => values[rng.random_range(0..values.len())].clone(),
        Distribution::Uniform { low, high } => {
            significant(low + (high - low) * rng.random::<f64>(), *low, *high)
        }
        Distribution::LogUniform { low, high } => {
            let (a, b) = (low.ln(), high.ln());
            significant((a + (b - a) * rng.random::<f64>()).exp(), *low, *high)
        }
        Distribution::Int { low, high } => rng.random_range(*low..=*high).to_string(),
    }
}

/// `x` to four significant digits (`0.001028`, `1.06e-4`), kept inside `[low, high]`: a
/// search's settings are read by people, and 0.0010279104335 trains no differently.
fn significant(x: f64, low: f64, high: f64) -> String {
    let rounded: f64 = format!("{x:.3e}").parse().unwrap_or(x);
    let v = rounded.clamp(low, high);
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e5) {
        let text = format!("{v:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
    } else {
        v.to_string()
    }
}

/// `v1,v2`, `choice(…)`, `uniform(a,b)`, `log(a,b)` or `int(a,b)`.
fn parse_values(part: &str, values: &str) -> Result<Distribution, TrainError> {
    let call = values
        .split_once('(')
        .and_then(|(f, rest)| Some((f.trim(), rest.strip_suffix(')')?)));
    let Some((function, args)) = call else {
        return choice(part, values);
    };
    let args: Vec<&str> = args.split(',').map(str::trim).collect();
    if function == "choice" {
        return choice(part, &args.join(","));
    }
    let bounds = |what: &str| -> Result<(f64, f64), TrainError> {
        let parsed: Vec<f64> = args.iter().filter_map(|a| a.parse().ok()).collect();
        match parsed[..] {
            [low, high] if args.len() == 2 && low.is_finite() && high.is_finite() && low < high => {
                Ok((low, high))
            }
            _ => Err(TrainError::search(
                part,
                format!("{what} takes two finite numbers, the lower first, e.g. `{what}(0,0.5)`"),
            )),
        }
    };
    match function {
        "uniform" => bounds("uniform").map(|(low, high)| Distribution::Uniform { low, high }),
        "log" | "log-uniform" | "loguniform" => {
            let (low, high) = bounds("log")?;
            if low <= 0.0 {
                return Err(TrainError::search(part, "log(low,high) needs 0 < low"));
            }
            Ok(Distribution::LogUniform { low, high })
        }
        "int" => match args[..] {
            [a, b] => match (a.parse::<i64>(), b.parse::<i64>()) {
                (Ok(low), Ok(high)) if low <= high => Ok(Distribution::Int { low, high }),
                _ => Err(TrainError::search(
                    part,
                    "int(low,high) takes two integers, low ≤ high",
                )),
            },
            _ => Err(TrainError::search(part, "int(low,high) takes two integers")),
        },
        other => Err(TrainError::search(
            part,
            format!(
                "`{other}(…)` is not a distribution: use a list `a,b`, choice(a,b), \
                 uniform(low,high), log(low,high) or int(low,high)"
            ),
        )),
    }
}

fn choice(part: &str, values: &str) -> Result<Distribution, TrainError> {
    let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
    if values.iter().any(String::is_empty) {
        return Err(TrainError::search(
            part,
            "a list of values has an empty entry",
        ));
    }
    Ok(Distribution::Choice { values })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_is_every_combination_first_setting_slowest() {
        let space = SearchSpace::parse_grid("lr=1e-3,3e-3; batch-size=32,64,128").unwrap();
        let grid = space.grid();
        assert_eq!(grid.len(), 6);
        let pair = |t: &Assignment| (t[0].1.clone(), t[1].1.clone());
        assert_eq!(pair(&grid[0]), ("1e-3".into(), "32".into()));
        assert_eq!(pair(&grid[2]), ("1e-3".into(), "128".into()));
        assert_eq!(pair(&grid[3]), ("3e-3".into(), "32".into()));
        assert!(grid
            .iter()
            .all(|t| t[0].0 == "lr" && t[1].0 == "batch-size"));
    }

    #[test]
    fn drawn_numbers_keep_four_significant_digits_inside_their_bounds() {
        assert_eq!(significant(0.0010279104335, 1e-4, 1e-2), "0.001028");
        assert_eq!(significant(0.00010597074820791314, 1e-4, 1e-2), "1.06e-4");
        assert_eq!(significant(0.23456789, 0.0, 0.5), "0.2346");
        assert_eq!(significant(0.12345678, 0.123456, 0.2), "0.1235");
        // Rounding may not leave the interval: 0.1234561 would round to 0.1235, inside;
        // a bound with more digits than four is kept exactly.
        assert_eq!(significant(0.4999999, 0.1, 0.4999999), "0.4999999");
        assert_eq!(significant(123456.7, 0.0, 1e6), "1.235e5");
    }

    #[test]
    fn random_trials_are_seeded_and_inside_their_bounds() {
        let space = SearchSpace::parse(
            "lr=log(1e-4,1e-1);dropout=uniform(0,0.5);optimizer=choice(adam,sgd);batch-size=int(16,128)",
        )
        .unwrap();
        let trials = space.sample(2000, 3);
        assert_eq!(trials, space.sample(2000, 3));
        assert_ne!(trials, space.sample(2000, 4));
        let lrs: Vec<f64> = trials.iter().map(|t| t[0].1.parse().unwrap()).collect();
        assert!(lrs.iter().all(|lr| (1e-4..=1e-1).contains(lr)));
        // Log-uniform: each of the three decades holds about a third of the draws
        // (binomial, n = 2000, p = 1/3: sd ≈ 21), a uniform draw would put 90% in the last.
        for (lo, hi) in [(1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 1e-1)] {
            let n = lrs.iter().filter(|&&lr| lr >= lo && lr < hi).count();
            assert!((600..=733).contains(&n), "[{lo}, {hi}): {n}");
        }
        for t in &trials {
            let dropout: f64 = t[1].1.parse().unwrap();
            assert!((0.0..=0.5).contains(&dropout));
            assert!(t[2].1 == "adam" || t[2].1 == "sgd");
            let batch: i64 = t[3].1.parse().unwrap();
            assert!((16..=128).contains(&batch));
        }
        assert!(trials.iter().any(|t| t[3].1 == "16") && trials.iter().any(|t| t[3].1 == "128"));
    }

    #[test]
    fn bad_spaces_name_the_part_and_the_forms() {
        for (spec, needle) in [
            ("lr", "name=values"),
            ("lr=log(0,1)", "0 < low"),
            ("lr=log(1e-1,1e-4)", "the lower first"),
            ("lr=normal(0,1)", "not a distribution"),
            ("lr=1e-3,,3e-3", "empty entry"),
            ("lr=1;lr=2", "named twice"),
            ("l r=1", "training flag"),
            ("batch-size=int(8.5,9)", "two integers"),
            ("", "at least one"),
        ] {
            let err = SearchSpace::parse(spec).unwrap_err().to_string();
            assert!(err.contains(needle), "{spec}: {err}");
        }
        let err = SearchSpace::parse_grid("lr=log(1e-4,1e-1)")
            .unwrap_err()
            .to_string();
        assert!(err.contains("--random"), "{err}");
    }
}
