//! Which tensor backends this build has, what each one picks on this machine, and one
//! matrix product on each: the same code, three backends, chosen by name at run time.
//!
//! Run: `cargo run --example backends`

use ember::backend::{hardware_adapter, Backend};
use ember::burn::prelude::*;

fn main() {
    println!(
        "hardware GPU adapter: {}",
        hardware_adapter().unwrap_or_else(|| "none".into())
    );
    println!("fastest available: {}", Backend::fastest_available());
    for backend in Backend::ALL {
        match backend.device() {
            Ok(device) => {
                let a = Tensor::<2>::from_data([[1.0f32, 2.0], [3.0, 4.0]], &device);
                let product = a.clone().matmul(a).into_data();
                println!(
                    "{backend:>8}: {} -> [[1,2],[3,4]]^2 = {:?}",
                    backend.describe().unwrap_or_default(),
                    product.try_into_vec_as::<f32>().unwrap_or_default()
                );
            }
            Err(e) => println!("{backend:>8}: unavailable: {e}"),
        }
    }
}
