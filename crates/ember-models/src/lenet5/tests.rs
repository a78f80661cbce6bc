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
