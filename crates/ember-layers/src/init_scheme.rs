//! Re-initialising a whole network by one scheme (`--init`), layer shapes read from the
//! modules themselves.

use std::fmt;
use std::str::FromStr;

use burn::module::{Module, ModuleMapper, Param};
use burn::prelude::*;

use crate::Initializer;

/// How every weight of a network starts, by name (`--init NAME[:VALUE]`). Weights are the
/// `weight…` parameters of its dense, convolutional and recurrent layers; every `bias…`
/// parameter starts at 0 under each scheme. Embedding tables, normalisation scales and
/// shifts and PReLU slopes keep their own initialisation.
///
/// | name | weights | as in |
/// |---|---|---|
/// | `zeros` | 0 | — (fails to break symmetry) |
/// | `constant[:c]` | `c` (default 0.01) | — (fails to break symmetry) |
/// | `normal[:σ]` | `N(0, σ²)` (default σ = 0.01) | d2l's `normal_(std=0.01)` |
/// | `uniform[:a]` | `U(−a, a)` (default a = 0.05) | Keras `RandomUniform` |
/// | `xavier` | `U(±√(6/(fan_in + fan_out)))` | Glorot & Bengio 2010, Keras's default |
/// | `he` (or `kaiming`) | `N(0, 2/fan_in)` | He et al. 2015, PyTorch `kaiming_normal_` |
///
/// Fans: a dense layer `[in, out]` (burn's `Linear`) has `fan_in = in`, `fan_out = out`; a
/// convolution `[out, in, k_h, k_w]` has `fan_in = in·k_h·k_w`, `fan_out = out·k_h·k_w`;
/// a recurrent weight `[rows, cols]` (PyTorch's layout) has `fan_in = cols`, `fan_out = rows`.
///
/// ```
/// use ember_layers::InitScheme;
///
/// assert_eq!("normal:0.1".parse::<InitScheme>()?, InitScheme::Normal(0.1));
/// assert_eq!("he".parse::<InitScheme>()?, InitScheme::He);
/// assert_eq!(InitScheme::Constant(0.01).to_string(), "constant:0.01");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InitScheme {
    /// Every weight 0.
    Zeros,
    /// Every weight this value.
    Constant(f64),
    /// `N(0, σ²)` with this σ.
    Normal(f64),
    /// `U(−a, a)` with this `a`.
    Uniform(f64),
    /// Glorot uniform.
    Xavier,
    /// He (Kaiming) normal, for ReLU.
    He,
}

impl InitScheme {
    /// The names [`FromStr`] accepts.
    pub const NAMES: &'static [&'static str] =
        &["zeros", "constant", "normal", "uniform", "xavier", "he"];

    /// `module` with every weight drawn anew by this scheme (from the device's generator:
    /// seed it for a repeatable start) and every bias at 0.
    pub fn apply<M: Module>(&self, module: M) -> M {
        module.map(&mut Reinit {
            scheme: *self,
            path: Vec::new(),
        })
    }

    /// burn's initializer for a weight of these fans.
    fn initializer(&self) -> Initializer {
        match *self {
            InitScheme::Zeros => Initializer::Zeros,
            InitScheme::Constant(value) => Initializer::Constant { value },
            InitScheme::Normal(std) => Initializer::Normal { mean: 0.0, std },
            InitScheme::Uniform(a) => Initializer::Uniform { min: -a, max: a },
            InitScheme::Xavier => Initializer::XavierUniform { gain: 1.0 },
            InitScheme::He => Initializer::KaimingNormal {
                gain: 2f64.sqrt(),
                fan_out_only: false,
            },
        }
    }
}

impl fmt::Display for InitScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitScheme::Zeros => write!(f, "zeros"),
            InitScheme::Constant(v) => write!(f, "constant:{v}"),
            InitScheme::Normal(v) => write!(f, "normal:{v}"),
            InitScheme::Uniform(v) => write!(f, "uniform:{v}"),
            InitScheme::Xavier => write!(f, "xavier"),
            InitScheme::He => write!(f, "he"),
        }
    }
}

impl FromStr for InitScheme {
    type Err = String;

    /// `NAME` or `NAME:VALUE` (constant, normal, uniform), case ignored.
    fn from_str(s: &str) -> Result<Self, String> {
        let spec = s.trim().to_ascii_lowercase();
        let (name, value) = match spec.split_once(':') {
            Some((name, value)) => (name, Some(value)),
            None => (spec.as_str(), None),
        };
        let number = |default: f64, positive: bool| -> Result<f64, String> {
            let Some(text) = value else {
                return Ok(default);
            };
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && (!positive || v > 0.0) => Ok(v),
                _ => Err(format!(
                    "--init {s}: `{text}` must be a finite number{}",
                    if positive { " above 0" } else { "" }
                )),
            }
        };
        let bare = |scheme: InitScheme| match value {
            None => Ok(scheme),
            Some(_) => Err(format!("--init {s}: `{name}` takes no value")),
        };
        match name {
            "zeros" => bare(InitScheme::Zeros),
            "constant" => Ok(InitScheme::Constant(number(0.01, false)?)),
            "normal" => Ok(InitScheme::Normal(number(0.01, true)?)),
            "uniform" => Ok(InitScheme::Uniform(number(0.05, true)?)),
            "xavier" | "glorot" => bare(InitScheme::Xavier),
            "he" | "kaiming" => bare(InitScheme::He),
            _ => Err(format!(
                "unknown --init `{name}`; choose one of {} (constant, normal and uniform take \
                 an optional value, e.g. normal:0.1)",
                Self::NAMES.join(", ")
            )),
        }
    }
}

/// The mapper: tracks the module path to know which layer a parameter belongs to.
struct Reinit {
    scheme: InitScheme,
    /// `(field name, container type)` from the root down.
    path: Vec<(String, String)>,
}

/// Layers whose `weight` is not a weight in the scheme's sense.
const KEEP: &[&str] = &["Struct:Embedding"];

impl ModuleMapper for Reinit {
    fn enter_module(&mut self, name: &str, container_type: &str) {
        self.path
            .push((name.to_string(), container_type.to_string()));
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let Some((field, layer)) = self.path.last() else {
            return param;
        };
        if KEEP.contains(&layer.as_str()) {
            return param;
        }
        let dims = param.lazy_shape().dims::<D>();
        let device = param.lazy_device();
        if field.starts_with("bias") {
            return Initializer::Zeros.init(dims, &device);
        }
        if !field.starts_with("weight") || D < 2 {
            return param;
        }
        let [fan_in, fan_out] = fans(&dims, layer == "Struct:Linear");
        self.scheme
            .initializer()
            .init_with(dims, Some(fan_in), Some(fan_out), &device)
    }
}

/// `[fan_in, fan_out]` of a weight: `[in, out]` for burn's `Linear`, `[out, in, k…]`
/// otherwise.
fn fans(dims: &[usize], in_out: bool) -> [usize; 2] {
    let receptive: usize = dims[2..].iter().product();
    if in_out {
        [dims[0], dims[1]]
    } else {
        [dims[1] * receptive, dims[0] * receptive]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Conv2d, Conv2dConfig, Embedding, EmbeddingConfig, Linear, LinearConfig};

    use ember_testkit::{for_each_device, values};

    #[derive(Module, Debug)]
    struct Net {
        embed: Embedding,
        conv: Conv2d,
        dense: Linear,
    }

    fn net(device: &Device) -> Net {
        Net {
            embed: EmbeddingConfig::new(10, 4).init(device),
            conv: Conv2dConfig::new([3, 20], [5, 5]).init(device),
            dense: LinearConfig::new(400, 300).init(device),
        }
    }

    fn std(v: &[f32]) -> f64 {
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64;
        (v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
    }

    #[test]
    fn names_and_values_parse_and_print_back() {
        for s in [
            "zeros",
            "constant:0.5",
            "normal:0.1",
            "uniform:0.2",
            "xavier",
            "he",
        ] {
            assert_eq!(s.parse::<InitScheme>().unwrap().to_string(), s);
        }
        assert_eq!("Kaiming".parse(), Ok(InitScheme::He));
        assert_eq!("normal".parse(), Ok(InitScheme::Normal(0.01)));
        assert!("normal:-1"
            .parse::<InitScheme>()
            .unwrap_err()
            .contains("above 0"));
        assert!("he:2"
            .parse::<InitScheme>()
            .unwrap_err()
            .contains("takes no value"));
        assert!("orthogonal"
            .parse::<InitScheme>()
            .unwrap_err()
            .starts_with("unknown --init `orthogonal`; choose one of zeros, constant"));
    }

    #[test]
    fn zeros_and_constants_fill_every_weight_and_zero_every_bias() {
        for_each_device(|device| {
            let n = InitScheme::Constant(0.25).apply(net(device));
            assert!(values(n.dense.weight.val()).iter().all(|&w| w == 0.25));
            assert!(values(n.conv.weight.val()).iter().all(|&w| w == 0.25));
            let bias = n.dense.bias.as_ref().unwrap().val();
            assert!(values(bias).iter().all(|&b| b == 0.0));
            let n = InitScheme::Zeros.apply(n);
            assert!(values(n.conv.weight.val()).iter().all(|&w| w == 0.0));
        });
    }

    #[test]
    fn xavier_and_he_scale_with_the_layers_fans() {
        // Dense 400 → 300: Xavier uniform std √(2/700) = 0.05345, He std √(2/400) = 0.07071.
        // Conv 3 → 20, 5×5: fan_in 75, fan_out 500: Xavier √(2/575) = 0.05898,
        // He √(2/75) = 0.16330. Sample stds of 120,000 and 1,500 draws.
        for_each_device(|device| {
            device.seed(7);
            let n = InitScheme::Xavier.apply(net(device));
            let dense = values(n.dense.weight.val());
            assert!((std(&dense) - 0.05345).abs() < 0.001, "{}", std(&dense));
            let bound = (6.0f32 / 700.0).sqrt();
            assert!(dense.iter().all(|w| w.abs() <= bound));
            let conv = std(&values(n.conv.weight.val()));
            assert!((conv - 0.05898).abs() < 0.003, "{conv}");
            let n = InitScheme::He.apply(n);
            let dense = std(&values(n.dense.weight.val()));
            assert!((dense - 0.07071).abs() < 0.001, "{dense}");
            let conv = std(&values(n.conv.weight.val()));
            assert!((conv - 0.16330).abs() < 0.008, "{conv}");
        });
    }

    #[test]
    fn embeddings_keep_their_table() {
        for_each_device(|device| {
            let before = net(device);
            let table = values(before.embed.weight.val());
            let after = InitScheme::Zeros.apply(before);
            assert_eq!(values(after.embed.weight.val()), table);
        });
    }

    #[test]
    fn fans_follow_each_layout() {
        assert_eq!(fans(&[400, 300], true), [400, 300]);
        assert_eq!(fans(&[20, 3, 5, 5], false), [75, 500]);
        assert_eq!(fans(&[512, 100], false), [100, 512]);
    }
}
