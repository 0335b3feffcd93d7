//! [`Load`]: data a page loads from the API. It does what the pages needed of Leptos'
//! `LocalResource` with a fraction of the code: `LocalResource`'s async-derived machinery is
//! instantiated once per fetcher and was about a tenth of the residents' bundle (issue 8's budget).

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;

/// The result of the latest load, `None` until the first one arrives; the previous value stays
/// while a new load runs. The fetcher runs in an effect: signals it reads *before* its future
/// starts (not inside the `async` block) are tracked and load again when they change. A newer
/// load supersedes one still in flight, so an out-of-order answer is never shown.
pub struct Load<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    again: Trigger,
}

impl<T: 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Load<T> {}

impl<T: Clone + 'static> Load<T> {
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        let again = Trigger::new();
        let latest = Rc::new(Cell::new(0u64));
        Effect::new(move |_| {
            again.track();
            let future = fetch();
            let this = latest.get() + 1;
            latest.set(this);
            let latest = Rc::clone(&latest);
            leptos::task::spawn_local(async move {
                let result = future.await;
                // The page may be gone (the signal disposed) or a newer load started.
                if latest.get() == this {
                    let _ = value.try_set(Some(result));
                }
            });
        });
        Load { value, again }
    }

    /// The latest result (tracked).
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// The latest result (not tracked).
    pub fn get_untracked(&self) -> Option<T> {
        self.value.get_untracked()
    }

    /// Loads again with the same inputs.
    pub fn refetch(&self) {
        self.again.notify();
    }
}
