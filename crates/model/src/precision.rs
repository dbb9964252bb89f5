//! The number format the encoder computes in, and how `auto` picks it.

use serde::{Deserialize, Serialize};

/// The number format the encoder computes in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// 32-bit floats, as sentence-transformers computes: the same vectors.
    #[default]
    F32,
    /// Mixed precision, through libtorch's autocast: the encoder's linear
    /// layers take bfloat16 inputs (f32 accumulation); everything else
    /// (embeddings, attention, layer norm, the residual stream, pooling,
    /// Dense, normalisation) and texts under `MIN_MIXED_PRECISION_TOKENS`
    /// tokens stay f32. About twice as fast on CPUs with bf16 matrix
    /// instructions (AVX512-BF16, AMX) and on GPUs; vectors differ from f32
    /// ones by rounding (the fidelity test holds them to the same 0.9999
    /// cosine), so they are cached apart from them.
    Bf16,
}

impl Precision {
    /// The word for it, as `--precision` and precis.toml take it.
    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::Bf16 => "bf16",
        }
    }

    /// The checksum that identifies the vectors of the model folder whose
    /// checksum is `folder` at this precision: the key of their cache and
    /// of the embed stage. Other precision, other vectors.
    pub fn vectors_checksum(self, folder: &str) -> String {
        match self {
            Precision::F32 => folder.to_owned(),
            Precision::Bf16 => format!("{folder}{BF16_SUFFIX}"),
        }
    }

    /// The precision a `vectors_checksum` was made at.
    pub fn of_vectors_checksum(checksum: &str) -> Precision {
        if checksum.ends_with(BF16_SUFFIX) {
            Precision::Bf16
        } else {
            Precision::F32
        }
    }
}

const BF16_SUFFIX: &str = "+bf16-mixed";

/// The precision asked for: one of them, or `auto`, which takes the
/// mixed-precision path only where the device computes bf16 natively (there
/// it is about twice as fast; elsewhere bf16 is emulated and slower than
/// f32).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrecisionChoice {
    #[default]
    Auto,
    F32,
    Bf16,
}

/// Where the encoder runs, as far as its precision depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunsOn {
    /// A CPU; `native_bf16` names its bf16 matrix instructions, if it has any.
    Cpu { native_bf16: Option<&'static str> },
    /// A CUDA GPU.
    Cuda,
}

impl RunsOn {
    /// The CPU this process runs on, read from CPUID.
    pub fn this_cpu() -> Self {
        RunsOn::Cpu {
            native_bf16: native_bf16(),
        }
    }
}

/// The CPU's bf16 matrix instructions, if any. AVX512-BF16 is the one
/// tested: every CPU with AMX-BF16 (Sapphire Rapids on) has it too, and the
/// AMX bit itself cannot yet be read through stable `std`.
fn native_bf16() -> Option<&'static str> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512bf16") {
        return Some("AVX512-BF16");
    }
    None
}

/// The precision a run used, and why: recorded in the manifest, so that
/// `precis status` and the next run read it instead of probing the hardware.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrecisionPick {
    pub precision: Precision,
    pub why: String,
}

impl PrecisionChoice {
    /// The precision this choice gives on `runs_on`.
    pub fn pick(self, runs_on: RunsOn) -> PrecisionPick {
        let (precision, why) = match (self, runs_on) {
            (PrecisionChoice::F32, _) => (Precision::F32, "asked for".into()),
            (PrecisionChoice::Bf16, _) => (Precision::Bf16, "asked for".into()),
            (PrecisionChoice::Auto, RunsOn::Cuda) => (
                Precision::Bf16,
                "auto: the encoder runs on a CUDA GPU, which computes bf16".into(),
            ),
            (
                PrecisionChoice::Auto,
                RunsOn::Cpu {
                    native_bf16: Some(instructions),
                },
            ) => (
                Precision::Bf16,
                format!("auto: this CPU computes bf16 natively ({instructions})"),
            ),
            (PrecisionChoice::Auto, RunsOn::Cpu { native_bf16: None }) => (
                Precision::F32,
                "auto: this CPU has no bf16 instructions (AVX512-BF16, AMX)".into(),
            ),
        };
        PrecisionPick { precision, why }
    }

    /// The precision itself, when it was named rather than left to `auto`.
    pub fn named(self) -> Option<Precision> {
        match self {
            PrecisionChoice::Auto => None,
            PrecisionChoice::F32 => Some(Precision::F32),
            PrecisionChoice::Bf16 => Some(Precision::Bf16),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_takes_bf16_only_where_the_device_computes_it() {
        let plain_cpu = RunsOn::Cpu { native_bf16: None };
        let bf16_cpu = RunsOn::Cpu {
            native_bf16: Some("AVX512-BF16"),
        };
        let auto = PrecisionChoice::Auto;
        assert_eq!(auto.pick(plain_cpu).precision, Precision::F32);
        assert_eq!(auto.pick(bf16_cpu).precision, Precision::Bf16);
        assert_eq!(auto.pick(RunsOn::Cuda).precision, Precision::Bf16);
        assert!(auto.pick(bf16_cpu).why.contains("AVX512-BF16"));
        for runs_on in [plain_cpu, bf16_cpu, RunsOn::Cuda] {
            assert_eq!(PrecisionChoice::F32.pick(runs_on).precision, Precision::F32);
            assert_eq!(
                PrecisionChoice::Bf16.pick(runs_on).precision,
                Precision::Bf16
            );
        }
    }

    #[test]
    fn the_choice_reads_the_words_of_the_flag_and_the_config_file() {
        for (word, choice) in [
            ("auto", PrecisionChoice::Auto),
            ("f32", PrecisionChoice::F32),
            ("bf16", PrecisionChoice::Bf16),
        ] {
            let read: PrecisionChoice = serde_json::from_value(word.into()).unwrap();
            assert_eq!(read, choice);
            assert_eq!(read.named().is_none(), word == "auto");
        }
    }
}
