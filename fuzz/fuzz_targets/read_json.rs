//! Arbitrary bytes into the JSON reader: an error or a dataset, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let from_reader = frontline::Dataset::from_json_reader(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let from_str = frontline::Dataset::from_json_str(text);
        // Both readers accept the same documents.
        assert_eq!(from_str.is_ok(), from_reader.is_ok());
        if let (Ok(a), Ok(b)) = (&from_str, &from_reader) {
            assert_eq!(a, b);
            // What validates writes back to an equal dataset.
            let again = frontline::Dataset::from_json_str(&a.to_json_string());
            assert_eq!(again.ok().as_ref(), Some(a));
        }
    }
});
