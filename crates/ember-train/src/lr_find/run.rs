//! The range test itself: [`Training::lr_find`].

use burn::data::dataloader::batcher::Batcher;
use burn::optim::GradientsParams;

use crate::classifier::{Classifier, Labelled};
use crate::data::RunData;
use crate::fit::{autodiff_device, check_classes, loss_for, optimizer_for, train_loader, Training};
use crate::lr_find::curve::Recorder;
use crate::{LrFindConfig, LrFinding, LrStop, TrainError};

impl Training {
    /// A learning-rate range test (Smith 2015; fastai's `lr_find`): trains `model` from
    /// where it is (its fresh initialisation, usually) on the training split of `data`, one
    /// optimizer step per batch, the learning rate growing exponentially from
    /// `config.start_lr` to `config.end_lr` ([`LrFindConfig::lrs`]), and records each step's
    /// loss and its smoothed value. It stops early when the smoothed loss exceeds
    /// `config.divergence` times its minimum, or the loss is not finite.
    ///
    /// The run's own parts are the ones [`Training::fit`] would use: the optimizer
    /// (`--optimizer` and its settings, weight decay, or the one given to
    /// [`Training::optimizer`]), the loss, the batch size, the training batcher (so with the
    /// augmentation) and the shuffle seed. Its learning rate, schedule and epochs do not
    /// apply: the test sets the learning rate of every step. The model is consumed: build a
    /// fresh one to train afterwards.
    ///
    /// ```
    /// # use burn::data::dataloader::batcher::Batcher;
    /// # use burn::data::dataset::InMemDataset;
    /// # use burn::nn::{Linear, LinearConfig};
    /// # use burn::prelude::*;
    /// use ember_train::{Classifier, FitConfig, Labelled, LrFindConfig, RunData, Training};
    /// # #[derive(Module, Debug)]
    /// # struct Line { linear: Linear }
    /// # impl Classifier for Line {
    /// #     type Input = Tensor<2>;
    /// #     fn logits(&self, points: Tensor<2>) -> Tensor<2> { self.linear.forward(points) }
    /// # }
    /// # #[derive(Clone)]
    /// # struct Points;
    /// # impl Batcher<[f32; 2], Labelled<Tensor<2>>> for Points {
    /// #     fn batch(&self, items: Vec<[f32; 2]>, device: &Device) -> Labelled<Tensor<2>> {
    /// #         let labels: Vec<i64> = items.iter().map(|[x, y]| i64::from(y > x)).collect();
    /// #         let flat: Vec<f32> = items.iter().flatten().copied().collect();
    /// #         let points = Tensor::from_data(TensorData::new(flat, [items.len(), 2]), device);
    /// #         (points, Tensor::from_data(TensorData::new(labels, [items.len()]), device))
    /// #     }
    /// # }
    /// # let grid: Vec<[f32; 2]> =
    /// #     (0..256).map(|i| [(i % 16) as f32 / 8.0 - 1.0, (i / 16) as f32 / 8.0 - 1.0]).collect();
    /// // `Line` is a `Linear(2, 2)` classifier, `Points` labels (x, y) by y > x (see the
    /// // crate's example).
    /// let data = RunData::new(
    ///     InMemDataset::new(grid.clone()),
    ///     InMemDataset::new(grid.clone()),
    ///     InMemDataset::new(grid),
    ///     Points,
    ///     vec!["below".into(), "above".into()],
    /// );
    /// let device = Device::flex();
    /// device.seed(0);
    /// let model = Line { linear: LinearConfig::new(2, 2).init(&device) };
    /// let fit = FitConfig::new().with_batch_size(4).with_optimizer("sgd".parse()?);
    /// let finding = Training::new(fit).lr_find(model, &data, &LrFindConfig::new().with_end_lr(1e4))?;
    /// assert_eq!(finding.points[0].lr, 1e-7);
    /// assert!(finding.points.len() <= 64, "one pass of 256 points, 4 a batch");
    /// let lr = finding.suggestion().expect("a point of steepest descent, or the minimum");
    /// assert!(lr > 1e-7 && lr < 1e4, "{lr}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`TrainError::Config`] or [`TrainError::LrRange`] for settings out of range;
    /// [`TrainError::EmptySplit`] when the training split is empty;
    /// [`TrainError::ClassCount`] for a model with another number of outputs than classes;
    /// [`TrainError::Data`] when a batch fails to load.
    pub fn lr_find<M, I, T, E>(
        self,
        model: M,
        data: &RunData<I, T, E>,
        config: &LrFindConfig,
    ) -> Result<LrFinding, TrainError>
    where
        M: Classifier,
        I: Clone + Send + Sync + std::fmt::Debug + 'static,
        T: Batcher<I, Labelled<M::Input>> + Clone + 'static,
    {
        let batch_size = self.config.batch_size;
        if batch_size == 0 {
            return Err(TrainError::Config {
                field: "batch_size",
                value: "0".into(),
                allowed: "at least 1",
            });
        }
        let items = data.sizes()[0];
        if items == 0 {
            return Err(TrainError::EmptySplit { split: "train" });
        }
        check_classes(&model, data)?;
        let steps = config.steps_for(items.div_ceil(batch_size))?;
        let lrs = config.lrs(steps);
        // As burn-train does: the model forked onto its device with autodiff.
        let device = autodiff_device(&model);
        let mut model = model.train().fork(&device);
        let loader = train_loader(&self.config, data).to_device(&device);
        let mut optimizer = optimizer_for(self.optimizer, &self.config);
        let loss_fn = loss_for(self.loss, &self.config);
        let mut recorder = Recorder::new(config.smoothing, config.divergence);
        let stop = 'passes: loop {
            for batch in loader.iter() {
                let (input, targets) = batch.map_err(|e| TrainError::Data {
                    split: "train",
                    message: e.to_string(),
                })?;
                let lr = lrs[recorder.len()];
                let loss = loss_fn.loss(model.logits(input), targets);
                if let Some(stop) = recorder.record(lr, loss.clone().into_scalar::<f64>()) {
                    break 'passes stop;
                }
                let grads = GradientsParams::from_grads(loss.backward(), &model);
                model = optimizer.step(lr, model, grads);
                if recorder.len() == steps {
                    break 'passes LrStop::Finished;
                }
            }
        };
        Ok(recorder.finish(steps, stop))
    }
}

#[cfg(test)]
mod tests {
    use burn::data::dataset::InMemDataset;
    use burn::nn::{Linear, LinearConfig};
    use burn::prelude::*;

    use super::*;
    use crate::FitConfig;

    #[derive(Module, Debug)]
    struct Line {
        linear: Linear,
    }

    impl Classifier for Line {
        type Input = Tensor<2>;
        fn logits(&self, points: Tensor<2>) -> Tensor<2> {
            self.linear.forward(points)
        }
        fn num_classes(&self) -> Option<usize> {
            Some(self.linear.weight.dims()[1])
        }
    }

    /// `(x, y)` points, labelled 1 above the line y = x.
    #[derive(Clone)]
    struct Points;
    impl Batcher<[f32; 2], Labelled<Tensor<2>>> for Points {
        fn batch(&self, items: Vec<[f32; 2]>, device: &Device) -> Labelled<Tensor<2>> {
            let labels: Vec<i64> = items.iter().map(|[x, y]| i64::from(y > x)).collect();
            let flat: Vec<f32> = items.iter().flatten().copied().collect();
            let points = Tensor::from_data(TensorData::new(flat, [items.len(), 2]), device);
            (
                points,
                Tensor::from_data(TensorData::new(labels, [items.len()]), device),
            )
        }
    }

    fn data(n: usize) -> RunData<[f32; 2], Points, Points> {
        let grid: Vec<[f32; 2]> = (0..n)
            .map(|i| [(i % 16) as f32 / 8.0 - 1.0, (i / 16) as f32 / 8.0 - 1.0])
            .collect();
        let classes = vec!["below".to_string(), "above".to_string()];
        let set = || InMemDataset::new(grid.clone());
        RunData::new(set(), set(), set(), Points, classes)
    }

    fn line(outputs: usize) -> Line {
        let device = Device::flex();
        device.seed(3);
        Line {
            linear: LinearConfig::new(2, outputs).init(&device),
        }
    }

    fn sgd(batch_size: usize) -> Training {
        Training::new(
            FitConfig::new()
                .with_batch_size(batch_size)
                .with_optimizer("sgd".parse().unwrap()),
        )
    }

    #[test]
    fn the_steps_take_the_planned_rates_and_stop_when_the_loss_diverges() {
        // 256 points, 8 a batch: one pass of 32 steps from 1e-3 up to 1e6; plain SGD on a
        // linear model blows up long before 1e6.
        let config = LrFindConfig::new().with_start_lr(1e-3).with_end_lr(1e6);
        let finding = sgd(8).lr_find(line(2), &data(256), &config).unwrap();
        assert_eq!(finding.planned_steps, 32);
        let lrs = config.lrs(32);
        for (point, lr) in finding.points.iter().zip(&lrs) {
            assert_eq!(point.lr, *lr);
        }
        let last = finding.points.last().unwrap();
        assert!(last.step < 32, "stopped early: {:?}", finding.stop);
        match finding.stop {
            LrStop::Diverged { step, .. } => assert_eq!(step, last.step),
            LrStop::NonFinite { step, .. } => assert_eq!(step, last.step + 1),
            LrStop::Finished => panic!("the loss did not diverge"),
        }
        let minimum = finding.minimum().unwrap();
        assert!(
            minimum.smoothed_loss < finding.points[0].loss,
            "{finding:?}"
        );
    }

    #[test]
    fn more_steps_than_a_pass_start_another_and_a_gentle_range_finishes() {
        let config = LrFindConfig::new()
            .with_start_lr(1e-4)
            .with_end_lr(1e-2)
            .with_steps(Some(20));
        let finding = sgd(32).lr_find(line(2), &data(64), &config).unwrap();
        assert_eq!(finding.stop, LrStop::Finished);
        let steps: Vec<usize> = finding.points.iter().map(|p| p.step).collect();
        assert_eq!(steps, (1..=20).collect::<Vec<_>>());
        assert!((finding.points[19].lr / 1e-2 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn no_data_or_a_model_of_other_classes_is_refused() {
        let config = LrFindConfig::new();
        let empty = sgd(8).lr_find(line(2), &data(0), &config).unwrap_err();
        assert!(
            matches!(empty, TrainError::EmptySplit { split: "train" }),
            "{empty}"
        );
        let three = sgd(8).lr_find(line(3), &data(16), &config).unwrap_err();
        assert!(
            three.to_string().contains("build the model with 2 outputs"),
            "{three}"
        );
        let backwards = LrFindConfig::new().with_start_lr(1.0).with_end_lr(1.0);
        let err = sgd(8).lr_find(line(2), &data(16), &backwards).unwrap_err();
        assert!(matches!(err, TrainError::LrRange { .. }), "{err}");
    }
}
