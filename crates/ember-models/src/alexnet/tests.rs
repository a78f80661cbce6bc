use super::*;
use burn::module::{Module, Param};
use burn::nn::conv::Conv2dConfig;
use burn::tensor::activation::relu;
use burn::tensor::Distribution;
use ember_testkit::{assert_close, for_each_device, values};

fn flex() -> Device {
    Device::flex()
}

fn config(variant: AlexNetVariant, classes: usize) -> AlexNetConfig {
    AlexNetConfig::new()
        .with_variant(variant)
        .with_num_classes(classes)
}

#[test]
fn every_variant_maps_images_to_logits_on_every_backend() {
    for_each_device(|device| {
        for (variant, side, channels) in [
            (AlexNetVariant::Paper, 227, 3),
            (AlexNetVariant::Paper, 224, 3),
            (AlexNetVariant::Torchvision, 224, 3),
            (AlexNetVariant::Torchvision, 100, 1),
            (AlexNetVariant::Small, 32, 3),
            (AlexNetVariant::Small, 28, 1),
        ] {
            let model = config(variant, 10)
                .with_in_channels(channels)
                .with_input_side(Some(side))
                .init(device)
                .unwrap();
            assert_eq!(model.input_shape(), [channels, side, side]);
            let x = Tensor::<4>::random([2, channels, side, side], Distribution::Default, device);
            let y = model.forward(x);
            assert_eq!(y.dims(), [2, 10], "{variant} at {side}");
            assert!(values(y).iter().all(|v| v.is_finite()), "{variant}");
        }
    });
}

#[test]
fn parameter_counts_follow_the_papers_arithmetic() {
    let count = |variant, groups| {
        config(variant, 1000)
            .with_groups(groups)
            .init(&flex())
            .unwrap()
            .summary()
    };
    // conv1 (11·11·3 + 1)·96 = 34,944; conv2 (5·5·48 + 1)·256 = 307,456 in two groups
    // ((5·5·96 + 1)·256 = 614,656 without); conv3 (3·3·256 + 1)·384 = 885,120; conv4
    // (3·3·192 + 1)·384 = 663,936 (1,327,488); conv5 (3·3·192 + 1)·256 = 442,624 (884,992);
    // fc6 (9,216 + 1)·4,096 = 37,752,832; fc7 (4,096 + 1)·4,096 = 16,781,312; fc8
    // (4,096 + 1)·1,000 = 4,097,000.
    let paper = count(AlexNetVariant::Paper, 2);
    let rows = [
        ("conv1", 34_944, vec![96, 55, 55]),
        ("pool1", 0, vec![96, 27, 27]),
        ("conv2", 307_456, vec![256, 27, 27]),
        ("pool2", 0, vec![256, 13, 13]),
        ("conv3", 885_120, vec![384, 13, 13]),
        ("conv4", 663_936, vec![384, 13, 13]),
        ("conv5", 442_624, vec![256, 13, 13]),
        ("pool5", 0, vec![256, 6, 6]),
        ("fc6", 37_752_832, vec![4096]),
        ("fc7", 16_781_312, vec![4096]),
        ("fc8", 4_097_000, vec![1000]),
    ];
    for (name, params, shape) in rows {
        let row = paper.row(name).unwrap();
        assert_eq!((row.params, &row.output), (params, &shape), "{name}");
    }
    assert_eq!(paper.total_params(), 60_965_224); // the paper's "60 million"
    assert_eq!(count(AlexNetVariant::Paper, 1).total_params(), 62_378_344);
    // torchvision's documented count.
    assert_eq!(
        count(AlexNetVariant::Torchvision, 2).total_params(),
        61_100_840
    );
    // MACs: conv1 11·11·3·96·55·55 = 105,415,200, as the paper's first layer.
    assert_eq!(paper.row("conv1").unwrap().macs, 105_415_200);
    // The table agrees with burn's own count of the module's parameters.
    let model = config(AlexNetVariant::Small, 10).init(&flex()).unwrap();
    assert_eq!(model.summary().total_params(), model.num_params());
}

#[test]
fn the_papers_224_crops_give_the_same_maps_as_227() {
    let at = |side| {
        config(AlexNetVariant::Paper, 1000)
            .with_input_side(Some(side))
            .init(&flex())
            .unwrap()
            .summary()
    };
    let (a, b) = (at(224), at(227));
    assert_eq!(a.row("conv1").unwrap().output, vec![96, 55, 55]);
    assert_eq!(a.rows, b.rows);
}

#[test]
fn two_groups_are_two_convolutions_on_the_channel_halves() {
    let device = flex();
    let grouped = Conv2dConfig::new([8, 6], [3, 3])
        .with_groups(2)
        .init(&device);
    let x = Tensor::<4>::random([2, 8, 5, 5], Distribution::Default, &device);
    let y = grouped.forward(x.clone());
    let weight = grouped.weight.val(); // [6, 4, 3, 3]
    let bias = grouped.bias.as_ref().unwrap().val();
    let half = |g: usize| {
        let mut conv = Conv2dConfig::new([4, 3], [3, 3]).init(&device);
        conv.weight = Param::from_tensor(weight.clone().slice(3 * g..3 * g + 3));
        conv.bias = Some(Param::from_tensor(bias.clone().slice(3 * g..3 * g + 3)));
        conv.forward(x.clone().slice([0..2, 4 * g..4 * g + 4]))
    };
    let separate = Tensor::cat(vec![half(0), half(1)], 1);
    assert_close(&values(y), &values(separate), 1e-5, "grouped vs halves");
}

#[test]
fn bad_settings_are_refused_with_the_fix() {
    let err = |c: AlexNetConfig| c.init(&flex()).unwrap_err().to_string();
    let paper = config(AlexNetVariant::Paper, 10);
    assert!(
        err(paper.clone().with_input_side(Some(200))).contains("227 or 224"),
        "{}",
        err(paper.clone().with_input_side(Some(200)))
    );
    assert!(err(paper.with_groups(3)).contains("1 or 2"));
    let torchvision = config(AlexNetVariant::Torchvision, 10).with_input_side(Some(40));
    assert!(err(torchvision).contains("63 or more"));
    let small = config(AlexNetVariant::Small, 10);
    assert!(err(small.clone().with_num_classes(0)).contains("num_classes"));
    assert!(err(small.with_dropout(1.0)).contains("dropout"));
    assert!("lenet"
        .parse::<AlexNetVariant>()
        .unwrap_err()
        .to_string()
        .contains("paper, torchvision, small"));
}

#[test]
#[should_panic(expected = "takes [n, 3, 32, 32] images, got [n, 1, 28, 28]")]
fn a_wrong_image_shape_names_both_shapes() {
    let model = config(AlexNetVariant::Small, 10).init(&flex()).unwrap();
    model.forward(Tensor::zeros([1, 1, 28, 28], &flex()));
}

/// One optimizer step on a batch of 4 random images.
fn step(model: AlexNet, device: &Device) -> AlexNet {
    use burn::optim::{AdamConfig, GradientsParams};
    let mut optim = AdamConfig::new().init();
    let x = Tensor::<4>::random([4, 3, 32, 32], Distribution::Default, device);
    let targets = Tensor::<1, Int>::from_data([0, 1, 2, 3], device);
    let loss = burn::nn::loss::CrossEntropyLossConfig::new()
        .init(device)
        .forward(model.forward(x), targets);
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    optim.step(1e-2, model, grads)
}

#[test]
fn frozen_features_stay_bit_identical_while_the_head_learns() {
    let device = flex().autodiff();
    let model = config(AlexNetVariant::Small, 4)
        .init(&device)
        .unwrap()
        .freeze_features();
    let before: Vec<Vec<f32>> = model
        .features()
        .iter()
        .map(|c| values(c.weight.val()))
        .collect();
    let head = values(model.fc8.weight.val());
    let model = step(model, &device);
    for (i, (conv, old)) in model.features().iter().zip(&before).enumerate() {
        assert_eq!(&values(conv.weight.val()), old, "conv{} moved", i + 1);
    }
    assert_ne!(
        values(model.fc8.weight.val()),
        head,
        "the head did not learn"
    );
}

#[test]
fn memorises_a_handful_of_images() {
    use burn::optim::{AdamConfig, GradientsParams};
    let device = flex().autodiff();
    device.seed(7);
    let mut model = config(AlexNetVariant::Small, 8)
        .with_dropout(0.0)
        .init(&device)
        .unwrap();
    let x = Tensor::<4>::random([8, 3, 32, 32], Distribution::Default, &device);
    let targets = Tensor::<1, Int>::from_data([0, 1, 2, 3, 4, 5, 6, 7], &device);
    let mut optim = AdamConfig::new().init();
    let loss_fn = burn::nn::loss::CrossEntropyLossConfig::new().init(&device);
    let mut last = f32::INFINITY;
    for _ in 0..150 {
        let loss = loss_fn.forward(model.forward(x.clone()), targets.clone());
        last = loss.clone().into_scalar::<f32>();
        if last < 0.01 {
            break;
        }
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(1e-3, model, grads);
    }
    let predicted = model.forward(x).argmax(1).reshape([8]);
    assert_eq!(
        predicted
            .into_data()
            .convert::<i64>()
            .try_to_vec::<i64>()
            .unwrap(),
        vec![0, 1, 2, 3, 4, 5, 6, 7],
        "loss {last}"
    );
}

#[test]
fn weights_round_trip_through_pytorch_names() {
    let device = flex();
    let tv = config(AlexNetVariant::Torchvision, 10).with_input_side(Some(64));
    device.seed(1);
    let trained = tv.init(&device).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alexnet.safetensors");
    trained.save_pytorch_safetensors(&path).unwrap();

    // The file holds torchvision's names and PyTorch's [out, in] Linear layout.
    let bytes = std::fs::read(&path).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut names: Vec<String> = file.names().into_iter().map(String::from).collect();
    names.sort();
    let expected: Vec<String> = [0, 3, 6, 8, 10]
        .iter()
        .map(|i| format!("features.{i}"))
        .chain([1, 4, 6].iter().map(|i| format!("classifier.{i}")))
        .flat_map(|m| [format!("{m}.bias"), format!("{m}.weight")])
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, expected);
    assert_eq!(
        file.tensor("classifier.6.weight").unwrap().shape(),
        &[10, 4096]
    );
    assert_eq!(
        file.tensor("features.0.weight").unwrap().shape(),
        &[64, 3, 11, 11]
    );

    device.seed(2);
    let mut loaded = tv.init(&device).unwrap();
    let x = Tensor::<4>::random([2, 3, 64, 64], Distribution::Default, &device);
    assert_ne!(
        values(loaded.forward(x.clone())),
        values(trained.forward(x.clone()))
    );
    loaded.load_weights(&path).unwrap();
    assert_eq!(
        values(loaded.forward(x.clone())),
        values(trained.forward(x))
    );

    let err = loaded
        .load_weights(dir.path().join("w.pth"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("w.pth"), "{err}");
    let err = loaded
        .load_weights(dir.path().join("w.onnx"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown weights format `.onnx`"), "{err}");
    // The torchvision file does not fit the small network: the error names the file.
    let err = config(AlexNetVariant::Small, 10)
        .init(&device)
        .unwrap()
        .load_weights(&path)
        .unwrap_err()
        .to_string();
    assert!(err.contains("alexnet.safetensors"), "{err}");
}

/// The PyTorch fixture (`scripts/pytorch/make_alexnet_fixture.py` writes it): a small AlexNet trained in
/// PyTorch, its state_dict as `.pt` and `.safetensors`, and an input with PyTorch's logits.
fn pytorch_fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pytorch")
        .join(name)
}

/// The fixture's input `[4, 3, 32, 32]` and PyTorch's logits `[4, 10]`.
fn pytorch_input_and_logits(device: &Device) -> (Tensor<4>, Vec<f32>) {
    let bytes = std::fs::read(pytorch_fixture("alexnet_small_io.safetensors")).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let floats = |name: &str| -> Vec<f32> {
        let view = file.tensor(name).unwrap();
        assert_eq!(view.dtype(), safetensors::Dtype::F32);
        view.data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    };
    let input =
        Tensor::<1>::from_floats(floats("input").as_slice(), device).reshape([4, 3, 32, 32]);
    (input, floats("logits"))
}

#[test]
fn a_pytorch_trained_state_dict_gives_pytorchs_logits() {
    for_each_device(|device| {
        let (input, expected) = pytorch_input_and_logits(device);
        for file in ["alexnet_small.pt", "alexnet_small.safetensors"] {
            let mut model = config(AlexNetVariant::Small, 10).init(device).unwrap();
            model.load_weights(pytorch_fixture(file)).unwrap();
            let logits = values(model.forward(input.clone()));
            assert_close(&logits, &expected, 1e-4, file);
        }
    });
}

#[test]
fn weights_for_other_classes_load_all_but_the_head() {
    let device = flex();
    let (input, _) = pytorch_input_and_logits(&device);
    let pt = pytorch_fixture("alexnet_small.pt");
    let four = config(AlexNetVariant::Small, 4);
    device.seed(3);
    let fresh = four.init(&device).unwrap();

    // All of it does not fit: fc8 has 10 outputs in the file. The error says what to do.
    let err = fresh.clone().load_weights(&pt).unwrap_err().to_string();
    assert!(err.contains("alexnet_small.pt"), "{err}");
    assert!(
        err.contains("fc8") && err.contains("load_weights_except_head"),
        "{err}"
    );

    let mut tuned = fresh.clone().freeze_features();
    tuned.load_weights_except_head(&pt).unwrap();
    assert!(tuned.features_frozen(), "loading keeps the freeze");
    let mut ten = config(AlexNetVariant::Small, 10).init(&device).unwrap();
    ten.load_weights(&pt).unwrap();
    // conv1 … fc7 are PyTorch's: the 256 features before the head agree…
    let penultimate = |m: &AlexNet| {
        let x = m.pool1.forward(relu(m.conv1.forward(input.clone())));
        let x = m.pool2.forward(relu(m.conv2.forward(x)));
        let x = relu(m.conv4.forward(relu(m.conv3.forward(x))));
        let x = m.flatten.forward(m.pool5.forward(relu(m.conv5.forward(x))));
        values(relu(m.fc7.forward(relu(m.fc6.forward(x)))))
    };
    assert_eq!(penultimate(&tuned), penultimate(&ten));
    // …and fc8 is the new network's own.
    assert_eq!(
        values(tuned.fc8.weight.val()),
        values(fresh.fc8.weight.val())
    );
    assert_eq!(tuned.forward(input.clone()).dims(), [4, 4]);

    // The same from a burnpack (a run's model.bpk) and from safetensors.
    let dir = tempfile::tempdir().unwrap();
    let bpk = dir.path().join("model.bpk");
    ten.clone().save_file(&bpk).unwrap();
    for file in [bpk, pytorch_fixture("alexnet_small.safetensors")] {
        let mut from = fresh.clone();
        from.load_weights_except_head(&file).unwrap();
        assert_eq!(penultimate(&from), penultimate(&ten), "{}", file.display());
        assert_eq!(
            values(from.fc8.weight.val()),
            values(fresh.fc8.weight.val())
        );
    }
}

#[test]
fn the_small_variant_takes_any_activation_batch_norm_and_init() {
    let device = flex();
    let x = Tensor::<4>::random([4, 3, 32, 32], Distribution::Default, &device);
    let plain = config(AlexNetVariant::Small, 10).init(&device).unwrap();
    for &name in ActivationKind::NAMES {
        let model = config(AlexNetVariant::Small, 10)
            .with_activation(Some(name.parse().unwrap()))
            .with_batch_norm(Some(true))
            .with_init(Some(InitScheme::He))
            .init(&device)
            .unwrap();
        let y = model.forward(x.clone());
        assert_eq!(y.dims(), [4, 10], "{name}");
        assert!(values(y).iter().all(|v| v.is_finite()), "{name}");
        assert!(model
            .summary()
            .to_string()
            .contains(&format!("{name}, batch norm")));
        // Batch norm over every hidden layer: 4 numbers per channel (γ, β and the two
        // running statistics); PReLU adds one slope per channel.
        let channels: usize = [
            model.conv1.weight.dims()[0],
            model.conv2.weight.dims()[0],
            model.conv3.weight.dims()[0],
            model.conv4.weight.dims()[0],
            model.conv5.weight.dims()[0],
            model.fc6.weight.dims()[1],
            model.fc7.weight.dims()[1],
        ]
        .iter()
        .sum();
        let slopes = if name == "prelu" { channels } else { 0 };
        assert_eq!(
            model.num_params(),
            plain.num_params() + 4 * channels + slopes,
            "{name}"
        );
    }
}

#[cfg(feature = "train")]
#[test]
fn feature_maps_of_the_small_network_keep_each_convolutions_side() {
    use ember_train::Classifier;
    // Small on 32×32: every convolution keeps its input side; pools halve it (32, 16, 8).
    let model = config(AlexNetVariant::Small, 10).init(&flex()).unwrap();
    let image = Tensor::<4>::random([1, 3, 32, 32], Distribution::Default, &flex());
    let logits = model.forward(image.clone());
    let maps: Vec<(String, [usize; 4])> = model
        .feature_maps(image)
        .into_iter()
        .map(|(name, x)| (name, x.dims()))
        .collect();
    let expected = [
        ("conv1", [1, 32, 32, 32]),
        ("conv2", [1, 64, 16, 16]),
        ("conv3", [1, 96, 8, 8]),
        ("conv4", [1, 96, 8, 8]),
        ("conv5", [1, 64, 8, 8]),
    ]
    .map(|(name, dims)| (name.to_string(), dims));
    assert_eq!(maps, expected);
    assert_eq!(Classifier::input_shape(&model), Some(vec![3, 32, 32]));
    assert_eq!(logits.dims(), [1, 10]);
}
