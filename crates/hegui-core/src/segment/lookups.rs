//! Recent dictionary lookups, kept per thread.
//!
//! Segmenting a window narrows the lines of a large sorted dictionary to each prefix of
//! each word the window may hold; the probes of those searches land far apart in
//! megabytes of lines and mostly miss the processor's caches (two dependent misses a
//! probe: the line's start, then its bytes). The same prefixes come back from message
//! to message (`最近`, `第一次`, …: over the corpus, 2,048 prefixes make 71 % of the
//! lookups), so a small table of the last results answers most of them from the cache.
//!
//! A result depends only on the dictionary and the prefix (narrowing is a search for
//! the first line not before the prefix among the lines of its first character), so a
//! remembered one is the one the search would give.

use std::cell::RefCell;
use std::hash::Hasher;

use rustc_hash::FxHasher;

/// The longest prefix kept, in bytes: five Chinese characters.
const KEY_BYTES: usize = 15;

/// The table has 2^`SLOT_BITS` slots (of 28 bytes: 112 KB a thread).
const SLOT_BITS: u32 = 12;

/// What narrowing gave: `None` when no line begins with the prefix, else the
/// frequency of the prefix if it is a word.
pub(crate) type Narrowed = Option<Option<usize>>;

/// One remembered lookup; `dictionary` 0 is an empty slot.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    dictionary: u32,
    len: u8,
    key: [u8; KEY_BYTES],
    /// The first line not before the prefix.
    start: u32,
    /// [`Narrowed`], encoded by [`encode`].
    found: u32,
}

/// [`Narrowed`] `None`.
const NO_LINE: u32 = u32::MAX;
/// [`Narrowed`] `Some(None)`.
const NOT_A_WORD: u32 = u32::MAX - 1;

/// `found` as a slot holds it, if it fits (a frequency below [`NOT_A_WORD`]).
fn encode(found: Narrowed) -> Option<u32> {
    match found {
        None => Some(NO_LINE),
        Some(None) => Some(NOT_A_WORD),
        Some(Some(freq)) => u32::try_from(freq).ok().filter(|&f| f < NOT_A_WORD),
    }
}

fn decode(found: u32) -> Narrowed {
    match found {
        NO_LINE => None,
        NOT_A_WORD => Some(None),
        freq => Some(Some(freq as usize)),
    }
}

/// The lookups of this thread.
pub(crate) struct Lookups {
    slots: Vec<Slot>,
}

thread_local! {
    static LOOKUPS: RefCell<Lookups> = const { RefCell::new(Lookups { slots: Vec::new() }) };
}

impl Lookups {
    /// Calls `f` with this thread's lookups (made at the first call).
    pub(crate) fn with<R>(f: impl FnOnce(&mut Lookups) -> R) -> R {
        LOOKUPS.with(|lookups| match lookups.try_borrow_mut() {
            Ok(mut lookups) => {
                if lookups.slots.is_empty() {
                    lookups.slots = vec![Slot::default(); 1 << SLOT_BITS];
                }
                f(&mut lookups)
            }
            // Not reached (segmenting does not segment again); a table of its own then.
            Err(_) => f(&mut Lookups {
                slots: vec![Slot::default(); 1],
            }),
        })
    }

    fn slot(&self, prefix: &[u8]) -> usize {
        let mut hasher = FxHasher::default();
        hasher.write(prefix);
        (hasher.finish() >> (64 - SLOT_BITS)) as usize % self.slots.len()
    }

    /// The remembered lookup of `prefix` in `dictionary` (a non-zero id): the first
    /// line not before it, and what narrowing found.
    pub(crate) fn get(&self, dictionary: u32, prefix: &[u8]) -> Option<(usize, Narrowed)> {
        if prefix.len() > KEY_BYTES {
            return None;
        }
        let slot = &self.slots[self.slot(prefix)];
        let hit = slot.dictionary == dictionary
            && usize::from(slot.len) == prefix.len()
            && slot.key[..prefix.len()] == *prefix;
        hit.then(|| (slot.start as usize, decode(slot.found)))
    }

    /// Remembers a lookup (one with a longer prefix or a larger frequency than a slot
    /// holds is not).
    pub(crate) fn put(&mut self, dictionary: u32, prefix: &[u8], start: usize, found: Narrowed) {
        let (Some(found), Ok(start)) = (encode(found), u32::try_from(start)) else {
            return;
        };
        if prefix.len() > KEY_BYTES {
            return;
        }
        let mut key = [0; KEY_BYTES];
        key[..prefix.len()].copy_from_slice(prefix);
        let at = self.slot(prefix);
        self.slots[at] = Slot {
            dictionary,
            len: prefix.len() as u8,
            key,
            start,
            found,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_dictionary_and_prefix() {
        Lookups::with(|lookups| {
            let (a, b) = (u32::MAX - 7, u32::MAX - 8);
            lookups.put(a, "最近".as_bytes(), 12, Some(Some(345)));
            lookups.put(a, "最近的".as_bytes(), 14, Some(None));
            lookups.put(a, "最近的人".as_bytes(), 15, None);
            assert_eq!(
                lookups.get(a, "最近".as_bytes()),
                Some((12, Some(Some(345))))
            );
            assert_eq!(lookups.get(a, "最近的".as_bytes()), Some((14, Some(None))));
            assert_eq!(lookups.get(a, "最近的人".as_bytes()), Some((15, None)));
            assert_eq!(lookups.get(b, "最近".as_bytes()), None);
            assert_eq!(lookups.get(a, "最".as_bytes()), None);
            // Too long to keep, or a frequency a slot cannot hold.
            let long = "一二三四五六".as_bytes();
            lookups.put(a, long, 1, Some(None));
            assert_eq!(lookups.get(a, long), None);
            lookups.put(a, "大".as_bytes(), 1, Some(Some(usize::MAX)));
            assert_eq!(lookups.get(a, "大".as_bytes()), None);
        });
        assert_eq!(std::mem::size_of::<Slot>(), 28);
    }
}
