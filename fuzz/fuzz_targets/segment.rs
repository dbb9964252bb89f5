#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    precis_fuzz::segment_checked(&String::from_utf8_lossy(bytes));
});
