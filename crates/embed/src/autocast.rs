//! Mixed precision through libtorch's autocast, switched by the few lines of
//! C++ in `csrc/autocast.cpp` (tch's own `autocast` covers CUDA only, in f16).

// The one foreign call in precis: plain-value arguments, and on the C++ side
// only dispatcher state (this thread's autocast flags, and once per process
// the kernel autocast uses for matmul on the CPU).
#![allow(unsafe_code)]

use tch::Device;

extern "C" {
    fn precis_autocast_bf16(cuda: bool, enabled: bool) -> bool;
}

/// Switches mixed precision on or off for `device`, on the calling thread
/// only. On, libtorch runs the products of activations with weight matrices
/// (every linear layer) in bfloat16 with f32 accumulation, and everything
/// else (embedding lookup, attention's products and softmax, layer norm,
/// residual sums) in f32.
pub(crate) fn bf16_weight_products(device: Device, on: bool) -> Result<(), String> {
    // SAFETY: plain-value arguments; the C++ side catches every exception,
    // keeps no pointer of ours, and changes dispatcher state only.
    if unsafe { precis_autocast_bf16(device.is_cuda(), on) } {
        Ok(())
    } else {
        Err("libtorch refused to switch bf16 autocast".into())
    }
}
