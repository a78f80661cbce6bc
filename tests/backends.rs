//! The same LeNet-5 weights give the same outputs on ndarray, flex and wgpu (when an
//! adapter exists; CI has lavapipe). All wgpu work sits in this one test binary.

use ember::backend::{Backend, BackendError};
use ember::burn::module::Module;
use ember::burn::prelude::*;
use ember::models::{LeNet5, LeNet5Config, LeNetVariant};

fn input(device: &Device) -> Tensor<4> {
    let values: Vec<f32> = (0..2 * 32 * 32)
        .map(|i| ((i * 37 % 101) as f32 / 50.0) - 1.0)
        .collect();
    Tensor::from_data(TensorData::new(values, [2, 1, 32, 32]), device)
}

fn logits(model: &LeNet5, device: &Device) -> Vec<f32> {
    model
        .forward(input(device))
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap()
}

#[test]
fn lenet_forward_agrees_across_backends() {
    let flex = Backend::Flex.device().unwrap();
    // ndarray, and wgpu where it has a Vulkan/Metal/DX12 adapter (ember-testkit says on
    // stderr when it leaves wgpu out).
    let others: Vec<(&str, Device)> = ember_testkit::devices()
        .into_iter()
        .filter(|d| d.name != "flex")
        .map(|d| (d.name, d.device))
        .collect();
    for variant in [LeNetVariant::Modern, LeNetVariant::Classic] {
        let config = LeNet5Config::new().with_variant(variant);
        flex.seed(7);
        let reference = config.init(&flex);
        let expected = logits(&reference, &flex);
        for (backend, device) in &others {
            let model = config
                .init(device)
                .load_record(reference.clone().into_record());
            let got = logits(&model, device);
            let worst = expected
                .iter()
                .zip(&got)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(
                worst < 1e-4,
                "{variant} on {backend}: max difference {worst}"
            );
            println!("{variant}: flex vs {backend}: max |difference| {worst:e}");
        }
    }
}

#[test]
fn backend_errors_name_the_fix() {
    let unknown = "tpu".parse::<Backend>().unwrap_err();
    assert!(unknown.to_string().contains("ndarray, flex, wgpu"));
    let no_adapter = BackendError::NoAdapter("no adapter found".into()).to_string();
    assert!(no_adapter.contains("mesa-vulkan-drivers") && no_adapter.contains("--backend flex"));
    let not_compiled = BackendError::NotCompiled("wgpu").to_string();
    assert!(not_compiled.contains("--features wgpu"));
}
