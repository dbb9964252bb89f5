// libtorch's autocast switch, which tch exposes only for CUDA with its default
// dtype. Autocast is thread-local dispatcher state: once on, matrix products
// (matmul, linear, bmm, ...) run in the given low precision while everything
// else (embeddings, layer norm, softmax, residual sums) stays f32, exactly as
// `torch.autocast` does in Python.
#include <ATen/autocast_mode.h>

extern "C" void precis_autocast_bf16(bool cuda, bool enabled) {
  const auto device = cuda ? at::kCUDA : at::kCPU;
  at::autocast::set_autocast_dtype(device, at::kBFloat16);
  at::autocast::set_autocast_enabled(device, enabled);
}
