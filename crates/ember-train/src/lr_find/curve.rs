//! The loss against the learning rate, step by step: smoothing, the stop at divergence and
//! the suggested learning rate.

use std::fmt;

/// One step of a range test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LrPoint {
    /// The step, from 1.
    pub step: usize,
    /// The learning rate of this step's update.
    pub lr: f64,
    /// The loss of this step's batch, before its update.
    pub loss: f64,
    /// The loss's bias-corrected exponential moving average (see
    /// [`LrFindConfig::smoothing`](crate::LrFindConfig::smoothing)).
    pub smoothed_loss: f64,
}

/// Why a range test ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LrStop {
    /// Every planned step ran.
    Finished,
    /// The smoothed loss of this step, its last point, exceeded
    /// [`LrFindConfig::divergence`](crate::LrFindConfig::divergence) times its minimum.
    Diverged {
        /// The step, from 1.
        step: usize,
        /// Its learning rate.
        lr: f64,
    },
    /// The loss of this step was NaN or infinite; the step is not among the points.
    NonFinite {
        /// The step, from 1.
        step: usize,
        /// Its learning rate.
        lr: f64,
    },
}

impl fmt::Display for LrStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LrStop::Finished => write!(f, "every step ran"),
            LrStop::Diverged { step, lr } => write!(
                f,
                "stopped at step {step} (lr {lr:.2e}): the smoothed loss passed its limit \
                 over its minimum"
            ),
            LrStop::NonFinite { step, lr } => {
                write!(
                    f,
                    "stopped at step {step} (lr {lr:.2e}): the loss was not finite"
                )
            }
        }
    }
}

/// What a learning-rate range test found: the loss at each learning rate tried, and the
/// learning rates it suggests.
///
/// Two rules read the smoothed loss `s` against `ln η`:
/// - **steepest descent**: the point where `s` falls fastest, the most negative central
///   difference `(sᵢ₊₁ − sᵢ₋₁) / (ln ηᵢ₊₁ − ln ηᵢ₋₁)` on the descent, the points after the
///   last one at or above the [start](Self::start) up to the minimum (so that the noise of
///   the plateau before does not count): the loss still falls quickly there and is far
///   from diverging;
/// - **minimum / 10**: a tenth of the learning rate of the lowest smoothed loss (fastai's
///   `lr_min`), as the minimum itself is already close to where training breaks down.
///
/// Both leave out the first tenth of the planned steps (as fastai does): the average of a
/// few batches is still noisy there, and a lucky first batch would be the minimum.
///
/// [`suggestion`](Self::suggestion) is the lower of the two, once the smoothed loss has
/// fallen at least [`MIN_FALL`](Self::MIN_FALL) below its [start](Self::start): on a
/// flatter curve (too few steps for the model to learn anything, only noise) the minimum
/// could be anywhere, and there is no suggestion. Why the lower: the smoothed loss lags the
/// loss (β = 0.98 averages over some 50 steps), so when the loss falls only briefly before
/// it breaks down, as with SGD and momentum, the smoothed curve's steepest point can sit
/// next to its minimum, where the loss itself is already rising; the minimum's tenth caps
/// it there. (LeNet-5 on MNIST, Adam: steepest 3.5e-3, minimum / 10 5.1e-3; momentum SGD:
/// 4.2e-2 and 5.1e-3.)
#[derive(Debug, Clone, PartialEq)]
pub struct LrFinding {
    /// Every step taken, in order.
    pub points: Vec<LrPoint>,
    /// The steps the test would have taken without stopping.
    pub planned_steps: usize,
    /// Why it ended.
    pub stop: LrStop,
}

impl LrFinding {
    /// How far the smoothed loss must fall below its [start](Self::start), as a fraction of
    /// it, for the test to suggest a learning rate: 1% (LeNet-5 on MNIST falls 37% with
    /// Adam, 2.5% with plain SGD; AlexNet small on CIFAR-10 0.7% in the 147 steps before it
    /// diverges, too few to learn).
    pub const MIN_FALL: f64 = 0.01;

    /// The points the rules read: all but the first tenth of the planned steps (and at
    /// least the last one taken).
    pub fn considered(&self) -> &[LrPoint] {
        let skip = (self.planned_steps / 10).min(self.points.len().saturating_sub(1));
        &self.points[skip..]
    }

    /// Where the loss starts from: the first [considered](Self::considered) point. The
    /// moving average there is close to the mean of the first tenth's losses, which a
    /// sweep from a rate too small to learn leaves at the initial loss.
    pub fn start(&self) -> Option<&LrPoint> {
        self.considered().first()
    }

    /// The [considered](Self::considered) point of the lowest smoothed loss.
    pub fn minimum(&self) -> Option<&LrPoint> {
        self.considered()
            .iter()
            .min_by(|a, b| a.smoothed_loss.total_cmp(&b.smoothed_loss))
    }

    /// The point of steepest descent of the smoothed loss (see above); `None` when no
    /// point of the descent has a neighbour on each side, or the loss never falls there.
    pub fn steepest(&self) -> Option<&LrPoint> {
        let p = self.considered();
        let minimum = self.minimum()?.step - p.first()?.step;
        // The descent: after the plateau's last point (at or above the start), to the minimum.
        let plateau = p[..minimum]
            .iter()
            .rposition(|q| q.smoothed_loss >= p[0].smoothed_loss)
            .unwrap_or(0);
        ((plateau + 1)..=minimum.min(p.len().saturating_sub(2)))
            .map(|i| {
                let rise = p[i + 1].smoothed_loss - p[i - 1].smoothed_loss;
                (i, rise / (p[i + 1].lr.ln() - p[i - 1].lr.ln()))
            })
            .filter(|(_, slope)| *slope < 0.0)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| &p[i])
    }

    /// A tenth of the learning rate of the lowest smoothed loss.
    pub fn minimum_over_ten(&self) -> Option<f64> {
        self.minimum().map(|p| p.lr / 10.0)
    }

    /// Whether the smoothed loss fell at least [`MIN_FALL`](Self::MIN_FALL) below its
    /// [start](Self::start).
    pub fn fell(&self) -> bool {
        match (self.start(), self.minimum()) {
            (Some(start), Some(min)) => {
                min.smoothed_loss <= start.smoothed_loss * (1.0 - Self::MIN_FALL)
            }
            _ => false,
        }
    }

    /// The suggested learning rate: the lower of the steepest descent's and the minimum's
    /// tenth (the tenth alone when no point has neighbours to measure); `None` when the
    /// smoothed loss did not [fall](Self::fell).
    pub fn suggestion(&self) -> Option<f64> {
        let tenth = self.minimum_over_ten().filter(|_| self.fell())?;
        Some(self.steepest().map_or(tenth, |p| p.lr.min(tenth)))
    }

    /// The points as CSV, `step,lr,loss,smoothed_loss`, one line per step.
    pub fn csv(&self) -> String {
        let mut csv = String::from("step,lr,loss,smoothed_loss\n");
        for p in &self.points {
            csv.push_str(&format!(
                "{},{:.6e},{:.6},{:.6}\n",
                p.step, p.lr, p.loss, p.smoothed_loss
            ));
        }
        csv
    }
}

/// Takes each step's loss and keeps the points, the moving average and the stop rule.
pub(crate) struct Recorder {
    beta: f64,
    divergence: f64,
    average: f64,
    best: f64,
    points: Vec<LrPoint>,
}

impl Recorder {
    /// Smoothing with `beta`, stopping at `divergence` times the minimum.
    pub(crate) fn new(beta: f64, divergence: f64) -> Self {
        Recorder {
            beta,
            divergence,
            average: 0.0,
            best: f64::INFINITY,
            points: Vec::new(),
        }
    }

    /// Steps recorded so far.
    pub(crate) fn len(&self) -> usize {
        self.points.len()
    }

    /// Records the next step's `loss` at `lr`; `Some` when the test ends at this step (a
    /// non-finite loss is not recorded).
    pub(crate) fn record(&mut self, lr: f64, loss: f64) -> Option<LrStop> {
        let step = self.points.len() + 1;
        if !loss.is_finite() {
            return Some(LrStop::NonFinite { step, lr });
        }
        self.average = self.beta * self.average + (1.0 - self.beta) * loss;
        let smoothed_loss = self.average / (1.0 - self.beta.powi(step as i32));
        self.points.push(LrPoint {
            step,
            lr,
            loss,
            smoothed_loss,
        });
        self.best = self.best.min(smoothed_loss);
        (smoothed_loss > self.divergence * self.best).then_some(LrStop::Diverged { step, lr })
    }

    /// The finding, planned for `planned_steps`, ended by `stop`.
    pub(crate) fn finish(self, planned_steps: usize, stop: LrStop) -> LrFinding {
        LrFinding {
            points: self.points,
            planned_steps,
            stop,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn the_smoothed_loss_is_the_bias_corrected_moving_average() {
        let mut recorder = Recorder::new(0.98, 4.0);
        for (lr, loss) in [(1e-3, 1.0), (1e-2, 2.0), (1e-1, 3.0)] {
            assert_eq!(recorder.record(lr, loss), None);
        }
        let smoothed: Vec<f64> = recorder.points.iter().map(|p| p.smoothed_loss).collect();
        // Weights 0.98ᵏ on the k-th last loss, divided by their sum:
        // 1; (0.98·1 + 2) / 1.98; (0.9604·1 + 0.98·2 + 3) / 2.9404.
        let expected = [1.0, 2.98 / 1.98, 5.9204 / 2.9404];
        assert!(close(smoothed[0], expected[0]), "{smoothed:?}");
        assert!(close(smoothed[1], 1.505_050_505_050_505), "{smoothed:?}");
        assert!(close(smoothed[2], 2.013_467_555_434_634_6), "{smoothed:?}");
        assert!(close(smoothed[2], expected[2]));
        let steps: Vec<usize> = recorder.points.iter().map(|p| p.step).collect();
        assert_eq!(steps, [1, 2, 3]);
    }

    #[test]
    fn it_stops_when_the_smoothed_loss_passes_four_times_its_minimum() {
        // β = 0.5: smoothed 1, 0.5/0.75 = 0.667, then 4.25/0.875 = 4.857 > 4 × 0.667.
        let mut recorder = Recorder::new(0.5, 4.0);
        assert_eq!(recorder.record(1e-3, 1.0), None);
        assert_eq!(recorder.record(1e-2, 0.5), None);
        assert!(close(recorder.points[1].smoothed_loss, 0.5 / 0.75));
        assert_eq!(
            recorder.record(1e-1, 8.0),
            Some(LrStop::Diverged { step: 3, lr: 1e-1 })
        );
        assert!(close(recorder.points[2].smoothed_loss, 4.25 / 0.875));
        assert_eq!(recorder.len(), 3, "the diverging step is the last point");

        // A NaN ends the test without a point.
        let mut recorder = Recorder::new(0.98, 4.0);
        assert_eq!(recorder.record(1e-3, 2.0), None);
        assert_eq!(
            recorder.record(1e-2, f64::NAN),
            Some(LrStop::NonFinite { step: 2, lr: 1e-2 })
        );
        assert_eq!(recorder.len(), 1);
    }

    /// Points one decade apart from 1e-5, with these smoothed losses (raw ones the same).
    fn curve(smoothed: &[f64]) -> LrFinding {
        let points = smoothed
            .iter()
            .enumerate()
            .map(|(i, &s)| LrPoint {
                step: i + 1,
                lr: 1e-5 * 10f64.powi(i as i32),
                loss: s,
                smoothed_loss: s,
            })
            .collect();
        LrFinding {
            points,
            planned_steps: smoothed.len(),
            stop: LrStop::Finished,
        }
    }

    #[test]
    fn the_steepest_descent_is_the_fastest_fall_before_the_minimum() {
        // At 1e-5 … 1e1. Central differences over two decades, before the minimum (1e0):
        // 1e-4: −0.1, 1e-3: −0.7, 1e-2: −1.3, 1e-1: −0.9, 1e0: +0.6 (then divided by 2·ln 10).
        let finding = curve(&[2.3, 2.3, 2.2, 1.6, 0.9, 0.7, 1.5]);
        assert_eq!(finding.minimum().unwrap().step, 6);
        assert!(close(finding.minimum_over_ten().unwrap(), 0.1));
        let steepest = finding.steepest().unwrap();
        assert_eq!(steepest.step, 4);
        assert!(close(steepest.lr, 1e-2));
        // A steeper fall after the minimum (at step 3) does not count: of the central
        // differences −1.3 (step 2) and −0.8 (step 3), not −7.95 (step 6).
        let finding = curve(&[2.3, 2.0, 1.0, 1.2, 9.0, 1.1, 1.05]);
        assert_eq!(finding.minimum().unwrap().step, 3);
        assert_eq!(finding.steepest().unwrap().step, 2);
    }

    #[test]
    fn the_suggestion_is_the_lower_of_the_steepest_descent_and_the_minimum_over_ten() {
        // Above: steepest 1e-2 below the minimum's tenth 1e-1.
        let finding = curve(&[2.3, 2.3, 2.2, 1.6, 0.9, 0.7, 1.5]);
        assert!(close(finding.suggestion().unwrap(), 1e-2));
        // A lagging curve whose steepest point is its minimum (1e1: central difference
        // 0.6 − 2.3 = −1.7 against −1.0 at 1e-2 and −0.5 at 1e0): the tenth, 1e0.
        let finding = curve(&[2.0, 2.0, 2.0, 2.0, 1.0, 2.3, 0.5, 0.6]);
        assert_eq!(finding.minimum().unwrap().step, 7);
        assert_eq!(finding.steepest().unwrap().step, 7);
        assert!(close(finding.suggestion().unwrap(), 1.0));
    }

    #[test]
    fn without_a_steepest_point_the_suggestion_is_the_minimum_over_ten() {
        // Two points: none has a neighbour on each side.
        let finding = curve(&[2.0, 1.0]);
        assert_eq!(finding.steepest(), None);
        assert!(finding.fell());
        assert!(close(finding.suggestion().unwrap(), 1e-5));
    }

    #[test]
    fn a_curve_that_does_not_fall_by_one_percent_suggests_nothing() {
        // The loss only rises: the minimum is the first point (the start too: a tenth of 3
        // steps is the first).
        let rising = curve(&[1.0, 1.5, 3.0]);
        assert_eq!(rising.start().unwrap().step, 1);
        assert!(!rising.fell());
        assert_eq!((rising.steepest(), rising.suggestion()), (None, None));
        // Noise: the minimum 2.28 is 0.87% below the first 2.3.
        let noise = curve(&[2.3, 2.31, 2.28, 2.32, 2.29]);
        assert!(!noise.fell());
        assert_eq!(noise.suggestion(), None);
        // 1.5% is enough.
        assert!(curve(&[2.0, 2.1, 1.97, 2.2]).fell());
    }

    #[test]
    fn the_first_tenth_of_the_planned_steps_is_left_out() {
        // 20 planned steps: steps 1 and 2 are left out, a lucky first batch among them.
        let mut finding = curve(&[1.0, 2.2, 2.3, 2.2, 2.0, 1.5, 1.9]);
        finding.planned_steps = 20;
        assert_eq!(finding.considered().len(), 5);
        assert_eq!(finding.start().unwrap().step, 3);
        assert_eq!(finding.minimum().unwrap().step, 6);
        // Central differences from step 4: −0.3, −0.7, −0.1 (over two decades).
        assert_eq!(finding.steepest().unwrap().step, 5);
        assert!(finding.fell());
        // Flat from step 3 on: the lucky first batch (1.0) does not make it fall.
        for (p, s) in finding.points[2..]
            .iter_mut()
            .zip([2.3, 2.29, 2.285, 2.29, 2.295])
        {
            p.smoothed_loss = s;
        }
        assert_eq!(finding.minimum().unwrap().step, 5);
        assert!(!finding.fell(), "2.285 is 0.65% below 2.3");
        assert_eq!(finding.suggestion(), None);
        // A test that stopped within its first tenth still reads its last point.
        finding.points.truncate(1);
        assert_eq!(finding.start().unwrap().step, 1);
        assert_eq!(curve(&[]).suggestion(), None);
    }

    #[test]
    fn the_csv_has_a_line_per_step() {
        let csv = curve(&[2.5, 1.25]).csv();
        assert_eq!(
            csv,
            "step,lr,loss,smoothed_loss\n1,1.000000e-5,2.500000,2.500000\n\
             2,1.000000e-4,1.250000,1.250000\n"
        );
    }
}
