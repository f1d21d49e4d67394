//! What `katapult-mock.wasm` exports: [`crate::boundary`] as C functions
//! over numbers. Named `km_…`: the client crate, linked in for its
//! operation table, exports its own `kw_…` buffer functions (and supplies
//! the allocator, talc).

use crate::boundary;

/// Makes the input buffer `len` bytes long; where it starts, or 0 when it
/// cannot be that long.
#[no_mangle]
pub extern "C" fn km_input(len: usize) -> *mut u8 {
    boundary::input(len).unwrap_or(std::ptr::null_mut())
}

/// Where the last call's output starts.
#[no_mangle]
pub extern "C" fn km_output() -> *const u8 {
    boundary::output().0
}

/// The last call's output's length.
#[no_mangle]
pub extern "C" fn km_output_len() -> usize {
    boundary::output().1
}

/// The largest request body passed in.
#[no_mangle]
pub extern "C" fn km_body_limit() -> usize {
    boundary::body_limit()
}

/// A new mock from its options (JSON text in the input): its handle, or 0.
#[no_mangle]
pub extern "C" fn km_create(len: usize) -> u32 {
    boundary::create(len)
}

/// Frees a mock.
#[no_mangle]
pub extern "C" fn km_drop(handle: u32) {
    boundary::drop_mock(handle)
}

/// Adds a fault (JSON text in the input): 0, or 1 and a message.
#[no_mangle]
pub extern "C" fn km_fault(handle: u32, len: usize) -> i32 {
    boundary::fault(handle, len)
}

/// Restores the seed and forgets the faults: 0, or 1.
#[no_mangle]
pub extern "C" fn km_reset(handle: u32) -> i32 {
    boundary::reset(handle)
}

/// Step one of a request (head and body in the input): 0, or 1 and a message.
#[no_mangle]
pub extern "C" fn km_receive(handle: u32, head_len: usize, body_len: usize) -> i32 {
    boundary::receive(handle, head_len, body_len)
}

/// Step two: the answer at `now_ms`; the head's length, or -1.
#[no_mangle]
pub extern "C" fn km_answer(handle: u32, ticket: u32, now_ms: f64) -> i32 {
    boundary::answer(handle, ticket, now_ms)
}

/// Lets go of a held request.
#[no_mangle]
pub extern "C" fn km_abandon(handle: u32, ticket: u32) {
    boundary::abandon(handle, ticket)
}

/// Mocks alive (for the package's tests of memory).
#[no_mangle]
pub extern "C" fn km_alive() -> usize {
    boundary::census().0
}

/// Requests held (for the package's tests of memory).
#[no_mangle]
pub extern "C" fn km_held() -> usize {
    boundary::census().1
}
