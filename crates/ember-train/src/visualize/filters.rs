//! A convolutional network's kernels as pictures: the first layer's filters as images, the
//! deeper layers' kernels one per (output, input) channel pair.

use burn::module::{Module, ModuleVisitor, Param};
use burn::prelude::*;
use image::Rgb;

use super::grid::{file_stem, grey_levels, Grid, Picture};
use super::params::ModulePath;
use crate::TrainError;

/// Pixels a kernel tile is enlarged to, about, per side (5×5 kernels: 9×, 45 px).
pub const KERNEL_TILE: usize = 48;

/// Rows and columns a per-channel picture shows at most, by default
/// ([`filter_pictures`]): the first 32 output and 32 input channels.
pub const CHANNEL_LIMIT: usize = 32;

/// A convolution's kernels as a model holds them: one of its rank-4 weights.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvKernels {
    /// The parameter's module path: `c1.weight`, `conv2.weight` (enum variants left out).
    pub name: String,
    /// `[out_channels, in_channels, kh, kw]` (input channels per group in a grouped
    /// convolution).
    pub shape: [usize; 4],
    /// The weights, row-major in `shape`.
    pub values: Vec<f32>,
}

impl ConvKernels {
    /// Every rank-4 float parameter of `model` (the weight of a `Conv2d`, or of any layer of
    /// yours holding `[out, in, kh, kw]` kernels), in the order the module declares them:
    /// the first convolution first.
    pub fn of<M: Module>(model: &M) -> Vec<Self> {
        #[derive(Default)]
        struct Collect {
            path: ModulePath,
            found: Vec<ConvKernels>,
        }
        impl ModuleVisitor for Collect {
            fn enter_module(&mut self, name: &str, container_type: &str) {
                self.path.enter(name, container_type);
            }
            fn exit_module(&mut self, _: &str, container_type: &str) {
                self.path.exit(container_type);
            }
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                if D != 4 {
                    return;
                }
                let value = param.val();
                let dims = value.dims();
                let values = read_f32(value);
                self.found.push(ConvKernels {
                    name: self.path.name(),
                    shape: [dims[0], dims[1], dims[2], dims[3]],
                    values,
                });
            }
        }
        let mut collect = Collect::default();
        model.visit(&mut collect);
        collect.found
    }

    /// The layer's name: the path without its `.weight` (`c1`).
    pub fn layer(&self) -> &str {
        self.name.strip_suffix(".weight").unwrap_or(&self.name)
    }

    /// The grey levels of output channel `o`'s kernel (all its input channels), min-max
    /// scaled over that kernel alone, `[in, kh, kw]` row-major.
    fn kernel_levels(&self, o: usize) -> Vec<u8> {
        let [_, c, kh, kw] = self.shape;
        let len = c * kh * kw;
        grey_levels(&self.values[o * len..(o + 1) * len])
    }

    /// The filters as images, one tile per output channel in a near-square grid: in colour
    /// (input channels as red, green, blue) with 3 input channels, grey with 1; each kernel
    /// min-max scaled on its own ([`grey_levels`]), enlarged to about [`KERNEL_TILE`] pixels.
    /// `None` with another number of input channels: see [`per_channel`](Self::per_channel).
    pub fn overview(&self) -> Option<Picture> {
        let [out, c, kh, kw] = self.shape;
        if !matches!(c, 1 | 3) {
            return None;
        }
        let levels: Vec<Vec<u8>> = (0..out).map(|o| self.kernel_levels(o)).collect();
        let grid = Grid::square(out, [kh, kw], KERNEL_TILE);
        let image = grid.paint(|o, y, x| {
            let at = |channel: usize| levels[o][(channel * kh + y) * kw + x];
            if c == 3 {
                Rgb([at(0), at(1), at(2)])
            } else {
                Rgb([at(0); 3])
            }
        });
        Some(Picture {
            file: format!("filters-{}.png", file_stem(&self.name)),
            caption: format!(
                "{} {:?}: {out} filters of {kh}x{kw} ({}), {} columns, each {}x",
                self.name,
                self.shape,
                if c == 3 { "RGB" } else { "grey" },
                grid.columns,
                grid.scale
            ),
            image,
        })
    }

    /// Every kernel of the layer as a grey tile: one row per output channel, one column per
    /// input channel, the first `limit` of each; each output channel's kernels min-max
    /// scaled together (so a row shows which inputs the filter weighs most), enlarged to
    /// about [`KERNEL_TILE`] pixels.
    pub fn per_channel(&self, limit: usize) -> Picture {
        let [out, c, kh, kw] = self.shape;
        let (rows, columns) = (out.min(limit.max(1)), c.min(limit.max(1)));
        let levels: Vec<Vec<u8>> = (0..rows).map(|o| self.kernel_levels(o)).collect();
        let grid = Grid::table(rows, columns, [kh, kw], KERNEL_TILE);
        let image = grid.paint(|tile, y, x| {
            let (o, i) = (tile / columns, tile % columns);
            Rgb([levels[o][(i * kh + y) * kw + x]; 3])
        });
        let cut = if (rows, columns) == (out, c) {
            String::new()
        } else {
            format!(" (the first {rows} of {out} outputs x {columns} of {c} inputs: limit {limit})")
        };
        Picture {
            file: format!("filters-{}.png", file_stem(&self.name)),
            caption: format!(
                "{} {:?}: rows = output channels, columns = input channels, {kh}x{kw} \
                 kernels, each {}x{cut}",
                self.name, self.shape, grid.scale
            ),
            image,
        }
    }
}

/// The pictures of every convolution of `model` ([`ConvKernels::of`]): the first one's
/// [`overview`](ConvKernels::overview) (its [`per_channel`](ConvKernels::per_channel)
/// picture when it has neither 1 nor 3 input channels), then the deeper ones' per-channel
/// pictures with at most `limit` rows and columns.
///
/// ```
/// use burn::nn::conv::{Conv2d, Conv2dConfig};
/// use burn::prelude::*;
///
/// #[derive(Module, Debug)]
/// struct Net { c1: Conv2d, c2: Conv2d }
///
/// let device = Device::flex();
/// let net = Net {
///     c1: Conv2dConfig::new([3, 8], [5, 5]).init(&device),
///     c2: Conv2dConfig::new([8, 40], [3, 3]).init(&device),
/// };
/// let pictures = ember_train::filter_pictures(&net, 32)?;
/// // c1: 8 RGB filters, 3 × 3 tiles of 45 px; c2: 32 of 40 rows × 8 columns of 48 px tiles.
/// assert_eq!(pictures[0].image.dimensions(), (3 * 45 + 4, 3 * 45 + 4));
/// assert_eq!(pictures[1].image.dimensions(), (8 * 48 + 9, 32 * 48 + 33));
/// assert!(pictures[1].caption.contains("the first 32 of 40 outputs"));
/// # Ok::<(), ember_train::TrainError>(())
/// ```
///
/// # Errors
/// [`TrainError::NoConvolution`] when the model has no rank-4 weight.
pub fn filter_pictures<M: Module>(model: &M, limit: usize) -> Result<Vec<Picture>, TrainError> {
    let kernels = ConvKernels::of(model);
    if kernels.is_empty() {
        return Err(TrainError::NoConvolution {
            model: type_name::<M>(),
            wanted: "filters",
        });
    }
    Ok(kernels
        .iter()
        .enumerate()
        .map(|(i, k)| match (i, k.overview()) {
            (0, Some(overview)) => overview,
            _ => k.per_channel(limit),
        })
        .collect())
}

/// A tensor's values as `f32`, row-major.
pub(crate) fn read_f32<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .try_into_vec_as::<f32>()
        .expect("a float tensor reads back as f32")
}

/// `ember_models::LstmClassifier` → `LstmClassifier`.
pub(crate) fn type_name<M>() -> String {
    let full = std::any::type_name::<M>();
    let plain = full.split('<').next().unwrap_or(full);
    plain.rsplit("::").next().unwrap_or(plain).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::conv::{Conv2d, Conv2dConfig};
    use burn::nn::{Linear, LinearConfig};

    #[derive(Module, Debug)]
    struct Net {
        c1: Conv2d,
        dense: Linear,
        c2: Conv2d,
    }

    #[derive(Module, Debug)]
    enum Variant {
        Only(Net),
    }

    fn net(device: &Device) -> Net {
        Net {
            c1: Conv2dConfig::new([1, 6], [5, 5]).init(device),
            dense: LinearConfig::new(4, 2).init(device),
            c2: Conv2dConfig::new([6, 16], [5, 5]).init(device),
        }
    }

    #[test]
    fn every_rank_4_weight_is_found_by_its_path_without_enum_variants() {
        let device = Device::flex();
        let model = Variant::Only(net(&device));
        let kernels = ConvKernels::of(&model);
        let names: Vec<_> = kernels.iter().map(|k| (k.name.as_str(), k.shape)).collect();
        assert_eq!(
            names,
            [("c1.weight", [6, 1, 5, 5]), ("c2.weight", [16, 6, 5, 5])]
        );
        assert_eq!(kernels[0].values.len(), 150);
        assert_eq!(kernels[0].layer(), "c1");
    }

    #[test]
    fn lenet_like_layers_give_a_grey_overview_and_a_per_channel_table() {
        let device = Device::flex();
        let pictures = filter_pictures(&net(&device), CHANNEL_LIMIT).unwrap();
        // c1: 6 kernels of 5×5 at 9× (45 px), 3 columns × 2 rows, 1 px gaps.
        assert_eq!(pictures[0].file, "filters-c1.png");
        assert_eq!(pictures[0].image.dimensions(), (3 * 45 + 4, 2 * 45 + 3));
        let p = pictures[0].image.get_pixel(5, 5);
        assert!(p[0] == p[1] && p[1] == p[2], "grey: {p:?}");
        // c2: 16 rows × 6 columns of 45 px.
        assert_eq!(pictures[1].file, "filters-c2.png");
        assert_eq!(pictures[1].image.dimensions(), (6 * 45 + 7, 16 * 45 + 17));
    }

    #[test]
    fn a_known_kernel_becomes_the_known_grey_levels() {
        // One 2×2 kernel [-1, 0; 1, 3] at 24× (48 / 2): (v + 1) / 4 · 255 → 0, 64; 128, 255.
        let kernels = ConvKernels {
            name: "c1.weight".into(),
            shape: [1, 1, 2, 2],
            values: vec![-1.0, 0.0, 1.0, 3.0],
        };
        let picture = kernels.overview().unwrap();
        assert_eq!(picture.image.dimensions(), (48 + 2, 48 + 2));
        let at = |x: u32, y: u32| picture.image.get_pixel(x, y)[0];
        assert_eq!(
            [at(1, 1), at(25, 1), at(1, 25), at(48, 48)],
            [0, 64, 128, 255]
        );
    }

    #[test]
    fn three_input_channels_are_red_green_and_blue_scaled_together() {
        // One 1×1 RGB kernel (r, g, b) = (2, 0, 1): min 0, max 2 → (255, 0, 128).
        let kernels = ConvKernels {
            name: "conv1.weight".into(),
            shape: [1, 3, 1, 1],
            values: vec![2.0, 0.0, 1.0],
        };
        let picture = kernels.overview().unwrap();
        assert_eq!(*picture.image.get_pixel(1, 1), Rgb([255, 0, 128]));
        // 2 input channels: no overview, a per-channel table instead.
        let two = ConvKernels {
            shape: [1, 2, 1, 1],
            values: vec![0.0, 1.0],
            ..kernels
        };
        assert!(two.overview().is_none());
        assert_eq!(two.per_channel(8).image.dimensions(), (2 * 48 + 3, 48 + 2));
    }

    #[test]
    fn a_model_without_convolutions_is_refused_with_what_to_use_instead() {
        let dense = LinearConfig::new(4, 2).init(&Device::flex());
        let err = filter_pictures(&dense, CHANNEL_LIMIT)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("Linear has no convolution layer"), "{err}");
        assert!(err.contains("gradient norms work for any model"), "{err}");
    }
}
