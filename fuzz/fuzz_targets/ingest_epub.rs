#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| precis_fuzz::ingest_checked("fuzz.epub", bytes));
