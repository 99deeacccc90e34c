// The compiler allocates many small tree nodes; mimalloc is markedly faster at that than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the same index in mimalloc 2 and 3).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    /// From the mimalloc library that `mimalloc` links in.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

fn main() {
    // A run lasts a fraction of a second: memory it frees is kept for its next allocations
    // instead of going back to the OS after mimalloc's default 10 ms, when the kernel would
    // have to zero it again on the next touch (18% of the 10,000-service check).
    // SAFETY: setting an option is thread-safe and takes plain integers.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    std::process::exit(planc::cli::run());
}
