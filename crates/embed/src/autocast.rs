//! Mixed precision through libtorch's autocast, switched by the few lines of
//! C++ in `csrc/autocast.cpp` (tch's own `autocast` covers CUDA only, in f16).

// The one foreign call in precis: a setter with plain-value arguments that
// touches only the calling thread's dispatcher state.
#![allow(unsafe_code)]

use tch::Device;

extern "C" {
    fn precis_autocast_bf16(cuda: bool, enabled: bool);
}

/// From now on, on the calling thread only, libtorch runs matrix products
/// (matmul, linear, bmm) on `device` in bfloat16 with f32 accumulation, and
/// everything else (embedding lookup, layer norm, softmax, residual sums) in
/// f32: what `torch.autocast(dtype=torch.bfloat16)` does in Python.
pub(crate) fn bf16_matrix_products(device: Device) {
    // SAFETY: both arguments are plain values, and the C++ side only sets two
    // thread-local flags; it neither throws nor keeps pointers.
    unsafe { precis_autocast_bf16(device.is_cuda(), true) }
}
