//! What each convolution of a network computes for one image: its activations, as pictures.

use burn::prelude::*;
use image::Rgb;

use super::filters::{read_f32, type_name, ConvKernels};
use super::grid::{file_stem, grey_levels, Grid, Picture};
use crate::{Classifier, TrainError};

/// Pixels a feature-map tile is enlarged to, about, per side (28×28 maps: 2×, 56 px).
pub const MAP_TILE: usize = 64;

/// One convolution layer's activations for one image.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerMaps {
    /// The layer, as the model names it (`c1`, `conv1`).
    pub name: String,
    /// `[channels, height, width]`.
    pub shape: [usize; 3],
    /// The activations, row-major in `shape`.
    pub values: Vec<f32>,
}

impl LayerMaps {
    /// One grey tile per channel in a near-square grid, each map min-max scaled on its own
    /// ([`grey_levels`]: a map that is constant, e.g. all zero after a ReLU, is black),
    /// enlarged to about [`MAP_TILE`] pixels. Maps of a single pixel (LeNet-5's C5) have no
    /// contrast of their own and are scaled together, over the layer.
    pub fn picture(&self) -> Picture {
        let [c, h, w] = self.shape;
        let levels: Vec<Vec<u8>> = if h * w == 1 {
            grey_levels(&self.values)
                .into_iter()
                .map(|v| vec![v])
                .collect()
        } else {
            self.values.chunks(h * w).map(grey_levels).collect()
        };
        let grid = Grid::square(c, [h, w], MAP_TILE);
        let image = grid.paint(|m, y, x| Rgb([levels[m][y * w + x]; 3]));
        Picture {
            file: format!("feature-maps-{}.png", file_stem(&self.name)),
            caption: format!(
                "{} {:?}: {c} maps of {h}x{w}, {} columns, each {}x",
                self.name, self.shape, grid.columns, grid.scale
            ),
            image,
        }
    }
}

/// Each convolution's feature maps for one image, as the model's
/// [`Classifier::feature_maps`] gives them.
///
/// ```
/// use burn::nn::conv::{Conv2d, Conv2dConfig};
/// use burn::nn::{Linear, LinearConfig};
/// use burn::prelude::*;
/// use burn::tensor::activation::relu;
/// use ember_train::{Classifier, FeatureMaps};
///
/// #[derive(Module, Debug)]
/// struct Net { c1: Conv2d, head: Linear }
///
/// impl Net {
///     /// The forward pass, handing each convolution's activations to `tap`.
///     fn run(&self, x: Tensor<4>, tap: &mut dyn FnMut(&str, &Tensor<4>)) -> Tensor<2> {
///         let x = relu(self.c1.forward(x));
///         tap("c1", &x);
///         self.head.forward(x.flatten(1, 3))
///     }
/// }
///
/// impl Classifier for Net {
///     type Input = Tensor<4>;
///     fn logits(&self, x: Tensor<4>) -> Tensor<2> { self.run(x, &mut |_, _| {}) }
///     fn input_shape(&self) -> Option<Vec<usize>> { Some(vec![1, 8, 8]) }
///     fn feature_maps(&self, x: Tensor<4>) -> Vec<(String, Tensor<4>)> {
///         let mut maps = Vec::new();
///         self.run(x, &mut |name, x| maps.push((name.to_string(), x.clone())));
///         maps
///     }
/// }
///
/// let device = Device::flex();
/// let net = Net {
///     c1: Conv2dConfig::new([1, 4], [3, 3]).init(&device),
///     head: LinearConfig::new(4 * 6 * 6, 2).init(&device),
/// };
/// let maps = FeatureMaps::capture(&net, Tensor::ones([1, 1, 8, 8], &device))?;
/// assert_eq!(maps.layers[0].shape, [4, 6, 6]);
/// // 2 × 2 tiles of 6×6 maps at 10× (64 / 6): 2·60 + 3 pixels a side.
/// assert_eq!(maps.pictures()[0].image.dimensions(), (123, 123));
/// // An image of another size is refused, naming both shapes.
/// let err = FeatureMaps::capture(&net, Tensor::ones([1, 1, 9, 9], &device)).unwrap_err();
/// assert!(err.to_string().contains("[1, 1, 9, 9] but the model takes [1, 1, 8, 8]"), "{err}");
/// # Ok::<(), ember_train::TrainError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMaps {
    /// The layers, in forward order.
    pub layers: Vec<LayerMaps>,
}

impl FeatureMaps {
    /// Runs `model` on one image `[1, channels, height, width]` (batched as the model's
    /// evaluation data is: padded, resized, normalised) and keeps each convolution's
    /// activations.
    ///
    /// # Errors
    /// [`TrainError::InputShape`] for a batch of more than one image, or an image of another
    /// shape than the model's [`input_shape`](Classifier::input_shape);
    /// [`TrainError::NoConvolution`] for a model without convolutions;
    /// [`TrainError::NoFeatureMaps`] for one whose [`Classifier::feature_maps`] gives none.
    pub fn capture<M>(model: &M, image: Tensor<4>) -> Result<Self, TrainError>
    where
        M: Classifier<Input = Tensor<4>>,
    {
        let [n, c, h, w] = image.dims();
        let expected = model.input_shape().unwrap_or_else(|| vec![c, h, w]);
        if n != 1 || expected != [c, h, w] {
            return Err(TrainError::InputShape {
                expected: [&[1][..], &expected].concat(),
                found: vec![n, c, h, w],
                fix: format!(
                    "give one image of {expected:?} (channels, height, width), prepared as \
                     the model's evaluation data is"
                ),
            });
        }
        let maps = model.feature_maps(image);
        if maps.is_empty() {
            let model_name = type_name::<M>();
            return Err(if ConvKernels::of(model).is_empty() {
                TrainError::NoConvolution {
                    model: model_name,
                    wanted: "feature maps",
                }
            } else {
                TrainError::NoFeatureMaps { model: model_name }
            });
        }
        let layers = maps
            .into_iter()
            .map(|(name, maps)| {
                let [_, c, h, w] = maps.dims();
                LayerMaps {
                    name,
                    shape: [c, h, w],
                    values: read_f32(maps.narrow(0, 0, 1)),
                }
            })
            .collect();
        Ok(FeatureMaps { layers })
    }

    /// One [`LayerMaps::picture`] per layer.
    pub fn pictures(&self) -> Vec<Picture> {
        self.layers.iter().map(LayerMaps::picture).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::conv::{Conv2d, Conv2dConfig};
    use burn::nn::{Linear, LinearConfig};

    /// A convolution whose maps the model does not report.
    #[derive(Module, Debug)]
    struct Silent {
        c1: Conv2d,
    }

    impl Classifier for Silent {
        type Input = Tensor<4>;
        fn logits(&self, x: Tensor<4>) -> Tensor<2> {
            self.c1.forward(x).flatten(1, 3)
        }
    }

    #[derive(Module, Debug)]
    struct Dense {
        layer: Linear,
    }

    impl Classifier for Dense {
        type Input = Tensor<4>;
        fn logits(&self, x: Tensor<4>) -> Tensor<2> {
            self.layer.forward(x.flatten(1, 3))
        }
    }

    #[test]
    fn each_map_is_scaled_on_its_own_and_a_constant_one_is_black() {
        // Two 1×3 maps: [0, 5, 10] → 0, 128, 255; [7, 7, 7] → black.
        let layer = LayerMaps {
            name: "c1".into(),
            shape: [2, 1, 3],
            values: vec![0.0, 5.0, 10.0, 7.0, 7.0, 7.0],
        };
        let picture = layer.picture();
        // 2 columns of 3·21 = 63 px (64 / 3 = 21×), 1 row of 21 px.
        assert_eq!(picture.image.dimensions(), (2 * 63 + 3, 21 + 2));
        let at = |x: u32| picture.image.get_pixel(x, 1)[0];
        assert_eq!(
            [at(1), at(22), at(43), at(65), at(127)],
            [0, 128, 255, 0, 0]
        );
        assert_eq!(picture.file, "feature-maps-c1.png");
        // Three 1×1 maps 1, 2, 3 are scaled together: 0, 128, 255.
        let dots = LayerMaps {
            name: "c5".into(),
            shape: [3, 1, 1],
            values: vec![1.0, 2.0, 3.0],
        };
        let image = dots.picture().image;
        // 2 columns of 64 px (64×), 2 rows.
        assert_eq!(image.dimensions(), (2 * 64 + 3, 2 * 64 + 3));
        let at = |x: u32, y: u32| image.get_pixel(x, y)[0];
        assert_eq!([at(1, 1), at(66, 1), at(1, 66)], [0, 128, 255]);
    }

    #[test]
    fn a_model_without_maps_says_whether_it_has_convolutions() {
        let device = Device::flex();
        let image = Tensor::zeros([1, 1, 4, 4], &device);
        let silent = Silent {
            c1: Conv2dConfig::new([1, 2], [3, 3]).init(&device),
        };
        let err = FeatureMaps::capture(&silent, image.clone()).unwrap_err();
        assert!(matches!(err, TrainError::NoFeatureMaps { .. }), "{err}");
        assert!(err
            .to_string()
            .contains("implement `Classifier::feature_maps`"));
        let dense = Dense {
            layer: LinearConfig::new(16, 2).init(&device),
        };
        let err = FeatureMaps::capture(&dense, image).unwrap_err();
        assert!(matches!(err, TrainError::NoConvolution { .. }), "{err}");
        let err = FeatureMaps::capture(&dense, Tensor::zeros([2, 1, 4, 4], &device));
        assert!(
            err.unwrap_err().to_string().contains("give one image"),
            "a batch of two is refused"
        );
    }
}
