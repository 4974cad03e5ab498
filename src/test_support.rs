//! Helpers shared by the unit tests (compiled in tests only).

/// Runs `f` in a rayon pool of `threads` threads, to check that output does
/// not depend on their number.
pub(crate) fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(f),
        Err(error) => panic!("a thread pool: {error}"),
    }
}
