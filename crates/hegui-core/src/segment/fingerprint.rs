/// A 64-bit fingerprint of `bytes`: what recognises a dictionary text as one whose
/// every line the tests check. Not a cryptographic hash: it tells the library's own
/// dictionary from texts that differ by accident, eight bytes a step. (Shared with the
/// build script, which fingerprints the reduced dictionary; hence no `crate` paths.)
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = (bytes.len() as u64).wrapping_mul(K);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        hash = (hash.rotate_left(23) ^ word).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        hash = (hash.rotate_left(23) ^ u64::from(b)).wrapping_mul(K);
    }
    hash ^ hash >> 29
}
