use super::*;
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use ember_testkit::{assert_close, for_each_device, values};

fn tokens(rows: &[Vec<i64>], device: &Device) -> (Tensor<2, Int>, Tensor<1, Int>) {
    let max_len = rows.iter().map(Vec::len).max().unwrap();
    let mut ids = Vec::new();
    for row in rows {
        ids.extend(
            row.iter()
                .copied()
                .chain(std::iter::repeat_n(0, max_len - row.len())),
        );
    }
    let lengths: Vec<i64> = rows.iter().map(|r| r.len() as i64).collect();
    (
        Tensor::from_data(TensorData::new(ids, [rows.len(), max_len]), device),
        Tensor::from_data(TensorData::new(lengths, [rows.len()]), device),
    )
}

fn small(pooling: SequencePooling, bidirectional: bool, layers: usize) -> LstmClassifierConfig {
    LstmClassifierConfig::new(12)
        .with_embed_dim(5)
        .with_hidden_size(4)
        .with_num_layers(layers)
        .with_bidirectional(bidirectional)
        .with_pooling(pooling)
        .with_num_classes(3)
}

const POOLINGS: [SequencePooling; 3] = [
    SequencePooling::Last,
    SequencePooling::Mean,
    SequencePooling::Max,
];

#[test]
fn every_configuration_maps_tokens_to_logits() {
    let device = Device::flex();
    let rows = [vec![2, 3, 4], vec![5], vec![6, 7, 8, 9, 10]];
    for pooling in POOLINGS {
        for bidirectional in [false, true] {
            for layers in [1, 2] {
                let model = small(pooling, bidirectional, layers).init(&device).unwrap();
                let (ids, lengths) = tokens(&rows, &device);
                let logits = model.forward(ids, lengths).unwrap();
                assert_eq!(
                    logits.dims(),
                    [3, 3],
                    "{pooling} bi={bidirectional} layers={layers}"
                );
                assert!(values(logits).iter().all(|v| v.is_finite()));
            }
        }
    }
}

#[test]
fn padding_changes_nothing() {
    for_each_device(|device| {
        device.seed(9);
        let rows = [vec![2, 3, 4, 5], vec![6, 7], vec![8]];
        let (ids, lengths) = tokens(&rows, device);
        // Other padding tokens, and three more padding columns.
        let noisy = ids
            .clone()
            .slice_assign(s![1..2, 2..4], Tensor::from_data([[11i64, 9]], device))
            .slice_assign(s![2..3, 1..4], Tensor::from_data([[4i64, 1, 10]], device));
        let wider = Tensor::cat(
            vec![
                ids.clone(),
                Tensor::<2, Int>::from_data([[0i64, 5, 7]; 3], device),
            ],
            1,
        );
        for pooling in POOLINGS {
            for bidirectional in [false, true] {
                let model = small(pooling, bidirectional, 2).init(device).unwrap();
                let logits =
                    |ids: Tensor<2, Int>| values(model.forward(ids, lengths.clone()).unwrap());
                let reference = logits(ids.clone());
                let what = format!("{pooling}, bidirectional = {bidirectional}");
                assert_close(
                    &logits(noisy.clone()),
                    &reference,
                    1e-5,
                    &format!("{what}, other pad"),
                );
                assert_close(
                    &logits(wider.clone()),
                    &reference,
                    1e-5,
                    &format!("{what}, wider"),
                );
            }
        }
    });
}

#[test]
fn pooling_follows_its_definition() {
    let device = Device::flex();
    // Two rows of lengths 3 and 1, padded to 3; states zero at padding as the LSTM gives them.
    let states = Tensor::<3>::from_data(
        [
            [[1.0f32, -2.0], [3.0, 0.5], [-1.0, 4.0]],
            [[-5.0, -6.0], [0.0, 0.0], [0.0, 0.0]],
        ],
        &device,
    );
    let last = ember_layers::LstmState::new(
        Tensor::zeros([1, 2, 2], &device),
        Tensor::from_data([[[7.0f32, 8.0], [9.0, 10.0]]], &device),
    );
    let lengths = Tensor::<1, Int>::from_data([3i64, 1], &device);
    let pool = |p: SequencePooling| values(p.pool(states.clone(), last.clone(), lengths.clone()));
    assert_eq!(pool(SequencePooling::Last), [7.0, 8.0, 9.0, 10.0]);
    // Mean: (1 + 3 − 1)/3 = 1, (−2 + 0.5 + 4)/3 = 0.8333; row 2 is its one state.
    assert_close(
        &pool(SequencePooling::Mean),
        &[1.0, 0.833_333, -5.0, -6.0],
        1e-6,
        "mean",
    );
    // Max over real positions only: row 2's padded zeros do not beat −5, −6.
    assert_eq!(pool(SequencePooling::Max), [3.0, 4.0, -5.0, -6.0]);
}

#[test]
fn parameter_count_follows_the_formula() {
    let device = Device::flex();
    let config = LstmClassifierConfig::new(1000)
        .with_num_layers(2)
        .with_bidirectional(true)
        .with_num_classes(4);
    let model = config.init(&device).unwrap();
    // V·d = 100,000; layer 1: 2·4·(128·(100 + 128) + 256) = 2·117,760; layer 2 reads
    // 2H = 256: 2·4·(128·(256 + 128) + 256) = 2·197,632; head (256 + 1)·4 = 1,028.
    let expected = 100_000 + 2 * 117_760 + 2 * 197_632 + 1_028;
    assert_eq!(model.num_params(), expected);
    let summary = model.summary(50);
    assert_eq!(summary.total_params(), model.num_params());
    assert_eq!(summary.row("lstm2").unwrap().params, 2 * 197_632);
    assert_eq!(summary.output(), &[4]);
    let text = model.summary_text(50);
    assert!(text.contains("4·(H·(in + H) + 2H)"), "{text}");
    assert!(
        text.contains("lstm2: 2 × 4·(128·(256 + 128) + 2·128) = 2 × 197632 = 395264"),
        "{text}"
    );
}

#[test]
fn pretrained_vectors_are_used_and_frozen_ones_stay_bit_identical() {
    let device = Device::flex().autodiff();
    let vectors: Vec<f32> = (0..12 * 5).map(|i| (i as f32 * 0.37).sin()).collect();
    let vectors = Tensor::<2>::from_data(TensorData::new(vectors, [12, 5]), &device);
    let config = small(SequencePooling::Mean, true, 1).with_freeze_embedding(true);
    let mut model = config
        .init_with_embedding(vectors.clone(), &device)
        .unwrap();
    assert_eq!(
        values(model.embedding.weight.val()),
        values(vectors.clone())
    );
    let before_fc = values(model.fc.weight.val());
    let mut optim = AdamConfig::new().init();
    let (ids, lengths) = tokens(&[vec![2, 3, 4], vec![5, 6]], &device);
    let targets = Tensor::<1, Int>::from_data([0i64, 2], &device);
    for _ in 0..3 {
        let logits = model.forward(ids.clone(), lengths.clone()).unwrap();
        let loss = CrossEntropyLossConfig::new()
            .init(&device)
            .forward(logits, targets.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(1e-2, model, grads);
    }
    assert_eq!(
        values(model.embedding.weight.val()),
        values(vectors),
        "frozen embedding moved"
    );
    assert_ne!(
        values(model.fc.weight.val()),
        before_fc,
        "the head did not train"
    );
    assert!(model
        .summary_text(3)
        .contains("Frozen (counted above, not trained): embedding 60"));
}

#[test]
fn bad_input_and_configuration_are_typed_errors() {
    let device = Device::flex();
    let config = small(SequencePooling::Last, false, 1);
    let wrong = Tensor::<2>::zeros([12, 6], &device);
    assert_eq!(
        config.init_with_embedding(wrong, &device).unwrap_err(),
        ModelError::EmbeddingShape {
            expected: [12, 5],
            got: vec![12, 6]
        }
    );
    let err = config
        .clone()
        .with_hidden_size(0)
        .init(&device)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "model configuration: `hidden_size` must be at least 1"
    );
    assert!(config.clone().with_dropout(1.0).init(&device).is_err());
    let model = config.init(&device).unwrap();
    let (ids, lengths) = tokens(&[vec![2, 12]], &device);
    assert_eq!(
        model.forward(ids.clone(), lengths).unwrap_err(),
        ModelError::TokenOutOfRange {
            id: 12,
            vocab_size: 12
        }
    );
    let (ids, _) = tokens(&[vec![2, 11]], &device);
    let long = Tensor::<1, Int>::from_data([3i64], &device);
    let err = model.forward(ids, long).unwrap_err();
    assert!(
        matches!(
            err,
            ModelError::Lstm(ember_layers::LstmError::LengthOutOfRange { .. })
        ),
        "{err}"
    );
    assert_eq!("MAX".parse::<SequencePooling>(), Ok(SequencePooling::Max));
    assert_eq!(
        "sum".parse::<SequencePooling>().unwrap_err().to_string(),
        "unknown sequence pooling variant `sum`; choose one of: last, mean, max"
    );
}

#[test]
fn configuration_round_trips_through_json() {
    let config = small(SequencePooling::Max, true, 2).with_dropout(0.25);
    let json = serde_json::to_string(&config).unwrap();
    assert!(json.contains("\"pooling\":\"max\""), "{json}");
    let back: LstmClassifierConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(back.pooling, SequencePooling::Max);
    let device = Device::flex();
    assert_eq!(
        back.init(&device).unwrap().num_params(),
        config.init(&device).unwrap().num_params()
    );
}

/// xorshift64*: the test's own reproducible random numbers.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % n
    }
}

/// A random sequence of 4–14 filler tokens (ids 4..16) with token A = 2 and B = 3 at
/// different random places; the label is 1 when A comes before B.
fn a_before_b(rng: &mut Rng) -> (Vec<i64>, i64) {
    let len = 4 + rng.below(11) as usize;
    let mut row: Vec<i64> = (0..len).map(|_| 4 + rng.below(12) as i64).collect();
    let a = rng.below(len as u64) as usize;
    let mut b = rng.below(len as u64 - 1) as usize;
    if b >= a {
        b += 1;
    }
    row[a] = 2;
    row[b] = 3;
    (row, i64::from(a < b))
}

fn batch(
    rng: &mut Rng,
    n: usize,
    device: &Device,
) -> (Tensor<2, Int>, Tensor<1, Int>, Tensor<1, Int>) {
    let (rows, labels): (Vec<_>, Vec<_>) = (0..n).map(|_| a_before_b(rng)).unzip();
    let (ids, lengths) = tokens(&rows, device);
    (
        ids,
        lengths,
        Tensor::from_data(TensorData::new(labels, [n]), device),
    )
}

#[test]
fn learns_whether_a_comes_before_b() {
    let device = Device::flex().autodiff();
    device.seed(42);
    let config = LstmClassifierConfig::new(16)
        .with_embed_dim(16)
        .with_hidden_size(32)
        .with_num_classes(2);
    let mut model = config.init(&device).unwrap();
    let mut optim = AdamConfig::new().init();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..400 {
        let (ids, lengths, targets) = batch(&mut rng, 32, &device);
        let loss = loss_fn.forward(model.forward(ids, lengths).unwrap(), targets);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(1e-2, model, grads);
    }
    let model = model.valid();
    let plain = Device::flex();
    let (ids, lengths, targets) = batch(&mut rng, 1000, &plain);
    let predicted = model
        .forward(ids, lengths)
        .unwrap()
        .argmax(1)
        .reshape([1000]);
    let correct = predicted
        .equal(targets)
        .int()
        .sum()
        .into_data()
        .try_into_vec_as::<i64>()
        .unwrap()[0];
    let accuracy = correct as f64 / 1000.0;
    println!("A-before-B accuracy on 1000 new sequences: {accuracy}");
    assert!(accuracy >= 0.95, "accuracy {accuracy}");
}

#[test]
fn loads_a_pytorch_state_dict_from_safetensors() {
    use burn_store::{BurnToPyTorchAdapter, ModuleSnapshot, SafetensorsStore};
    let device = Device::flex();
    device.seed(21);
    let config = small(SequencePooling::Last, true, 2);
    let trained = config.init(&device).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lstm.safetensors");
    // Saved as PyTorch names and lays it out: lstm.0.forward.weight_ih → lstm.weight_ih_l0,
    // fc.weight transposed to [out, in].
    let mut store = SafetensorsStore::from_file(&path)
        .with_to_adapter(BurnToPyTorchAdapter)
        .with_key_remapping(r"^lstm\.(\d+)\.forward\.(\w+)$", "lstm.${2}_l${1}")
        .with_key_remapping(r"^lstm\.(\d+)\.reverse\.(\w+)$", "lstm.${2}_l${1}_reverse");
    trained.save_into(&mut store).unwrap();

    // The file holds exactly a PyTorch state_dict's keys and shapes.
    let bytes = std::fs::read(&path).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut names: Vec<String> = file.names().into_iter().map(String::from).collect();
    names.sort();
    let mut expected = vec![
        "embedding.weight".to_string(),
        "fc.bias".into(),
        "fc.weight".into(),
    ];
    for k in 0..2 {
        for p in ["bias_hh", "bias_ih", "weight_hh", "weight_ih"] {
            expected.push(format!("lstm.{p}_l{k}"));
            expected.push(format!("lstm.{p}_l{k}_reverse"));
        }
    }
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(file.tensor("fc.weight").unwrap().shape(), [3, 8]);
    // Layer 2 reads both directions of layer 1: [4H, 2H] = [16, 8].
    assert_eq!(file.tensor("lstm.weight_ih_l1").unwrap().shape(), [16, 8]);

    let mut fresh = config.init(&device).unwrap();
    let (ids, lengths) = tokens(&[vec![2, 3, 4], vec![5]], &device);
    let logits = |m: &LstmClassifier| values(m.forward(ids.clone(), lengths.clone()).unwrap());
    assert_ne!(logits(&fresh), logits(&trained));
    fresh.load_pytorch_safetensors(&path).unwrap();
    assert_eq!(logits(&fresh), logits(&trained));

    // A classifier of other sizes is refused, naming the file.
    let mut other = small(SequencePooling::Last, false, 2)
        .init(&device)
        .unwrap();
    let err = other.load_pytorch_safetensors(&path).unwrap_err();
    assert!(
        matches!(&err, ModelError::Weights { path: p, .. } if p == &path),
        "{err}"
    );
}
