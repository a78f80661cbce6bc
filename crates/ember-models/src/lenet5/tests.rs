use super::*;
use burn::module::Module;

fn device() -> Device {
    Device::flex()
}

#[test]
fn both_variants_map_images_to_logits() {
    for variant in [LeNetVariant::Modern, LeNetVariant::Classic] {
        let model = LeNet5Config::new().with_variant(variant).init(&device());
        let y = model.forward(Tensor::zeros([3, 1, 32, 32], &device()));
        assert_eq!(y.dims(), [3, 10], "{variant}");
    }
}

#[test]
fn classic_summary_reproduces_the_papers_counts() {
    // LeCun et al. 1998, §II.B: (parameters, connections) per layer.
    let s = LeNet5Config::new()
        .with_variant(LeNetVariant::Classic)
        .init(&device())
        .summary();
    let expected = [
        ("C1", 156, 122_304, vec![6, 28, 28]),
        ("S2", 12, 5_880, vec![6, 14, 14]),
        ("C3", 1_516, 151_600, vec![16, 10, 10]),
        ("S4", 32, 2_000, vec![16, 5, 5]),
        ("C5", 48_120, 48_120, vec![120, 1, 1]),
        ("F6", 10_164, 10_164, vec![84]),
    ];
    for (name, params, connections, shape) in expected {
        let row = s.row(name).unwrap();
        assert_eq!(
            (row.params, row.connections, &row.output),
            (params, connections, &shape),
            "{name}"
        );
    }
}

#[test]
fn summary_totals_agree_with_burns_parameter_count() {
    for variant in [LeNetVariant::Modern, LeNetVariant::Classic] {
        let model = LeNet5Config::new().with_variant(variant).init(&device());
        assert_eq!(
            model.summary().total_params(),
            model.num_params(),
            "{variant}"
        );
    }
    // Modern: 156 + 2,416 + 48,120 + 10,164 + 850 (hand-summed).
    let modern = LeNet5Config::new().init(&device());
    assert_eq!(modern.num_params(), 61_706);
}

#[test]
#[should_panic(expected = "LeNet-5 takes [n, 1, 32, 32] images, got [n, 1, 28, 28]")]
fn unpadded_digits_are_refused_with_the_fix() {
    let model = LeNet5Config::new().init(&device());
    model.forward(Tensor::zeros([1, 1, 28, 28], &device()));
}

#[test]
fn variants_parse_from_names() {
    assert_eq!("Classic".parse::<LeNetVariant>(), Ok(LeNetVariant::Classic));
    assert_eq!("modern".parse::<LeNetVariant>(), Ok(LeNetVariant::Modern));
    assert_eq!(LeNetVariant::Classic.to_string(), "classic");
    let err = "resnet".parse::<LeNetVariant>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown LeNet-5 variant `resnet`; choose one of: modern, classic"
    );
}

#[test]
fn every_activation_and_batch_norm_give_logits() {
    let images = Tensor::<4>::random(
        [4, 1, 32, 32],
        burn::tensor::Distribution::Default,
        &device(),
    );
    for &name in ActivationKind::NAMES {
        for batch_norm in [false, true] {
            let model = LeNet5Config::new()
                .with_activation(Some(name.parse().unwrap()))
                .with_batch_norm(Some(batch_norm))
                .init(&device());
            let y = model.forward(images.clone());
            assert_eq!(y.dims(), [4, 10], "{name}, batch norm {batch_norm}");
            let finite = y.is_finite().all().into_scalar::<bool>();
            assert!(finite, "{name}, batch norm {batch_norm}");
        }
    }
}

#[test]
fn batch_norm_and_prelu_add_their_parameters() {
    // Batch norm: γ, β (trainable) and the running mean and variance (state, which
    // `num_params` counts too) over 6 + 16 + 120 + 84 = 226 channels: 4·226 = 904.
    let bn = LeNet5Config::new()
        .with_batch_norm(Some(true))
        .init(&device());
    assert_eq!(bn.num_params(), 61_706 + 904);
    assert_eq!(bn.summary().total_params(), 61_706 + 2 * 226);
    // PReLU: one slope per channel of each hidden layer, 226.
    let prelu = LeNet5Config::new()
        .with_activation(Some(ActivationKind::PRelu))
        .init(&device());
    assert_eq!(prelu.num_params(), 61_706 + 226);
}

#[test]
fn the_classic_variant_refuses_the_modern_settings() {
    let classic = LeNet5Config::new().with_variant(LeNetVariant::Classic);
    let err = classic
        .clone()
        .with_activation(Some(ActivationKind::Sigmoid))
        .check()
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "model configuration: `activation` sets the hidden activation: the classic LeNet-5"
        ),
        "{err}"
    );
    assert!(err.ends_with("use --variant modern"), "{err}");
    assert!(classic.with_batch_norm(Some(true)).check().is_err());
}

#[test]
fn zero_initialisation_makes_every_image_look_the_same() {
    // All weights and biases 0: every logit of every image is 0 (nothing to break symmetry).
    let model = LeNet5Config::new()
        .with_init(Some(InitScheme::Zeros))
        .init(&device());
    let images = Tensor::<4>::random(
        [2, 1, 32, 32],
        burn::tensor::Distribution::Default,
        &device(),
    );
    let y: Vec<f32> = model.forward(images).into_data().try_to_vec().unwrap();
    assert!(y.iter().all(|&v| v == 0.0), "{y:?}");
}

#[cfg(feature = "train")]
#[test]
fn feature_maps_are_each_convolutions_activations_in_forward_order() {
    use ember_train::Classifier;
    let image = || Tensor::<4>::ones([1, 1, 32, 32], &device());
    let shapes = |model: &LeNet5| -> Vec<(String, [usize; 4])> {
        let maps = model.feature_maps(image());
        maps.into_iter().map(|(name, x)| (name, x.dims())).collect()
    };
    let modern = LeNet5Config::new().init(&device());
    assert_eq!(
        shapes(&modern),
        [
            ("c1".into(), [1, 6, 28, 28]),
            ("c3".into(), [1, 16, 10, 10])
        ]
    );
    assert_eq!(modern.input_shape(), Some(vec![1, 32, 32]));
    // After the ReLU: nothing negative.
    let c1 = modern.feature_maps(image()).remove(0).1;
    assert!(c1.min().into_scalar::<f32>() >= 0.0);
    let classic = LeNet5Config::new()
        .with_variant(LeNetVariant::Classic)
        .init(&device());
    assert_eq!(
        shapes(&classic),
        [
            ("c1".into(), [1, 6, 28, 28]),
            ("c3".into(), [1, 16, 10, 10]),
            ("c5".into(), [1, 120, 1, 1])
        ]
    );
}
