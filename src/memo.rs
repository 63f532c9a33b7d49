//! What the preview keeps between rebuilds, in one place, so that a one-page edit costs about
//! one page. A stage hands each step worth keeping to [`Memo::keep`] with the step's whole
//! input and a plain function (a `fn`, which captures nothing): the function sees only that
//! input, and the input's hash is the key, so no input can be left out of the key. `build`,
//! `check` and every other command use [`Memo::none`], which keeps nothing; the preview keeps
//! one memo for as long as it runs.

use crate::lock;
use anyhow::Result;
use std::any::Any;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Results of steps, each under its step and place (a page's source, say), with the hash of
/// the input it was made from: a place keeps only its latest result.
pub struct Memo {
    kept: Option<Mutex<HashMap<(&'static str, String), Kept>>>,
}

type Kept = (u64, Arc<dyn Any + Send + Sync>);

impl Memo {
    /// A memo that keeps nothing: every step runs.
    pub fn none() -> Memo {
        Memo { kept: None }
    }

    /// A memo that keeps each step's latest result.
    pub fn keeping() -> Memo {
        Memo {
            kept: Some(Mutex::default()),
        }
    }

    /// `make(input)`, or the result it gave at `place` for an input of the same hash. Each
    /// step has a name of its own: two steps under one name throw each other's results away.
    pub fn keep<I: Hash, T: Clone + Send + Sync + 'static>(
        &self,
        step: &'static str,
        place: &str,
        input: I,
        make: fn(I) -> T,
    ) -> T {
        let made = self.reuse(step, place, input, |input| {
            Ok::<T, std::convert::Infallible>(make(input))
        });
        match made {
            Ok(made) => made,
            Err(never) => match never {},
        }
    }

    /// [`Memo::keep`] for a step that can fail: only what succeeded is kept.
    pub fn try_keep<I: Hash, T: Clone + Send + Sync + 'static>(
        &self,
        step: &'static str,
        place: &str,
        input: I,
        make: fn(I) -> Result<T>,
    ) -> Result<T> {
        self.reuse(step, place, input, make)
    }

    /// What [`Memo::keep`] and [`Memo::try_keep`] share; `make` is only ever their `fn`.
    fn reuse<I: Hash, T: Clone + Send + Sync + 'static, E>(
        &self,
        step: &'static str,
        place: &str,
        input: I,
        make: impl FnOnce(I) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let Some(key) = self.kept.as_ref().map(|_| hash_of(&input)) else {
            return make(input);
        };
        if let Some(kept) = self.find(step, place, key) {
            return Ok(kept);
        }
        let made = make(input)?;
        self.put(step, place, key, made.clone());
        Ok(made)
    }

    fn find<T: Clone + 'static>(&self, step: &'static str, place: &str, key: u64) -> Option<T> {
        let kept = lock(self.kept.as_ref()?);
        match kept.get(&(step, place.to_string())) {
            Some((seen, value)) if *seen == key => value.downcast_ref::<T>().cloned(),
            _ => None,
        }
    }

    fn put<T: Send + Sync + 'static>(&self, step: &'static str, place: &str, key: u64, value: T) {
        if let Some(kept) = &self.kept {
            lock(kept).insert((step, place.to_string()), (key, Arc::new(value)));
        }
    }
}

/// A value with the hash that stands for it in a key: its own, taken once for an input that
/// many keys share (the course's link targets are part of every page's input), or that of
/// what it was made from (a compiled theme, which cannot be hashed, made from its files).
#[derive(Clone)]
pub struct Hashed<T> {
    pub value: T,
    hash: u64,
}

impl<T: Hash> Hashed<T> {
    pub fn new(value: T) -> Hashed<T> {
        let hash = hash_of(&value);
        Hashed { value, hash }
    }
}

impl<T> Hashed<T> {
    /// `value`, made from `source` and nothing else.
    pub fn made_from(value: T, source: &impl Hash) -> Hashed<T> {
        Hashed {
            value,
            hash: hash_of(source),
        }
    }
}

impl<T> Hash for Hashed<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
}

/// A value hashed as its JSON: for an input holding numbers that `Hash` does not take (`f64`),
/// whose serialised form is all that the templates see of it.
pub struct AsJson<T>(pub T);

impl<T: serde::Serialize> Hash for AsJson<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Writing to a hasher cannot fail; a value that cannot be serialised fails to render.
        let _ = serde_json::to_writer(HashWriter(state), &self.0);
    }
}

/// Feeds serialised bytes straight into a hasher.
struct HashWriter<'a, H: Hasher>(&'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A key. foldhash rather than the standard SipHash: keys cover every page's text (megabytes
/// per rebuild), and nothing hostile chooses them.
pub fn hash_of(value: &impl Hash) -> u64 {
    foldhash::quality::FixedState::default().hash_one(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    fn shout((text, times): (&str, usize)) -> String {
        CALLS.fetch_add(1, Ordering::SeqCst);
        text.to_uppercase().repeat(times)
    }

    #[test]
    fn a_step_runs_again_only_when_its_input_changes() {
        let memo = Memo::keeping();
        let before = CALLS.load(Ordering::SeqCst);
        assert_eq!(memo.keep("shout", "a", ("hi", 2), shout), "HIHI");
        assert_eq!(memo.keep("shout", "a", ("hi", 2), shout), "HIHI");
        assert_eq!(CALLS.load(Ordering::SeqCst) - before, 1, "kept");
        assert_eq!(memo.keep("shout", "a", ("hi", 3), shout), "HIHIHI");
        assert_eq!(memo.keep("shout", "b", ("hi", 3), shout), "HIHIHI");
        assert_eq!(
            CALLS.load(Ordering::SeqCst) - before,
            3,
            "any part of the input, and each place on its own"
        );

        let none = Memo::none();
        none.keep("shout", "a", ("hi", 2), shout);
        none.keep("shout", "a", ("hi", 2), shout);
        assert_eq!(CALLS.load(Ordering::SeqCst) - before, 5, "nothing kept");
    }

    #[test]
    fn a_failed_step_is_not_kept() {
        fn fail(attempt: u32) -> Result<u32> {
            anyhow::ensure!(attempt > 0, "not yet");
            Ok(attempt)
        }
        let memo = Memo::keeping();
        assert!(memo.try_keep("fail", "a", 0, fail).is_err());
        assert!(memo.try_keep("fail", "a", 0, fail).is_err());
        assert_eq!(memo.try_keep("fail", "a", 1, fail).unwrap(), 1);
    }

    #[test]
    fn a_hashed_value_hashes_as_itself_or_as_its_source() {
        let one = Hashed::new(vec!["a", "b"]);
        let same = Hashed::new(vec!["a", "b"]);
        let other = Hashed::new(vec!["a", "c"]);
        assert_eq!(hash_of(&one), hash_of(&same));
        assert_ne!(hash_of(&one), hash_of(&other));
        let made = Hashed::made_from(2, &vec!["a", "b"]);
        assert_eq!(hash_of(&made), hash_of(&one));
    }
}
